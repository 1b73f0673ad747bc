package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The SQL benchmark's queries on an upsert table beside an append table holding the same final
 * rows (River against River). The upsert table {@code events} is keyed by random-looking 16-hex-digit
 * keys (the shape of Kafka record keys) and reaches {@link SqlBench}'s rows through a history: 30%
 * of keys first hold another row's values and are overwritten later, and 5% more keys are written
 * and deleted later; both tables are then synced, flushed and compacted as {@link SqlBench} does, and
 * the upsert engine is reopened (timed: that rebuilds its key index). Each query is warmed up, then
 * timed alternately on both tables; the answers must match (row count and sum of the last column).
 * {@code --upsert-append-order key} gives the append table the upsert table's keys (the same row
 * order, so only the deletion vectors differ); {@code arrival} (default) gives it arrival-order keys.
 * The reported ratio is append time / upsert time (above 1 = the upsert table is faster).
 */
final class UpsertSqlBench {
    private final SqlBench events;
    private final int runs;
    private final BenchResults results;
    private final boolean appendInKeyOrder;

    /**
     * {@code appendInKeyOrder}: the append table's rows take the upsert table's keys, so both tables
     * hold their rows in the same order and only the deletion vectors differ; otherwise they take
     * arrival-order keys (an append table's usual layout, here clustered by time).
     */
    UpsertSqlBench(int rows, int runs, boolean appendInKeyOrder, BenchResults results) {
        this.events = new SqlBench(rows, runs, results);
        this.runs = runs;
        this.results = results;
        this.appendInKeyOrder = appendInKeyOrder;
    }

    void run() throws Exception {
        Path upsertDir = BenchSupport.scratch("river-upsert-bench");
        Path appendDir = BenchSupport.scratch("river-upsert-bench-append");
        MemoryMeter mem = MemoryMeter.start();
        RiverEngine upsert = open(upsertDir);
        try (RiverEngine append = open(appendDir);
                QueryEngine queries = new QueryEngine()) {
            mem.watchArrow(() -> append.allocator().getPeakMemoryAllocation());
            String label = String.format("%,d rows", events.rows());
            double appendLoad = loadAppend(append);
            double upsertLoad = loadUpsert(upsert);
            results.add(
                    "upsert",
                    "load " + label + " (upsert: +30% overwrites, +5% keys deleted; incl. flush + compaction)",
                    "rows/s",
                    true,
                    events.rows() / upsertLoad,
                    appendName(),
                    events.rows() / appendLoad,
                    mem.summary());
            results.note("upsert table after load: "
                    + upsert.table("events").orElseThrow().stats());
            upsert.close();
            long t0 = System.nanoTime();
            upsert = open(upsertDir);
            double reopenMs = (System.nanoTime() - t0) / 1e6;
            results.add(
                    "upsert",
                    "reopen the upsert table (" + label + ")",
                    "ms",
                    false,
                    reopenMs,
                    "",
                    Double.NaN,
                    mem.summary());
            results.note("upsert table after reopen: "
                    + upsert.table("events").orElseThrow().stats());
            EngineCatalog upsertCatalog = new EngineCatalog(upsert);
            EngineCatalog appendCatalog = new EngineCatalog(append);
            for (String sql : SqlBench.QUERIES) {
                checkSame(sql, queries.execute(sql, upsertCatalog), queries.execute(sql, appendCatalog));
                long warmStart = System.nanoTime();
                for (int w = 1; w < 10 && System.nanoTime() - warmStart < 1_000_000_000L; w++) {
                    SqlBench.timeRiver(queries, upsertCatalog, sql);
                    SqlBench.timeRiver(queries, appendCatalog, sql);
                }
                double[] u = new double[runs];
                double[] a = new double[runs];
                for (int i = 0; i < runs; i++) {
                    if (i % 2 == 0) {
                        u[i] = SqlBench.timeRiver(queries, upsertCatalog, sql);
                        a[i] = SqlBench.timeRiver(queries, appendCatalog, sql);
                    } else {
                        a[i] = SqlBench.timeRiver(queries, appendCatalog, sql);
                        u[i] = SqlBench.timeRiver(queries, upsertCatalog, sql);
                    }
                }
                results.add(
                        "upsert " + (events.rows() >= 1_000_000 ? events.rows() / 1_000_000 + "M" : events.rows()),
                        sql,
                        "ms",
                        false,
                        BenchSupport.median(u),
                        appendName(),
                        BenchSupport.median(a),
                        mem.summary());
            }
        } finally {
            upsert.close();
            mem.close();
            BenchSupport.deleteTree(upsertDir);
            BenchSupport.deleteTree(appendDir);
        }
    }

