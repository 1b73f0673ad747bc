package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.cache.BlockCache;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.StringDictionary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dictionary-encoded string columns (format version 3): what is written comes back through every
 * read path (point reads, row iteration, decoded and encoded block reads, a stock Arrow reader),
 * the collector's rules decide which columns are encoded, a damaged dictionary is refused, and
 * version 2 files (no dictionaries) stay readable.
 */
class SegmentDictionaryTest {
    private static final int N = 500;
    private static final int BLOCK = 64;
    private static final String[] CITIES = {"Paris", "Berlin", "Rome", "", "Zürich", "日本", "\uD83D\uDE42x"};
    private static final TableSchema SCHEMA = new TableSchema(
            1,
            List.of(
                    new Column("n", ColumnType.INT64),
                    new Column("city", ColumnType.STRING),
                    new Column("name", ColumnType.STRING)));

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

    static String key(int i) {
        return String.format("k%05d", i);
    }

    /** Row i: every 17th a tombstone, city NULL every 9th, name unique per row. */
    static Row row(int i) {
        if (i % 17 == 3) {
            return Row.tombstone(key(i));
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("n", (long) i);
        if (i % 9 != 0) {
            v.put("city", CITIES[i % CITIES.length]);
        }
        v.put("name", "name-" + i);
        return Row.of(key(i), v);
    }

    static List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            out.add(row(i));
        }
        return out;
    }

    private Map<String, StringDictionary> collect(List<Row> rows, int max) {
        DictionaryCollector c = new DictionaryCollector(max, rows.size());
        for (Row r : rows) {
            for (String col : List.of("city", "name")) {
                c.add(col, (String) r.values().get(col));
            }
        }
        return c.build();
    }

    private SegmentReader writeAndOpen(long cacheBytes) throws IOException {
        cache = new BlockCache(cacheBytes);
        List<Row> input = rows();
        Map<String, StringDictionary> dicts = collect(input, 1000);
        assertEquals(List.of("city"), List.copyOf(dicts.keySet()), "unique names are not worth a dictionary");
        Path path = dir.resolve("dict-" + cacheBytes + ".arrow");
        SegmentWriter.write(path, SCHEMA, input.iterator(), dicts, new SegmentWriter.Options(BLOCK, 0.01), allocator);
        return SegmentReader.open(path, 11, allocator, cache);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1 << 20})
    void everyReadPathReturnsTheWrittenStrings(long cacheBytes) throws IOException {
        try (SegmentReader r = writeAndOpen(cacheBytes)) {
            StringDictionary d = r.dictionary("city");
            assertNotNull(d);
            assertNull(r.dictionary("name"));
            assertEquals(CITIES.length, d.size());
            for (int c = 1; c < d.size(); c++) {
                assertTrue(d.string(c - 1).compareTo(d.string(c)) < 0, "dictionary is sorted");
            }
            assertEquals(ColumnType.STRING, r.columnTypes().get("city"));
            // point reads (twice: the second from the cache when it is on)
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < N; i++) {
                    assertEquals(Optional.of(row(i)), r.get(key(i)), key(i));
                }
            }
            // row iteration, whole and ranged
            List<Row> all = new ArrayList<>();
            try (SegmentRowIterator it = r.rows()) {
                it.forEachRemaining(all::add);
            }
            assertEquals(rows(), all);
            try (SegmentRowIterator it = r.rows(key(100), key(150))) {
                List<Row> part = new ArrayList<>();
                it.forEachRemaining(part::add);
                assertEquals(rows().subList(100, 150), part);
            }
            // block reads: decoded strings, and codes with the dictionary
            int row = 0;
            for (int b = 0; b < r.blockCount(); b++) {
                StringDictionary[] out = new StringDictionary[2];
                try (VectorSchemaRoot plain = r.readBlock(b, List.of("city", "name"), SCHEMA, allocator);
                        VectorSchemaRoot coded = r.readBlock(b, List.of("city", "name"), SCHEMA, allocator, out)) {
                    assertSame(d, out[0]);
                    assertNull(out[1]);
                    VarCharVector strings = assertInstanceOf(VarCharVector.class, plain.getVector("city"));
                    TinyIntVector codes = assertInstanceOf(
                            TinyIntVector.class, coded.getVector("city"), "7 entries take one byte per code");
                    assertNotNull(codes.getField().getDictionary());
                    for (int i = 0; i < plain.getRowCount(); i++, row++) {
                        Object want = row(row).isTombstone()
                                ? null
                                : row(row).values().get("city");
                        if (want == null) {
                            assertTrue(strings.isNull(i) && codes.isNull(i), "row " + row);
                        } else {
                            assertEquals(want, new String(strings.get(i), StandardCharsets.UTF_8));
                            assertEquals(want, d.string(codes.get(i)));
                        }
                    }
                }
            }
            assertEquals(N, row);
            assertEquals(N, r.verify());
            DictionaryCollector again = new DictionaryCollector(1000, N);
            r.offerValues("city", again);
            r.offerValues("name", again);
            assertEquals(d.values(), again.build().get("city").values());
            assertFalse(again.build().containsKey("name"));
            assertFalse(again.wants("name"), "gave up on unique names at half the rows");
        }
    }

    private static void assertSame(Object a, Object b) {
        org.junit.jupiter.api.Assertions.assertSame(a, b);
    }

    @Test
    void aStockArrowReaderDecodesTheDictionaryColumn() throws IOException {
        writeAndOpen(0).close();
        Path path = dir.resolve("dict-0.arrow");
        try (SeekableByteChannel ch = Files.newByteChannel(path);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator, ZstdCodecFactory.INSTANCE)) {
            int row = 0;
            while (reader.loadNextBatch()) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                FieldVector codes = root.getVector("city");
                Dictionary d = reader.getDictionaryVectors()
                        .get(codes.getField().getDictionary().getId());
                try (VarCharVector decoded = (VarCharVector) DictionaryEncoder.decode(codes, d)) {
                    for (int i = 0; i < root.getRowCount(); i++, row++) {
                        Object want = row(row).isTombstone()
                                ? null
                                : row(row).values().get("city");
                        assertEquals(
                                want, decoded.isNull(i) ? null : new String(decoded.get(i), StandardCharsets.UTF_8));
                    }
                }
            }
            assertEquals(N, row);
        }
    }

    /** Codes are as narrow as the dictionary allows, and every width reads back through every path. */
    @ParameterizedTest
    @ValueSource(ints = {127, 128, 32_767, 32_768})
    void indexWidthFollowsTheDictionarySize(int entries) throws IOException {
        cache = new BlockCache(1 << 20);
        int rows = entries * 2;
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            input.add(Row.of(key(i), Map.of("n", (long) i, "city", "c" + (i * 7919L % entries))));
        }
        Map<String, StringDictionary> dicts = collect(input, 1 << 16);
        assertEquals(entries, dicts.get("city").size());
        Path path = dir.resolve("width-" + entries + ".arrow");
        SegmentWriter.write(path, SCHEMA, input.iterator(), dicts, new SegmentWriter.Options(4096, 0.01), allocator);
        Class<?> want =
                entries <= 127 ? TinyIntVector.class : entries <= 32_767 ? SmallIntVector.class : IntVector.class;
        try (SegmentReader r = SegmentReader.open(path, 20, allocator, cache)) {
            assertEquals(rows, r.verify());
            for (int i = 0; i < rows; i += 97) {
                assertEquals(Optional.of(input.get(i)), r.get(key(i)));
            }
            StringDictionary[] out = new StringDictionary[1];
            int row = 0;
            for (int b = 0; b < r.blockCount(); b++) {
                try (VectorSchemaRoot coded = r.readBlock(b, List.of("city"), SCHEMA, allocator, out)) {
                    assertInstanceOf(want, coded.getVector("city"));
                    BaseIntVector codes = (BaseIntVector) coded.getVector("city");
                    for (int i = 0; i < coded.getRowCount(); i++, row++) {
                        assertEquals(input.get(row).values().get("city"), out[0].string((int) codes.getValueAsLong(i)));
                    }
                }
            }
            assertEquals(rows, row);
        }
        try (SeekableByteChannel ch = Files.newByteChannel(path);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator, ZstdCodecFactory.INSTANCE)) {
            int row = 0;
            while (reader.loadNextBatch()) {
                FieldVector codes = reader.getVectorSchemaRoot().getVector("city");
                Dictionary d = reader.getDictionaryVectors()
                        .get(codes.getField().getDictionary().getId());
                try (VarCharVector decoded = (VarCharVector) DictionaryEncoder.decode(codes, d)) {
                    for (int i = 0; i < decoded.getValueCount(); i++, row++) {
                        assertEquals(
                                input.get(row).values().get("city"),
                                new String(decoded.get(i), StandardCharsets.UTF_8));
                    }
                }
            }
            assertEquals(rows, row);
        }
    }

    @Test
    void collectorEncodesOnlyColumnsWithFewEnoughValues() {
        List<Row> input = rows();
        assertEquals(List.of("city"), List.copyOf(collect(input, 1000).keySet()));
        assertTrue(collect(input, CITIES.length - 1).isEmpty(), "more distinct values than allowed");
        assertTrue(collect(input, 0).isEmpty(), "0 disables dictionaries");
        DictionaryCollector five = new DictionaryCollector(100, 5);
        five.addAll("c", List.of("a", "b", "c"));
        assertTrue(five.build().isEmpty(), "3 values in 5 rows are more than half");
        assertFalse(five.wants("c"));
        DictionaryCollector six = new DictionaryCollector(100, 6);
        six.addAll("c", List.of("a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), six.build().get("c").values());
        six.giveUp("c");
        assertFalse(six.wants("c"));
        assertTrue(six.build().isEmpty());
    }

    @Test
    void aValueMissingFromItsDictionaryIsRefusedAndLeavesNoFile() {
        cache = new BlockCache(0);
        Path path = dir.resolve("bad.arrow");
        Map<String, StringDictionary> dicts = Map.of("city", StringDictionary.of(List.of("Paris", "Rome")));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SegmentWriter.write(
                        path, SCHEMA, rows().iterator(), dicts, new SegmentWriter.Options(BLOCK, 0.01), allocator));
        assertTrue(e.getMessage().contains("not in the segment's dictionary"), e.getMessage());
        assertFalse(Files.exists(path));
        assertFalse(Files.exists(dir.resolve("bad.arrow.tmp")));
    }

    @Test
    void aDamagedDictionaryIsRefusedAtOpenNamingTheFile() throws IOException {
        writeAndOpen(0).close();
        Path good = dir.resolve("dict-0.arrow");
        ArrowBlock block;
        try (SeekableByteChannel ch = Files.newByteChannel(good);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator, ZstdCodecFactory.INSTANCE)) {
            block = reader.getDictionaryBlocks().get(0);
        }
        long start = block.getOffset();
        long len = block.getMetadataLength() + block.getBodyLength();
        Random random = new Random(5);
        for (int attempt = 0; attempt < 40; attempt++) {
            Path bad = dir.resolve("damaged-" + attempt + ".arrow");
            Files.copy(good, bad);
            long at = start + (attempt < 20 ? attempt * len / 20 : (long) (random.nextDouble() * len));
            try (FileChannel ch = FileChannel.open(bad, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(1);
                ch.read(b, at);
                b.put(0, (byte) (b.get(0) ^ (1 << random.nextInt(8))));
                b.rewind();
                ch.write(b, at);
            }
            IOException e = assertThrows(
                    IOException.class,
                    () -> SegmentReader.open(bad, 12, allocator, cache),
                    "flipped byte " + (at - start) + " of the dictionary");
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }

    @Test
    void aVersion2SegmentWrittenByThePreviousFormatStillReads() throws IOException {
        cache = new BlockCache(1 << 20);
        Path path = dir.resolve("v2.arrow");
        try (InputStream in = getClass().getResourceAsStream("/segments/v2-plain.arrow")) {
            assertNotNull(in, "fixture written by the format-2 writer");
            Files.copy(in, path);
        }
        // The fixture's rows (see its generator in the note of this test): 300 keys, 64-row blocks.
        String[] cities = {"Paris", "Berlin", "Rome", "", "Zürich"};
        try (SegmentReader r = SegmentReader.open(path, 13, allocator, cache)) {
            assertEquals(2, r.footer().version());
            assertNull(r.dictionary("city"));
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
                if (i % 11 != 0) {
                    want.put("city", cities[i % cities.length]);
                }
                want.put("name", "name-" + i);
                assertEquals(want, got.values(), k);
            }
            DictionaryCollector c = new DictionaryCollector(100, 300);
            r.offerValues("city", c);
            assertEquals(
                    List.of("", "Berlin", "Paris", "Rome", "Zürich"),
                    c.build().get("city").values());
        }
    }
}
