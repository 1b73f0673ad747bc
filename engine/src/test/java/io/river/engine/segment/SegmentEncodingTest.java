package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.cache.BlockCache;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.NarrowValues;
import io.river.engine.scan.ScanBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Narrowed numeric columns (format version 4, {@link ColumnEncoding}): every type, width and edge
 * (extreme longs, negative ranges, NULLs, all-NULL, one value, decimals and doubles that are not)
 * is chosen as documented, reads back to the written values through every read path of {@link
 * SegmentReader}, and reads with Arrow Java's stock {@link ArrowFileReader} as narrow integers whose
 * field metadata gives the values back by the documented mapping.
 */
class SegmentEncodingTest {
    private static final int N = 1000;
    private static final int BLOCK = 64;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void close() {
        allocator.close(); // throws if any buffer leaked
    }

    /** One column of the test table: its values by row (null = NULL) and the encoding it must get. */
    private record Case(String name, ColumnType type, IntFunction<Object> value, ColumnEncoding.Kind kind, int bits) {}

    private static final List<Case> CASES = List.of(
            new Case("i8", ColumnType.INT64, i -> 1000L + i % 256, ColumnEncoding.Kind.OFFSET, 8),
            new Case("i8neg", ColumnType.INT64, i -> -200L - i % 200, ColumnEncoding.Kind.OFFSET, 8),
            new Case("i16", ColumnType.INT64, i -> i == 3 ? 65_535L : (long) i, ColumnEncoding.Kind.OFFSET, 16),
            new Case(
                    "i32",
                    ColumnType.INT64,
                    i -> i == 7 ? 2_147_483_647L : i == 8 ? -2_147_483_648L : (long) i,
                    ColumnEncoding.Kind.OFFSET,
                    32),
            new Case("i64", ColumnType.INT64, i -> i == 9 ? 1L << 32 : (long) i, null, 0),
            new Case("lowest", ColumnType.INT64, i -> Long.MIN_VALUE + i % 3, ColumnEncoding.Kind.OFFSET, 8),
            new Case("highest", ColumnType.INT64, i -> Long.MAX_VALUE - i % 5, ColumnEncoding.Kind.OFFSET, 8),
            new Case("extremes", ColumnType.INT64, i -> i % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE, null, 0),
            new Case("sparse", ColumnType.INT64, i -> i % 3 == 0 ? null : (long) -i, ColumnEncoding.Kind.OFFSET, 16),
            new Case("allnull", ColumnType.INT64, i -> null, null, 0),
            new Case("single", ColumnType.INT64, i -> 42L, ColumnEncoding.Kind.OFFSET, 8),
            new Case("n8", ColumnType.INT32, i -> i % 250 - 125, ColumnEncoding.Kind.OFFSET, 8),
            new Case("n16", ColumnType.INT32, i -> i * 60 - 30_000, ColumnEncoding.Kind.OFFSET, 16),
            new Case("n32", ColumnType.INT32, i -> i == 0 ? Integer.MIN_VALUE : i, null, 0),
            new Case(
                    "day", ColumnType.DATE, i -> LocalDate.ofEpochDay(19_000 + i % 100), ColumnEncoding.Kind.OFFSET, 8),
            new Case(
                    "ts",
                    ColumnType.TIMESTAMP,
                    i -> Instant.ofEpochMilli(T0 + i * 37L),
                    ColumnEncoding.Kind.OFFSET,
                    16),
            new Case(
                    "tswide",
                    ColumnType.TIMESTAMP,
                    i -> Instant.ofEpochMilli(T0 + i * 3_600_000L),
                    ColumnEncoding.Kind.OFFSET,
                    32),
            new Case("cents", ColumnType.FLOAT64, i -> (i * 7919 % 10_001) / 100.0, ColumnEncoding.Kind.DECIMAL, 16),
            new Case(
                    "tenths",
                    ColumnType.FLOAT64,
                    i -> i % 2 == 0 ? null : (i % 111 - 55) / 10.0,
                    ColumnEncoding.Kind.DECIMAL,
                    8),
            new Case("whole", ColumnType.FLOAT64, i -> 1e15 + i % 100, ColumnEncoding.Kind.DECIMAL, 8),
            new Case("micro", ColumnType.FLOAT64, i -> i / 1e6, ColumnEncoding.Kind.DECIMAL, 16),
            new Case("thirds", ColumnType.FLOAT64, i -> i / 3.0, null, 0),
            new Case("nan", ColumnType.FLOAT64, i -> i == 500 ? Double.NaN : (double) i, null, 0),
            new Case("negzero", ColumnType.FLOAT64, i -> i == 1 ? -0.0 : (double) i, null, 0));

