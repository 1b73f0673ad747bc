package io.river.engine.segment;

import static io.river.engine.segment.SegmentTestUtils.allTypesSchema;
import static io.river.engine.segment.SegmentTestUtils.key;
import static io.river.engine.segment.SegmentTestUtils.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.cache.BlockCache;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading segments back, with the block cache disabled and enabled (both paths must agree). */
class SegmentReaderTest {
    private static final int N = 1000;
    private static final int BLOCK = 64;

    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();
    private BlockCache cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
        allocator.close(); // throws if any buffer leaked
    }

    private SegmentReader writeAndOpen(long cacheBytes, List<Row> input, TableSchema schema) throws IOException {
        cache = new BlockCache(cacheBytes);
        Path path = dir.resolve("seg-" + input.size() + "-" + schema.version() + ".arrow");
        SegmentWriter.write(path, schema, input.iterator(), new SegmentWriter.Options(BLOCK, 0.01), allocator);
        return SegmentReader.open(path, 7, allocator, cache);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 64L << 20, 20_000})
    void roundTripOfAllTypesWithNullsAndTombstones(long cacheBytes) throws IOException {
        List<Row> input = rows(N);
        try (SegmentReader r = writeAndOpen(cacheBytes, input, allTypesSchema())) {
            assertEquals(16, r.blockCount());
            List<Row> back = new ArrayList<>();
            try (SegmentRowIterator it = r.rows()) {
                it.forEachRemaining(back::add);
            }
            assertEquals(input, back);
            for (int i = 0; i < N; i++) {
                Optional<Row> got = r.get(key(i));
                assertTrue(got.isPresent(), key(i));
                assertEquals(input.get(i), got.get());
                assertEquals(SegmentTestUtils.isTombstone(i), got.get().isTombstone());
            }
            SegmentMeta meta = r.meta();
            assertEquals(N, meta.rows());
            assertEquals(16, meta.blocks());
            assertEquals(3, meta.schemaVersion());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 64L << 20})
    void getFindsPresentKeysOnlyAndKeepsTombstones(long cacheBytes) throws IOException {
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < N; i += 2) {
            input.add(SegmentTestUtils.row(i)); // even keys only
        }
        try (SegmentReader r = writeAndOpen(cacheBytes, input, allTypesSchema())) {
            assertEquals(Optional.empty(), r.get(key(1)));
            assertEquals(Optional.empty(), r.get(key(999)));
            assertEquals(Optional.empty(), r.get("a-before-everything"));
            assertEquals(Optional.empty(), r.get("z-after-everything"));
            Row tomb = r.get(key(18)).orElseThrow(); // 18 % 13 == 5
            assertTrue(tomb.isTombstone());
            assertTrue(tomb.values().isEmpty());
            Row live = r.get(key(24)).orElseThrow();
            assertFalse(live.isTombstone());
            assertEquals(-476, live.get("n32"));
            assertEquals(Instant.ofEpochMilli(1_600_000_024_000L), live.get("at"));
            assertArrayEquals("blob24".getBytes(StandardCharsets.UTF_8), (byte[]) live.get("blob"));
        }
    }

    @Test
    void bloomFilterAnswersMostAbsentKeysWithoutTouchingBlocks() throws IOException {
        try (SegmentReader r = writeAndOpen(0, rows(N), allTypesSchema())) {
            int probes = 10_000;
            for (int i = 0; i < probes; i++) {
                // Inside the key range, so the block index alone could not rule them out.
                assertEquals(Optional.empty(), r.get(key(i % N) + "x"));
            }
            assertTrue(r.bloomNegatives() >= probes * 0.97, "bloom negatives " + r.bloomNegatives());
            assertEquals(probes, r.bloomNegatives() + r.bloomFalsePositives());
            assertTrue(r.blocksDecoded() <= r.bloomFalsePositives());
            long before = r.blocksDecoded();
            r.get(key(3));
            assertEquals(before + 1, r.blocksDecoded());
        }
    }

    @Test
    void zoneMapsMatchTheData() throws IOException {
        List<Row> input = rows(N);
        TableSchema schema = allTypesSchema();
        try (SegmentReader r = writeAndOpen(0, input, schema)) {
            for (int b = 0; b < r.blockCount(); b++) {
                List<Row> block = input.subList(b * BLOCK, Math.min(N, (b + 1) * BLOCK));
                BlockStats stats = r.blockStats(b);
                assertEquals(block.size(), stats.rowCount());
                assertEquals(block.get(0).pk(), stats.minKey());
                assertEquals(block.get(block.size() - 1).pk(), stats.maxKey());
                Map<String, ColumnStats> expected = SegmentTestUtils.expectedZoneMaps(block, schema);
                for (Column c : schema.columns()) {
                    assertEquals(expected.get(c.name()), stats.column(c.name()), "block " + b + " column " + c.name());
                    assertFalse(stats.lacksColumn(c.name()));
                }
                assertTrue(stats.lacksColumn("not_a_column"));
                assertNull(stats.column("not_a_column"));
            }
            // Block 1 (rows 64..127) holds the NaN price of row 77: it sorts above every number.
            assertEquals(Double.NaN, r.blockStats(1).column("price").max());
            Map<String, ColumnStats> whole = SegmentTestUtils.expectedZoneMaps(input, schema);
            for (Column c : schema.columns()) {
                assertEquals(whole.get(c.name()), r.meta().columns().get(c.name()), c.name());
            }
        }
    }

    @Test
    void longStringZoneMapsAreBounds() throws IOException {
        TableSchema schema = new TableSchema(1, List.of(new Column("s", ColumnType.STRING)));
        String low = "a".repeat(200) + "1";
        String high = "b".repeat(200) + "2";
        List<Row> input = List.of(
                Row.builder("k1").set("s", high).build(),
                Row.builder("k2").set("s", low).build());
        try (SegmentReader r = writeAndOpen(0, input, schema)) {
            ColumnStats s = r.blockStats(0).column("s");
            assertTrue(((String) s.min()).length() <= ZoneMaps.MAX_STRING_CHARS);
            assertTrue(((String) s.min()).compareTo(low) <= 0);
            assertTrue(((String) s.max()).compareTo(high) >= 0);
            assertTrue(((String) s.max()).compareTo("c") < 0);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 64L << 20})
    void readBlockProjectsWidensAndNullFills(long cacheBytes) throws IOException {
        TableSchema written = new TableSchema(
                1,
                List.of(
                        new Column("n", ColumnType.INT32),
                        new Column("m", ColumnType.INT64),
                        new Column("s", ColumnType.STRING)));
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Row.Builder b = Row.builder(key(i)).set("m", (long) i * 3).set("s", "v" + i);
            if (i % 10 != 0) {
                b.set("n", i - 50);
            }
            input.add(i == 70 ? Row.tombstone(key(i)) : b.build());
        }
        TableSchema now = new TableSchema(
                2,
                List.of(
                        new Column("n", ColumnType.INT64),
                        new Column("m", ColumnType.FLOAT64),
                        new Column("s", ColumnType.STRING),
                        new Column("added", ColumnType.TIMESTAMP)));
        try (SegmentReader r = writeAndOpen(cacheBytes, input, written)) {
            for (int pass = 0; pass < 2; pass++) { // the second pass is served by the cache, if any
                try (VectorSchemaRoot root =
                        r.readBlock(1, List.of("added", "n", "_pk", "m", "_deleted"), now, allocator)) {
                    assertEquals(36, root.getRowCount());
                    assertEquals(
                            List.of("added", "n", "_pk", "m", "_deleted"),
                            root.getSchema().getFields().stream()
                                    .map(f -> f.getName())
                                    .toList());
                    TimeStampMilliTZVector added = (TimeStampMilliTZVector) root.getVector("added");
                    BigIntVector n = (BigIntVector) root.getVector("n");
                    Float8Vector m = (Float8Vector) root.getVector("m");
                    VarCharVector pk = (VarCharVector) root.getVector("_pk");
                    BitVector deleted = (BitVector) root.getVector("_deleted");
                    for (int j = 0; j < 36; j++) {
                        int i = 64 + j;
                        assertTrue(added.isNull(j));
                        assertEquals(key(i), new String(pk.get(j), StandardCharsets.UTF_8));
                        assertEquals(i == 70 ? 1 : 0, deleted.get(j));
                        if (i % 10 == 0) {
                            assertTrue(n.isNull(j));
                        } else {
                            assertEquals(i - 50L, n.get(j));
                        }
                        if (i == 70) {
                            assertTrue(m.isNull(j));
                        } else {
                            assertEquals(i * 3.0, m.get(j));
                        }
                    }
                    // The caller owns the vectors and may even write to them.
                    n.setSafe(0, 12345L);
                }
            }
            Row widened = r.get(key(7), now).orElseThrow();
            assertEquals(-43L, widened.get("n"));
            assertEquals(21.0, widened.get("m"));
            assertEquals(-43, r.get(key(7)).orElseThrow().get("n"));
            assertThrows(IllegalArgumentException.class, () -> r.readBlock(0, List.of("nope"), now, allocator));
            TableSchema narrower = new TableSchema(3, List.of(new Column("s", ColumnType.INT64)));
            assertThrows(IllegalArgumentException.class, () -> r.readBlock(0, List.of("s"), narrower, allocator));
        }
    }

    @Test
    void readBlockResultOutlivesTheReader() throws IOException {
        VectorSchemaRoot root;
        try (SegmentReader r = writeAndOpen(64L << 20, rows(200), allTypesSchema())) {
            root = r.readBlock(2, List.of("name", "_pk"), allTypesSchema(), allocator);
        }
        try (root) {
            assertEquals(BLOCK, root.getRowCount());
            assertEquals(key(128), new String(((VarCharVector) root.getVector("_pk")).get(0), StandardCharsets.UTF_8));
        }
    }

    @Test
    void rowRangesAreHalfOpenAndMayStopEarly() throws IOException {
        List<Row> input = rows(N);
        try (SegmentReader r = writeAndOpen(0, input, allTypesSchema())) {
            List<Row> got = new ArrayList<>();
            try (SegmentRowIterator it = r.rows(key(100), key(300))) {
                it.forEachRemaining(got::add);
            }
            assertEquals(input.subList(100, 300), got);
            got.clear();
            try (SegmentRowIterator it = r.rows(key(990) + "a", null)) { // between keys
                it.forEachRemaining(got::add);
            }
            assertEquals(input.subList(991, N), got);
            try (SegmentRowIterator it = r.rows("z", null)) {
                assertFalse(it.hasNext());
            }
            try (SegmentRowIterator it = r.rows(null, "a")) {
                assertFalse(it.hasNext());
            }
            SegmentRowIterator early = r.rows();
            early.next();
            early.close(); // frees its block; the allocator check in @AfterEach would catch a leak
            assertFalse(early.hasNext());
        }
    }

    @Test
    void refusesFilesThatAreNotRiverSegments() throws IOException {
        cache = new BlockCache(0);
        Path junk = dir.resolve("junk.arrow");
        Files.write(junk, "not arrow at all".getBytes(StandardCharsets.UTF_8));
        assertThrows(IOException.class, () -> SegmentReader.open(junk, 1, allocator, cache));
        assertThrows(IOException.class, () -> SegmentReader.open(dir.resolve("missing.arrow"), 2, allocator, cache));
    }

    @Test
    void refusesASegmentOfANewerFormatVersion() throws IOException {
        cache = new BlockCache(0);
        Path path = dir.resolve("future.arrow");
        TableSchema schema = new TableSchema(1, List.of(new Column("n", ColumnType.INT64)));
        try (VectorSchemaRoot root = VectorSchemaRoot.create(SegmentFormat.arrowSchema(schema), allocator);
                java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                        path, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                org.apache.arrow.vector.ipc.ArrowFileWriter w = new org.apache.arrow.vector.ipc.ArrowFileWriter(
                        root, null, ch, Map.of(SegmentFormat.KEY_VERSION, String.valueOf(SegmentFormat.VERSION + 1)))) {
            w.start();
            w.end();
        }
        IOException e = assertThrows(IOException.class, () -> SegmentReader.open(path, 1, allocator, cache));
        assertTrue(e.getMessage().contains("unsupported segment version"), e.getMessage());
    }

    @Test
    void closedReaderRefusesReads() throws IOException {
        SegmentReader r = writeAndOpen(0, rows(10), allTypesSchema());
        r.close();
        r.close();
        assertThrows(IllegalStateException.class, () -> r.get(key(1)));
    }
}
