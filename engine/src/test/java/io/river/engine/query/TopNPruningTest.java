package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Top-N queries skip segment blocks that cannot hold a winner ({@link TopNBound}), and the answers
 * are exactly the sorted model's: ASC and DESC, OFFSET, WHERE, ties decided by a second key, NULLs
 * last, NaN as the largest double, INT64, FLOAT64 and TIMESTAMP keys, rows in segments (64-row
 * blocks), superseded versions, deletes and memtable rows.
 */
class TopNPruningTest {
    private static final int ROWS = 5_000;

    /** One live row of the model. */
    private record M(long id, Double v, long ts) {}

    @Test
    void readsTheMostPromisingBlocksFirst(@TempDir Path dir) throws Exception {
        int blocks = 40;
        try (RiverEngine e = EngineTestUtils.openSmall(dir);
                QueryEngine q = new QueryEngine(2)) {
            e.createTable("t", TableMode.APPEND);
            WriteBatch.Builder b = WriteBatch.builder();
            for (int id = 0; id < blocks * 64; id++) { // values rise with the key: the best blocks lie last
                b.add("t", Row.builder(key(id)).set("id", (long) id).build());
            }
            e.write(b.build());
            e.flush();
            QueryResult r = q.execute("SELECT id FROM t ORDER BY id DESC LIMIT 5", new EngineCatalog(e));
            assertEquals(
                    List.of(2559L, 2558L, 2557L, 2556L, 2555L),
                    r.rows().stream().map(row -> row[0]).collect(Collectors.toList()));
            // read in key order, each split would raise its bar with every block it reads
            assertTrue(r.stats().blocksSkipped() >= blocks - 8, "blocks skipped: " + r.stats());
        }
    }

    @Test
    void skipsBlocksAndAnswersExactly(@TempDir Path dir) throws Exception {
        Random rnd = new Random(11);
        List<M> model = new ArrayList<>();
        try (RiverEngine e = EngineTestUtils.openSmall(dir);
                QueryEngine q = new QueryEngine(2)) {
            e.createTable("t", TableMode.UPSERT);
            // stale versions first (overwritten below), then the final rows; ids follow key order
            write(e, 0, ROWS, id -> row(id, 1e9 + id, 0)); // would win every DESC query if not superseded
            e.flush();
            for (int id = 0; id < ROWS; id++) {
                Double v = id % 97 == 0 ? null : id % 211 == 0 ? Double.NaN : (double) rnd.nextInt(50); // many ties
                model.add(new M(id, v, 1_700_000_000_000L + id * 1000L));
            }
            int inSegments = ROWS - 300;
            writeModel(e, model.subList(0, inSegments));
            e.flush();
            e.compact();
            writeModel(e, model.subList(inSegments, ROWS)); // the newest rows stay in the memtable
            // deletes of some rows, in the memtable
            WriteBatch.Builder del = WriteBatch.builder();
            for (int id = 5; id < ROWS; id += 50) {
                del.add("t", Row.tombstone(key(id)));
            }
            e.write(del.build());
            model.removeIf(m -> m.id >= 5 && (m.id - 5) % 50 == 0);
            Catalog cat = new EngineCatalog(e);

            // keys correlated with block order: nearly every block is skipped
            QueryResult asc = check(
                    q,
                    cat,
                    "SELECT id FROM t ORDER BY id LIMIT 5",
                    model,
                    m -> true,
                    Comparator.comparingLong(M::id),
                    5,
                    0);
            assertTrue(asc.stats().blocksSkipped() > 40, "blocks skipped: " + asc.stats());
            QueryResult ts = check(
                    q,
                    cat,
                    "SELECT id FROM t ORDER BY ts DESC LIMIT 7 OFFSET 3",
                    model,
                    m -> true,
                    Comparator.comparingLong(M::ts).reversed(),
                    7,
                    3);
            assertTrue(ts.stats().blocksSkipped() > 40, "blocks skipped: " + ts.stats());

            // ties, NULLs and NaN on a random key
            Comparator<M> vDesc = Comparator.comparing(
                            M::v,
                            Comparator.nullsLast(
                                    Comparator.<Double>naturalOrder().reversed()))
                    .thenComparingLong(M::id);
            Comparator<M> vAsc = Comparator.comparing(M::v, Comparator.nullsLast(Comparator.<Double>naturalOrder()))
                    .thenComparingLong(M::id);
            check(q, cat, "SELECT id FROM t ORDER BY v DESC, id LIMIT 25", model, m -> true, vDesc, 25, 0);
            check(q, cat, "SELECT id FROM t ORDER BY v, id LIMIT 10 OFFSET 4", model, m -> true, vAsc, 10, 4);
            check(
                    q,
                    cat,
                    "SELECT id FROM t WHERE id % 3 = 0 ORDER BY v DESC, id LIMIT 30",
                    model,
                    m -> m.id % 3 == 0,
                    vDesc,
                    30,
                    0);
            // one sort key: which of the rows tied at the bar is open, so blocks reaching the bar are
            // skipped too; the sort keys returned must still be exactly the model's
            QueryResult one =
                    checkKeys(q, cat, "SELECT v, id FROM t ORDER BY v DESC LIMIT 25", model, m -> true, vDesc, 25, 0);
            QueryResult two =
                    check(q, cat, "SELECT id, v FROM t ORDER BY v DESC, id LIMIT 25", model, m -> true, vDesc, 25, 0);
            System.out.println("top-N one key " + one.stats() + " vs two keys " + two.stats());
            assertTrue(
                    one.stats().blocksSkipped() > two.stats().blocksSkipped(),
                    "one key skips more: " + one.stats() + " vs " + two.stats());
            checkKeys(
                    q,
                    cat,
                    "SELECT v, id FROM t WHERE id % 3 = 0 ORDER BY v LIMIT 10 OFFSET 4",
                    model,
                    m -> m.id % 3 == 0,
                    vAsc,
                    10,
                    4);
            checkKeys(q, cat, "SELECT v, id FROM t ORDER BY v DESC LIMIT 100000", model, m -> true, vDesc, 100_000, 0);
            // more rows asked than the table has: nothing may be skipped wrongly
            check(q, cat, "SELECT id FROM t ORDER BY v DESC, id LIMIT 100000", model, m -> true, vDesc, 100_000, 0);
        }
    }