    private static TableSchema schema() {
        List<Column> cols = new ArrayList<>();
        for (Case c : CASES) {
            cols.add(new Column(c.name(), c.type()));
        }
        return new TableSchema(1, cols);
    }

    private static List<Row> rows() {
        List<Row> out = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            String pk = String.format("k%05d", i);
            if (i % 17 == 4) {
                out.add(Row.tombstone(pk));
                continue;
            }
            Map<String, Object> v = new LinkedHashMap<>();
            for (Case c : CASES) {
                Object x = c.value().apply(i);
                if (x != null) {
                    v.put(c.name(), x);
                }
            }
            out.add(Row.of(pk, v));
        }
        return out;
    }

    /** Writes the rows plain, offers its blocks to a collector as a flush offers its vectors; returns the plan. */
    private Map<String, ColumnEncoding> plan(List<Row> rows) throws IOException {
        Path plain = dir.resolve("plain.arrow");
        SegmentWriter.write(plain, schema(), rows.iterator(), new SegmentWriter.Options(BLOCK, 0.01), allocator);
        EncodingCollector collector = new EncodingCollector();
        try (BlockCache cache = new BlockCache(0);
                SegmentReader r = SegmentReader.open(plain, 1, allocator, cache)) {
            for (int b = 0; b < r.blockCount(); b++) {
                for (Case c : CASES) {
                    try (VectorSchemaRoot root = r.readBlock(b, List.of(c.name()), schema(), allocator)) {
                        collector.offer(c.name(), root.getVector(0), root.getRowCount());
                    }
                }
            }
        }
        return collector.build(schema());
    }

    @Test
    void everyTypeWidthAndEdgeIsChosenAsDocumentedAndReadsBack() throws IOException {
        List<Row> input = rows();
        Map<String, ColumnEncoding> plan = plan(input);
        Path path = dir.resolve("encoded.arrow");
        SegmentWriter.write(
                path, schema(), input.iterator(), Map.of(), plan, new SegmentWriter.Options(BLOCK, 0.01), allocator);
        try (BlockCache cache = new BlockCache(1 << 20);
                SegmentReader r = SegmentReader.open(path, 2, allocator, cache)) {
            assertEquals(SegmentFormat.VERSION, r.footer().version());
            for (Case c : CASES) {
                ColumnEncoding enc = r.encoding(c.name());
                if (c.kind() == null) {
                    assertNull(enc, c.name() + " stays plain");
                } else {
                    assertNotNull(enc, c.name() + " is narrowed");
                    assertEquals(c.kind(), enc.kind(), c.name());
                    assertEquals(c.bits(), enc.bits(), c.name());
                }
                assertEquals(c.type(), r.columnTypes().get(c.name()), c.name() + " reads as its logical type");
            }
            assertEquals(N, r.verify());
            List<Row> back = new ArrayList<>();
            try (SegmentRowIterator it = r.rows()) {
                it.forEachRemaining(back::add);
            }
            assertEquals(input, back);
            for (int i = 0; i < N; i += 7) {
                assertEquals(
                        input.get(i),
                        r.get(input.get(i).pk()).orElseThrow(),
                        input.get(i).pk());
            }
            List<String> names = CASES.stream().map(Case::name).toList();
            for (int b = 0; b < r.blockCount(); b++) {
                try (VectorSchemaRoot root = r.readBlock(b, names, schema(), allocator);
                        ScanBatch scan = r.scanBlock(b, names, schema(), allocator, null, true)) {
                    for (int row = 0; row < root.getRowCount(); row++) {
                        Row want = input.get(b * BLOCK + row);
                        for (Case c : CASES) {
                            Object expected = want.isTombstone() ? null : logical(c.type(), want.get(c.name()));
                            assertEquals(expected, root.getVector(c.name()).getObject(row), c.name() + " " + row);
                            assertEquals(
                                    expected, scan.root().getVector(c.name()).getObject(row), c.name());
                        }
                    }
                }
                assertNarrowScanReads(r, b, input);
            }
        }
        readWithStockArrow(path, input);
    }

    /**
     * A scan taking narrow numbers gets each narrowed column as its stored integers with the
     * encoding's {@link NarrowValues}, which give the written values back; plain columns come as before.
     */
    private void assertNarrowScanReads(SegmentReader r, int block, List<Row> input) {
        List<String> names = CASES.stream().map(Case::name).toList();
        try (ScanBatch scan = r.scanBlock(block, names, schema(), allocator, null, true, true)) {
            for (int ci = 0; ci < CASES.size(); ci++) {
                Case c = CASES.get(ci);
                NarrowValues narrow = scan.narrow(ci);
                FieldVector v = scan.root().getVector(ci);
                assertEquals(c.kind() != null, narrow != null, c.name() + " handed out narrow");
                for (int row = 0; row < scan.root().getRowCount(); row++) {
                    Row want = input.get(block * BLOCK + row);
                    Object expected = want.isTombstone() ? null : logical(c.type(), want.get(c.name()));
                    if (narrow == null || expected == null) {
                        assertEquals(expected, v.getObject(row), c.name() + " " + row);
                        continue;
                    }
                    long stored = ((BaseIntVector) v).getValueAsLong(row);
                    Object got = narrow.decimal()
                            ? (Object) narrow.decimalValue(stored)
                            : (Object) narrow.offsetValue(stored);
                    Object want64 = expected instanceof Integer n ? (Object) n.longValue() : expected;
                    assertEquals(want64, got, c.name() + " " + row);
                }
            }
        }
    }

    @Test
    void theBlockCacheHoldsNarrowedColumnsNarrow() throws IOException {
        List<Row> input = rows();
        Path path = dir.resolve("encoded.arrow");
        SegmentWriter.write(
                path,
                schema(),
                input.iterator(),
                Map.of(),
                plan(input),
                new SegmentWriter.Options(BLOCK, 0.01),
                allocator);
        for (String column : List.of("i8", "n16", "cents")) {
            try (BlockCache cache = new BlockCache(1 << 20);
                    SegmentReader r = SegmentReader.open(path, 2, allocator, cache)) {
                int bytes = r.encoding(column).bits() / 8;
                try (ScanBatch scan = r.scanBlock(0, List.of(column), schema(), allocator, null, true, true)) {
                    assertNotNull(scan.narrow(0), column);
                }
                try (VectorSchemaRoot widened = r.readBlock(0, List.of(column), schema(), allocator)) {
                    assertEquals(BLOCK, widened.getRowCount()); // widened from the cached entry
                }
                assertEquals(1, cache.entryCount(), column);
                assertEquals(1, cache.hits(), column + ": the widened read was served by the narrow entry");
                // key and bookkeeping (64) + validity + stored integers, well under the 8-byte logical values
                assertTrue(cache.sizeBytes() <= 64 + 64 + BLOCK * bytes, column + ": " + cache.sizeBytes() + " bytes");
            }
        }
    }

    /** A value as a logical Arrow vector's getObject returns it. */
    private static Object logical(ColumnType type, Object v) {
        if (v == null) {
            return null;
        }
        switch (type) {
            case TIMESTAMP:
                return ((Instant) v).toEpochMilli();
            case DATE:
                return Math.toIntExact(((LocalDate) v).toEpochDay());
            default:
                return v;
        }
    }

    /** A stock reader sees narrow signed integers plus metadata, and the documented mapping gives the values. */
    private void readWithStockArrow(Path path, List<Row> input) throws IOException {
        try (ArrowFileReader reader =
                new ArrowFileReader(Files.newByteChannel(path), allocator, CommonsCompressionFactory.INSTANCE)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            int base = 0;
            for (ArrowBlock block : reader.getRecordBlocks()) {
                assertTrue(reader.loadRecordBatch(block));
                for (Case c : CASES) {
                    FieldVector v = root.getVector(c.name());
                    Field f = v.getField();
                    Map<String, String> meta = f.getMetadata();
                    if (c.kind() == null) {
                        assertFalse(meta.containsKey(ColumnEncoding.KEY_ENCODING), c.name());
                        continue;
                    }
                    assertEquals(new ArrowType.Int(c.bits(), true), f.getType(), c.name());
                    assertEquals(c.type().name(), meta.get(ColumnEncoding.KEY_TYPE));
                    long b0 = Long.parseLong(meta.get(ColumnEncoding.KEY_BASE));
                    for (int row = 0; row < root.getRowCount(); row++) {
                        Row want = input.get(base + row);
                        Object expected = want.isTombstone() ? null : logical(c.type(), want.get(c.name()));
                        Object got = null;
                        if (!v.isNull(row)) {
                            long stored = ((BaseIntVector) v).getValueAsLong(row);
                            if (c.kind() == ColumnEncoding.Kind.DECIMAL) {
                                int scale = Integer.parseInt(meta.get(ColumnEncoding.KEY_SCALE));
                                assertEquals("decimal", meta.get(ColumnEncoding.KEY_ENCODING));
                                got = (b0 + stored) / Math.pow(10, scale);
                            } else {
                                assertEquals("offset", meta.get(ColumnEncoding.KEY_ENCODING));
                                long value = b0 + stored;
                                got = c.type() == ColumnType.INT32 || c.type() == ColumnType.DATE
                                        ? (Object) Math.toIntExact(value)
                                        : (Object) value;
                            }
                        }
                        assertEquals(expected, got, c.name() + " row " + (base + row));
                    }
                }
                base += root.getRowCount();
            }
            assertEquals(N, base);
        }
    }

    @Test
    void compactionInputsZoneMapsAndEncodingsPlanTheOutput() throws IOException {
        List<Row> input = rows();
        Path path = dir.resolve("encoded.arrow");
        SegmentWriter.write(
                path,
                schema(),
                input.iterator(),
                Map.of(),
                plan(input),
                new SegmentWriter.Options(BLOCK, 0.01),
                allocator);
        Path plain = dir.resolve("plain.arrow");
        try (BlockCache cache = new BlockCache(0);
                SegmentReader encoded = SegmentReader.open(path, 3, allocator, cache);
                SegmentReader plainReader = SegmentReader.open(plain, 4, allocator, cache)) {
            EncodingCollector fromEncoded = new EncodingCollector();
            fromEncoded.offerSegment(encoded);
            Map<String, ColumnEncoding> again = fromEncoded.build(schema());
            assertEquals(plan(input).keySet(), again.keySet(), "the same columns are narrowed again");
            EncodingCollector fromPlain = new EncodingCollector();
            fromPlain.offerSegment(plainReader);
            Map<String, ColumnEncoding> plainPlan = fromPlain.build(schema());
            assertNull(plainPlan.get("cents"), "plain doubles are of unknown form: left plain");
            assertEquals(16, plainPlan.get("i16").bits(), "integers are planned from zone maps");
        }
    }

    @Test
    void aValueOutsideItsEncodingIsRefusedAndLeavesNoFile() {
        Map<String, ColumnEncoding> plan =
                Map.of("i8", ColumnEncoding.forRange(ColumnEncoding.Kind.OFFSET, ColumnType.INT64, 0, 10, 0));
        Path path = dir.resolve("refused.arrow");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(
                        path,
                        schema(),
                        rows().iterator(),
                        Map.of(),
                        plan,
                        new SegmentWriter.Options(BLOCK, 0.01),
                        allocator));
        assertTrue(e.getMessage().contains("8-bit range"), e.getMessage());
        assertFalse(Files.exists(path));
    }

    @Test
    void encodingNoneWritesEveryColumnPlain() throws IOException {
        List<Row> input = rows();
        Map<String, ColumnEncoding> plan = plan(input);
        Path path = dir.resolve("none.arrow");
        SegmentWriter.write(
                path,
                schema(),
                input.iterator(),
                Map.of(),
                plan,
                new SegmentWriter.Options(BLOCK, 0.01, 16, CompressionUtil.CodecType.ZSTD, 0, false),
                allocator);
        try (BlockCache cache = new BlockCache(0);
                SegmentReader r = SegmentReader.open(path, 5, allocator, cache)) {
            Map<String, ColumnEncoding> none = new HashMap<>();
            for (Case c : CASES) {
                if (r.encoding(c.name()) != null) {
                    none.put(c.name(), r.encoding(c.name()));
                }
            }
            assertEquals(Map.of(), none);
            assertEquals(N, r.verify());
        }
    }

    /**
     * A segment written by the format-3 writer (commit 1bea542; the generator wrote 300 keys in 64-row
     * blocks with the values below, every 37th a tombstone, every 11th city NULL) reads unchanged, and a
     * compaction of it plans narrowed integers from its zone maps but leaves its plain doubles plain.
     */
    @Test
    void aVersion3SegmentWrittenByThePreviousFormatStillReads() throws IOException {
        Path path = dir.resolve("v3.arrow");
        try (InputStream in = getClass().getResourceAsStream("/segments/v3-dictionary.arrow")) {
            assertNotNull(in, "fixture written by the format-3 writer");
            Files.copy(in, path);
        }
        String[] cities = {"Paris", "Berlin", "Rome", "", "Zürich"};
        try (BlockCache cache = new BlockCache(1 << 20);
                SegmentReader r = SegmentReader.open(path, 21, allocator, cache)) {
            assertEquals(3, r.footer().version());
            assertNotNull(r.dictionary("city"));
            assertNull(r.encoding("n"));
            assertEquals(300, r.verify());
            for (int i = 0; i < 300; i++) {
                String k = String.format("k%04d", i);
                Row got = r.get(k).orElseThrow();
                if (i % 37 == 5) {
                    assertTrue(got.isTombstone(), k);
                    continue;
                }
                Map<String, Object> want = new HashMap<>();
                want.put("n", (long) i * 3);
                want.put("amount", (i * 7 % 1000) / 100.0);
                want.put("at", Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L));
                want.put("day", LocalDate.ofEpochDay(19_000 + i % 50));
                if (i % 11 != 0) {
                    want.put("city", cities[i % cities.length]);
                }
                assertEquals(want, got.values(), k);
            }
            EncodingCollector c = new EncodingCollector();
            c.offerSegment(r);
            TableSchema schema = new TableSchema(
                    1,
                    List.of(
                            new Column("n", ColumnType.INT64),
                            new Column("amount", ColumnType.FLOAT64),
                            new Column("at", ColumnType.TIMESTAMP),
                            new Column("day", ColumnType.DATE)));
            Map<String, ColumnEncoding> plan = c.build(schema);
            assertEquals(16, plan.get("n").bits());
            assertEquals(32, plan.get("at").bits());
            assertEquals(8, plan.get("day").bits());
            assertNull(plan.get("amount"));
        }
    }
}
