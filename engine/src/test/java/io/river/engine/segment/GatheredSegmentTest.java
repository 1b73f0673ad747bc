package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfigKeys;
import io.river.engine.cache.BlockCache;
import io.river.engine.memtable.Memtable;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.StringDictionary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment written from a frozen memtable's vectors ({@link Memtable#frozenColumns}, the flush
 * path) is the segment written from the same memtable's rows one by one ({@link Memtable#sortedRows}):
 * the same blocks with the same keys, counts and zone maps, the same stored vectors (dictionary
 * codes and narrowed integers included) and the same rows read back, on random upserts and deletes
 * of every column type with NULLs, across chunks whose schemas evolve (new columns, INT32 widened to
 * INT64 and FLOAT64).
 */
class GatheredSegmentTest {
    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void close() {
        allocator.close(); // throws if any buffer leaked
    }

    @Test
    void columnPathWritesTheSegmentOfTheRowPath() throws IOException {
        for (long seed = 1; seed <= 6; seed++) {
            assertSameSegment(seed, seed % 2 == 0);
        }
    }

    @Test
    void utf16OrderOfUtf8BytesIsJavaStringOrder() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String a = randomString(random, 4);
            String b = randomString(random, 4);
            int expected = Integer.signum(a.compareTo(b));
            int actual = Integer.signum(ZoneMapBuilder.compareUtf16(
                    a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, actual, () -> "'" + a + "' vs '" + b + "'");
        }
    }

    private void assertSameSegment(long seed, boolean narrow) throws IOException {
        Random random = new Random(seed);
        Memtable m = new Memtable("t", TableMode.UPSERT, 1, allocator, 37);
        TableSchema schema = TableSchema.initial();
        long lsn = 0;
        for (int batch = 0; batch < 60; batch++) {
            List<Row> rows = new ArrayList<>();
            int n = 1 + random.nextInt(20);
            for (int i = 0; i < n; i++) {
                rows.add(randomRow(random, batch));
            }
            for (Row r : rows) {
                schema = schema.evolve(r);
            }
            m.apply(rows, schema, ++lsn);
        }
        m.freeze();
        try {
            SegmentWriter.Options options = new SegmentWriter.Options(
                    16, 0.01, 50, SegmentFormat.codec(RiverConfigKeys.SEGMENT_CODEC.defaultValue()), 0, narrow);
            Map<String, StringDictionary> dictionaries = dictionaries(m, schema);
            Map<String, ColumnEncoding> encodings = encodings(m, schema);
            Path byRows = dir.resolve(seed + "-rows.seg");
            Path byColumns = dir.resolve(seed + "-columns.seg");
            SegmentMeta rowMeta = SegmentWriter.write(
                    byRows, schema, m.sortedRows(schema).iterator(), dictionaries, encodings, options, allocator);
            SegmentMeta columnMeta = SegmentWriter.write(
                    byColumns, schema, m.frozenColumns(), dictionaries, encodings, options, allocator);
            assertEquals(rowMeta.rows(), columnMeta.rows());
            assertEquals(rowMeta.tombstones(), columnMeta.tombstones());
            assertEquals(rowMeta.columns(), columnMeta.columns(), "file zone maps");
            assertTrue(rowMeta.tombstones() > 0 && rowMeta.blocks() > 3, "the data exercises deletes and blocks");
            assertFalse(dictionaries.isEmpty(), "some string column is dictionary-encoded");
            assertEquals(narrow, !encodings.isEmpty() && options.narrow(), "numeric columns narrowed when asked");
            compareFiles(byRows, byColumns, schema);
        } finally {
            m.close();
        }
    }

    private void compareFiles(Path expectedPath, Path actualPath, TableSchema schema) {
        List<String> columns = new ArrayList<>(List.of(SegmentFormat.PK, SegmentFormat.DELETED));
        schema.columns().forEach(c -> columns.add(c.name()));
        try (BlockCache cache = new BlockCache(0);
                SegmentReader expected = SegmentReader.open(expectedPath, 1, allocator, cache);
                SegmentReader actual = SegmentReader.open(actualPath, 2, allocator, cache)) {
            assertEquals(expected.footer().blocks(), actual.footer().blocks(), "blocks: keys, counts, zone maps");
            assertEquals(expected.arrowSchema(), actual.arrowSchema(), "stored types, dictionaries, encodings");
            for (int b = 0; b < expected.blockCount(); b++) {
                try (VectorSchemaRoot e = expected.readStoredUncached(b, columns, allocator);
                        VectorSchemaRoot a = actual.readStoredUncached(b, columns, allocator)) {
                    assertTrue(e.equals(a), "stored vectors of block " + b);
                }
            }
            try (SegmentRowIterator e = expected.rows();
                    SegmentRowIterator a = actual.rows()) {
                while (e.hasNext()) {
                    assertTrue(a.hasNext());
                    assertEquals(e.next(), a.next());
                }
                assertFalse(a.hasNext());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, StringDictionary> dictionaries(Memtable m, TableSchema schema) {
        DictionaryCollector collector = new DictionaryCollector(50, m.keyCount());
        for (Column c : schema.columns()) {
            if (c.type() == ColumnType.STRING) {
                m.forEachString(c.name(), v -> {
                    collector.add(c.name(), v);
                    return collector.wants(c.name());
                });
            }
        }
        return collector.build();
    }

    private static Map<String, ColumnEncoding> encodings(Memtable m, TableSchema schema) {
        EncodingCollector collector = new EncodingCollector();
        for (Column c : schema.columns()) {
            m.forEachVector(c.name(), (v, rows) -> collector.offer(c.name(), v, rows));
        }
        return collector.build(schema);
    }

    /**
     * A random upsert or delete of one of 150 keys; columns appear as batches go on, and "grow" holds
     * INT32 values, then INT64, then doubles, so the memtable's chunks hold it at three widths.
     */
    private static Row randomRow(Random random, int batch) {
        String key = "k" + random.nextInt(150);
        if (random.nextInt(8) == 0) {
            return Row.tombstone(key);
        }
        Row.Builder b = Row.builder(key);
        set(b, random, "flag", random.nextBoolean());
        set(b, random, "small", random.nextInt(100) - 50);
        set(
                b,
                random,
                "grow",
                batch < 20
                        ? (Object) random.nextInt(1000)
                        : batch < 40
                                ? (Object) (random.nextInt(1000) + 5_000_000_000L)
                                : (Object) (random.nextInt(1000) / 4.0));
        set(b, random, "price", Math.round(random.nextDouble() * 10_000) / 100.0);
        set(b, random, "noise", random.nextInt(30) == 0 ? Double.NaN : random.nextGaussian());
        set(b, random, "city", "city" + random.nextInt(12));
        set(b, random, "text", randomString(random, 90));
        if (batch >= 10) {
            set(b, random, "at", Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000)));
            set(b, random, "day", LocalDate.ofEpochDay(19_000 + random.nextInt(400)));
        }
        if (batch >= 30) {
            byte[] blob = new byte[random.nextInt(6)];
            random.nextBytes(blob);
            set(b, random, "blob", blob);
            set(b, random, "late", "late" + random.nextInt(3));
        }
        return b.build();
    }

    /** Sets {@code value} or, one time in five, leaves the column NULL. */
    private static void set(Row.Builder b, Random random, String column, Object value) {
        if (random.nextInt(5) != 0) {
            b.set(column, value);
        }
    }

    /** Up to {@code max} chars from ASCII, two-byte, three-byte below and above the surrogates, and pairs. */
    private static String randomString(Random random, int max) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(5)) {
                case 0 -> sb.append((char) ('a' + random.nextInt(3)));
                case 1 -> sb.append((char) (0xE0 + random.nextInt(3)));
                case 2 -> sb.append((char) (0xD000 + random.nextInt(3)));
                case 3 -> sb.append((char) (0xFF00 + random.nextInt(3)));
                default -> sb.appendCodePoint(0x1F600 + random.nextInt(3));
            }
        }
        return sb.toString();
    }
}