    private static QueryResult check(
            QueryEngine q,
            Catalog cat,
            String sql,
            List<M> model,
            Predicate<M> where,
            Comparator<M> order,
            int limit,
            int offset) {
        List<Long> want = model.stream()
                .filter(where)
                .sorted(order)
                .skip(offset)
                .limit(limit)
                .map(M::id)
                .collect(Collectors.toList());
        QueryResult r = q.execute(sql, cat);
        List<Long> got = r.rows().stream().map(row -> (Long) row[0]).collect(Collectors.toList());
        assertEquals(want, got, sql);
        return r;
    }

    /**
     * For a query whose first two columns are (v, id) ordered by v alone: the v values must be the
     * model's, in order, and each row a real row of the model that passes {@code where}.
     */
    private static QueryResult checkKeys(
            QueryEngine q,
            Catalog cat,
            String sql,
            List<M> model,
            Predicate<M> where,
            Comparator<M> order,
            int limit,
            int offset) {
        List<Double> want = model.stream()
                .filter(where)
                .sorted(order)
                .skip(offset)
                .limit(limit)
                .map(M::v)
                .collect(Collectors.toList());
        QueryResult r = q.execute(sql, cat);
        List<Double> got = r.rows().stream().map(row -> (Double) row[0]).collect(Collectors.toList());
        assertEquals(want, got, sql);
        java.util.Map<Long, M> byId = new java.util.HashMap<>();
        model.forEach(m -> byId.put(m.id, m));
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (Object[] row : r.rows()) {
            M m = byId.get((Long) row[1]);
            assertTrue(
                    m != null && where.test(m) && java.util.Objects.equals(m.v, row[0]) && ids.add(m.id),
                    sql + ": row " + java.util.Arrays.toString(row) + " is not a distinct live row of the model");
        }
        return r;
    }

    private static String key(long id) {
        return String.format("k%06d", id);
    }

    private static Row row(long id, Double v, long ts) {
        Row.Builder b = Row.builder(key(id)).set("_key", key(id)).set("id", id).set("ts", Instant.ofEpochMilli(ts));
        if (v != null) {
            b.set("v", v);
        }
        return b.build();
    }

    private static void writeModel(RiverEngine e, List<M> rows) throws Exception {
        for (int from = 0; from < rows.size(); from += 100) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (M m : rows.subList(from, Math.min(rows.size(), from + 100))) {
                b.add("t", row(m.id, m.v, m.ts));
            }
            e.write(b.build());
        }
    }

    private static void write(RiverEngine e, int from, int to, java.util.function.LongFunction<Row> rows)
            throws Exception {
        for (int start = from; start < to; start += 100) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (int id = start; id < Math.min(to, start + 100); id++) {
                b.add("t", rows.apply(id));
            }
            e.write(b.build());
        }
    }
}
