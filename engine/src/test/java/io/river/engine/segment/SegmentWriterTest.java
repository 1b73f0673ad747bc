package io.river.engine.segment;

import static io.river.engine.segment.SegmentTestUtils.allTypesSchema;
import static io.river.engine.segment.SegmentTestUtils.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentWriterTest {
    private static final SegmentWriter.Options OPTIONS = new SegmentWriter.Options(64, 0.01);

    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void closeAllocator() {
        allocator.close(); // throws if any buffer leaked
    }

    @Test
    void stockArrowReaderOpensTheFile() throws IOException {
        Path path = dir.resolve("000001.arrow");
        List<Row> input = rows(1000);
        SegmentMeta meta = SegmentWriter.write(path, allTypesSchema(), input.iterator(), OPTIONS, allocator);

        try (SeekableByteChannel ch = Files.newByteChannel(path);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator, CommonsCompressionFactory.INSTANCE)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            List<String> names = new ArrayList<>();
            for (Field f : root.getSchema().getFields()) {
                names.add(f.getName());
            }
            List<String> expected = new ArrayList<>(List.of("_pk", "_deleted"));
            allTypesSchema().columns().forEach(c -> expected.add(c.name()));
            assertEquals(expected, names);
            assertEquals(
                    String.valueOf(SegmentFormat.VERSION), reader.getMetaData().get(SegmentFormat.KEY_VERSION));
            List<ArrowBlock> blocks = reader.getRecordBlocks();
            assertEquals(16, blocks.size());
            long total = 0;
            String last = "";
            for (ArrowBlock b : blocks) {
                assertTrue(reader.loadRecordBatch(b));
                total += root.getRowCount();
                VarCharVector pk = (VarCharVector) root.getVector("_pk");
                for (int i = 0; i < root.getRowCount(); i++) {
                    String k = new String(pk.get(i), java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(k.compareTo(last) > 0);
                    last = k;
                }
            }
            assertEquals(1000, total);
        }
        assertEquals(1000, meta.rows());
        assertEquals(16, meta.blocks());
        assertEquals(Files.size(path), meta.sizeBytes());
        assertEquals("000001.arrow", meta.file());
        assertEquals("k000000", meta.minKey());
        assertEquals("k000999", meta.maxKey());
        assertEquals(input.stream().filter(Row::isTombstone).count(), meta.tombstones());
        assertEquals(3, meta.schemaVersion());
        assertFalse(Files.exists(dir.resolve("000001.arrow.tmp")));
    }

    @Test
    void blocksAreCompressedWithEitherCodec() throws IOException {
        Path path = dir.resolve("z.arrow");
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            input.add(Row.builder(String.format("k%08d", i))
                    .set("name", "repetitive-value-" + (i % 10))
                    .build());
        }
        TableSchema schema = new TableSchema(1, List.of(new Column("name", ColumnType.STRING)));
        SegmentWriter.write(
                path,
                schema,
                input.iterator(),
                new SegmentWriter.Options(8192, 0.01, 65536, CompressionUtil.CodecType.ZSTD, 0),
                allocator);
        // Raw: ~20k * (9 + 19 + 4 + 4) bytes of keys, names and offsets; ZSTD shrinks it several times.
        assertTrue(Files.size(path) < 20_000 * 36 / 3, "file not compressed: " + Files.size(path));
        Path lz4 = dir.resolve("l.arrow");
        SegmentWriter.write(
                lz4,
                schema,
                input.iterator(),
                new SegmentWriter.Options(8192, 0.01, 65536, CompressionUtil.CodecType.LZ4_FRAME, 0),
                allocator);
        // LZ4 trades size for decode speed: still well under the raw size.
        assertTrue(Files.size(lz4) < 20_000 * 36 / 2, "file not compressed: " + Files.size(lz4));
    }

    @Test
    void crashBeforeRenameLeavesOnlyTheTempFile() throws IOException {
        Path path = dir.resolve("000002.arrow");
        // The committer models a crash after the fsync of the temp file, before the rename.
        assertThrows(
                IllegalStateException.class,
                () -> SegmentWriter.write(
                        path, allTypesSchema(), rows(300).iterator(), OPTIONS, allocator, (tmp, target) -> {
                            throw new IllegalStateException("simulated crash");
                        }));
        assertFalse(Files.exists(path));
        Path tmp = dir.resolve("000002.arrow.tmp");
        assertTrue(Files.exists(tmp));
        try (SeekableByteChannel ch = Files.newByteChannel(tmp);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator, CommonsCompressionFactory.INSTANCE)) {
            assertEquals(5, reader.getRecordBlocks().size()); // complete and fsynced, just not published
        }
    }

    @Test
    void failureWhileWritingLeavesNoFile() {
        Path path = dir.resolve("000003.arrow");
        Iterator<Row> failing = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Row next() {
                if (i == 150) {
                    throw new IllegalStateException("source failed");
                }
                return SegmentTestUtils.row(i++);
            }
        };
        assertThrows(
                IllegalStateException.class,
                () -> SegmentWriter.write(path, allTypesSchema(), failing, OPTIONS, allocator));
        assertFalse(Files.exists(path));
        assertFalse(Files.exists(dir.resolve("000003.arrow.tmp")));
    }

    @Test
    void rejectsBadInputWithoutLeavingFiles() throws IOException {
        TableSchema schema = allTypesSchema();
        Path path = dir.resolve("bad.arrow");
        List<Row> unordered = List.of(Row.builder("b").build(), Row.builder("a").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(path, schema, unordered.iterator(), OPTIONS, allocator));
        List<Row> duplicate = List.of(Row.builder("a").build(), Row.tombstone("a"));
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(path, schema, duplicate.iterator(), OPTIONS, allocator));
        List<Row> unknownColumn = List.of(Row.builder("a").set("nope", 1).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(path, schema, unknownColumn.iterator(), OPTIONS, allocator));
        List<Row> wrongType = List.of(Row.builder("a").set("n32", "text").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(path, schema, wrongType.iterator(), OPTIONS, allocator));
        List<Row> narrowing = List.of(Row.builder("a").set("n32", 5L).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(path, schema, narrowing.iterator(), OPTIONS, allocator));
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(path, schema, List.<Row>of().iterator(), OPTIONS, allocator));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void nullValueForAColumnTheSchemaLacksIsIgnoredAndValuesWiden() throws IOException {
        TableSchema schema =
                new TableSchema(1, List.of(new Column("n", ColumnType.INT64), new Column("d", ColumnType.FLOAT64)));
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("n", 7);
        values.put("d", 3L);
        values.put("not_yet_a_column", null);
        Path path = dir.resolve("w.arrow");
        SegmentWriter.write(path, schema, List.of(Row.of("a", values)).iterator(), OPTIONS, allocator);
        try (io.river.engine.cache.BlockCache cache = new io.river.engine.cache.BlockCache(0);
                SegmentReader r = SegmentReader.open(path, 1, allocator, cache)) {
            Row back = r.get("a").orElseThrow();
            assertEquals(7L, back.get("n"));
            assertEquals(3.0, back.get("d"));
        }
    }

    @Test
    void metaIsJacksonSerializable() throws IOException {
        SegmentMeta meta = SegmentWriter.write(
                dir.resolve("m.arrow"), allTypesSchema(), rows(200).iterator(), OPTIONS, allocator);
        ObjectMapper json = new ObjectMapper();
        SegmentMeta back = json.readValue(json.writeValueAsString(meta), SegmentMeta.class);
        assertEquals(meta.file(), back.file());
        assertEquals(meta.rows(), back.rows());
        assertEquals(meta.minKey(), back.minKey());
        assertEquals(meta.columns().keySet(), back.columns().keySet());
        assertEquals(
                ((Number) meta.columns().get("n64").max()).longValue(),
                ((Number) back.columns().get("n64").max()).longValue());
        assertEquals(meta.columns().get("name"), back.columns().get("name"));
    }
}