    private String appendName() {
        return appendInKeyOrder ? "append table (same key order)" : "append table (arrival order)";
    }

    private static RiverEngine open(Path dir) throws IOException {
        return RiverEngine.open(RiverConfig.from(Map.of(
                "river.data.dir",
                dir.toString(),
                "river.http.port",
                "-1",
                "river.wal.sync",
                "interval",
                "river.checkpoint.interval.ms",
                "0")));
    }

    private double loadAppend(RiverEngine river) throws Exception {
        long t0 = System.nanoTime();
        river.createTable("events", TableMode.APPEND);
        Batches b = new Batches(river);
        for (int i = 0; i < events.rows(); i++) {
            b.add(events.event(appendInKeyOrder ? key(i) : SystemColumns.appendKey(0, i), i));
        }
        b.finish();
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Pass 1 writes every key once: the final row, or for 30% of keys another row's values; every
     * 20th row also writes an extra key. Pass 2 overwrites the 30% with their final rows and deletes
     * the extra keys.
     */
    private double loadUpsert(RiverEngine river) throws Exception {
        long t0 = System.nanoTime();
        river.createTable("events", TableMode.UPSERT);
        int n = events.rows();
        Batches b = new Batches(river);
        for (int i = 0; i < n; i++) {
            b.add(events.event(key(i), overwritten(i) ? (int) ((i * 7L + 13) % n) : i));
            if (i % 20 == 0) {
                b.add(events.event(key(n + i), (int) ((i * 11L + 5) % n)));
            }
        }
        for (int i = 0; i < n; i++) {
            if (overwritten(i)) {
                b.add(events.event(key(i), i));
            }
            if (i % 20 == 0) {
                b.add(Row.tombstone(key(n + i)));
            }
        }
        b.finish();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static boolean overwritten(int i) {
        return Long.remainderUnsigned(mix(i), 100) < 30;
    }

    private static String key(int i) {
        return String.format("%016x", mix(i));
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    private static void checkSame(String sql, QueryResult upsert, QueryResult append) {
        double su = lastColumnSum(upsert);
        double sa = lastColumnSum(append);
        BenchSupport.check(
                upsert.rowCount() == append.rowCount() && Math.abs(su - sa) <= 1e-6 * Math.abs(sa),
                String.format(
                        "answers differ for %s: upsert %d rows / %.6f, append %d rows / %.6f",
                        sql, upsert.rowCount(), su, append.rowCount(), sa));
    }

    private static double lastColumnSum(QueryResult r) {
        double sum = 0;
        for (Object[] row : r.rows()) {
            sum += ((Number) row[row.length - 1]).doubleValue();
        }
        return sum;
    }

    /** Deferred writes of 10,000 rows each, then one sync, a flush and a compaction. */
    private static final class Batches {
        private final RiverEngine river;
        private WriteBatch.Builder b = WriteBatch.builder();

        Batches(RiverEngine river) {
            this.river = river;
        }

        void add(Row row) throws IOException {
            b.add("events", row);
            if (b.size() == 10_000) {
                river.writeDeferred(b.build());
                b = WriteBatch.builder();
            }
        }

        void finish() throws IOException {
            if (b.size() > 0) {
                river.writeDeferred(b.build());
            }
            river.sync();
            river.flush();
            river.compact();
        }
    }
}
