package io.river.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.cache.BlockCache;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.segment.ColumnEncoding;
import io.river.engine.segment.SegmentReader;
import io.river.engine.testing.EngineTestUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flushes and compactions narrow numeric columns ({@code river.segment.encoding=auto}, the default):
 * the segments of a table written as a user writes it hold narrowed integers, timestamps and decimal
 * doubles, and SQL answers over them equal those over the same rows stored plain ({@code none}), up to
 * the order in which sums of doubles are added.
 */
class NarrowedSegmentsTest {
    private static final int ROWS = 20_000;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static final List<String> QUERIES = List.of(
            "SELECT sum(amount), min(amount), max(amount), count(amount) FROM events",
            "SELECT sum(amount) FROM events WHERE amount > 50 AND user_id < 500",
            "SELECT date_trunc('hour', ts) AS h, count(*), sum(user_id) FROM events GROUP BY h ORDER BY h",
            "SELECT user_id, amount, ts, ratio FROM events ORDER BY amount DESC, user_id LIMIT 5",
            "SELECT count(DISTINCT user_id), min(big), max(big), min(ratio) FROM events",
            "SELECT count(*) FROM events WHERE ts BETWEEN TIMESTAMP '2023-11-14 23:00:00' "
                    + "AND TIMESTAMP '2023-11-15 00:00:00'");

    @Test
    void flushedAndCompactedSegmentsAreNarrowedAndAnswerAsPlainOnes() throws IOException {
        Path narrowDir = dir.resolve("auto");
        Path plainDir = dir.resolve("none");
        Map<String, List<Object>> narrow = load(narrowDir, "auto");
        Map<String, List<Object>> plain = load(plainDir, "none");
        assertEquals(plain, narrow);

        Map<String, Integer> narrowed = encodedColumns(narrowDir);
        assertTrue(narrowed.getOrDefault("user_id", 0) > 0, "user_id narrowed: " + narrowed);
        assertTrue(narrowed.getOrDefault("amount", 0) > 0, "amount stored as scaled integers: " + narrowed);
        assertTrue(narrowed.getOrDefault("ts", 0) > 0, "ts narrowed: " + narrowed);
        assertFalse(narrowed.containsKey("ratio"), "doubles that are not short decimals stay plain");
        assertEquals(Map.of(), encodedColumns(plainDir));
        long narrowBytes = tableBytes(narrowDir);
        long plainBytes = tableBytes(plainDir);
        assertTrue(narrowBytes < plainBytes, narrowBytes + " bytes narrowed, " + plainBytes + " plain");
    }

    private static Map<String, List<Object>> load(Path data, String encoding) throws IOException {
        Map<String, List<Object>> answers = new HashMap<>();
        try (RiverEngine e = EngineTestUtils.openSmall(data, "river.segment.encoding=" + encoding)) {
            e.createTable("events", TableMode.APPEND);
            for (int start = 0; start < ROWS; start += 2_000) {
                WriteBatch.Builder b = WriteBatch.builder();
                for (int i = start; i < start + 2_000; i++) {
                    b.add("events", row(i));
                }
                e.write(b.build());
            }
            e.flush();
            e.compact();
            try (QueryEngine q = new QueryEngine(2)) {
                for (String query : QUERIES) {
                    List<Object> rows = new ArrayList<>();
                    for (Object[] r : q.execute(query, new EngineCatalog(e)).rows()) {
                        rows.add(Arrays.stream(r)
                                .map(NarrowedSegmentsTest::summed)
                                .toList());
                    }
                    answers.put(query, rows);
                }
            }
        }
        return answers;
    }

    /** Sums of doubles depend on the order of addition, which file sizes (and so splits) change. */
    private static Object summed(Object v) {
        return v instanceof Double d ? Math.round(d * 1e6) / 1e6 : v;
    }

    private static Row row(int i) {
        Row.Builder b = Row.builder(String.format("k%07d", i))
                .set("ts", Instant.ofEpochMilli(T0 + i * 370L))
                .set("user_id", (long) (i * 7919 % 2_000))
                .set("big", Long.MAX_VALUE - i)
                .set("ratio", i / 7.0);
        if (i % 10 != 3) {
            b.set("amount", (i * 31 % 10_001) / 100.0);
        }
        return b.build();
    }

    private static long tableBytes(Path data) throws IOException {
        try (Stream<Path> s = Files.walk(data.resolve("tables"))) {
            return s.filter(p -> p.toString().endsWith(".arrow"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    /** Per column, how many of the data directory's segments narrow it. */
    private static Map<String, Integer> encodedColumns(Path data) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(data.resolve("tables"))) {
            files = s.filter(p -> p.toString().endsWith(".arrow")).toList();
        }
        assertFalse(files.isEmpty());
        try (BufferAllocator allocator = new RootAllocator();
                BlockCache cache = new BlockCache(0)) {
            long id = 1;
            for (Path f : files) {
                try (SegmentReader r = SegmentReader.open(f, id++, allocator, cache)) {
                    for (String column : r.columnTypes().keySet()) {
                        ColumnEncoding enc = r.encoding(column);
                        if (enc != null) {
                            assertNotNull(enc.type());
                            out.merge(column, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return out;
    }
}
