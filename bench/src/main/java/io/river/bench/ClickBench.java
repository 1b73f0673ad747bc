package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./river bench clickbench [--rows N]}: ClickBench's 43 queries ({@link ClickBenchQueries},
 * verbatim from ClickHouse/ClickBench's duckdb/queries.sql) on the same generated {@code hits} table
 * ({@link ClickBenchData}) in River and in DuckDB, both in this JVM and using every core. Each side
 * loads the table its users' way ({@link ClickBenchLoad}); then, per query, both answer once and the
 * answers are judged ({@link ClickBenchJudge}: a query River answers wrongly is reported FAILED and
 * not timed), then each side runs it {@code runs} more times, alternating, and its best time counts
 * (ClickBench's "hot run"). Reports the time of each query on both sides, River's advantage
 * (DuckDB time / River time, above 1 = River faster) and the geometric mean of the advantages.
 */
final class ClickBench {
    private final int rows;
    private final int runs;
    private final BenchResults results;

    ClickBench(int rows, int runs, BenchResults results) {
        this.rows = rows;
        this.runs = runs;
        this.results = results;
    }

    void run() throws Exception {
        Path dir = BenchSupport.scratch("river-clickbench");
        MemoryMeter mem = MemoryMeter.start();
        String label = "clickbench " + (rows >= 1_000_000 ? rows / 1_000_000 + "M" : String.format("%,d", rows));
        try (RiverEngine river = RiverEngine.open(RiverConfig.from(Map.of(
                        "river.data.dir", dir.toString(),
                        "river.http.port", "-1",
                        "river.wal.sync", "interval",
                        "river.checkpoint.interval.ms", "0")));
                Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                QueryEngine queries = new QueryEngine()) {
            mem.watchArrow(river.allocator()::getPeakMemoryAllocation);
            long t0 = System.nanoTime();
            ClickBenchData data = new ClickBenchData(rows, 1L);
            System.out.printf(Locale.ROOT, "generated %,d rows in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
            double riverLoad = time(() -> ClickBenchLoad.intoRiver(river, data));
            double duckLoad = time(() -> ClickBenchLoad.intoDuckDb(duck, data));
            results.add(
                    label,
                    "load (River: CREATE TABLE, INSERT, row API, flush, compaction; DuckDB: appender)",
                    "rows/s",
                    true,
                    rows / riverLoad,
                    "DuckDB",
                    rows / duckLoad,
                    mem.summary());
            EngineCatalog catalog = new EngineCatalog(river);
            List<String> all = ClickBenchQueries.all();
            double logRiver = 0;
            double logDuck = 0;
            int timed = 0;
            for (int q = 0; q < all.size(); q++) {
                String sql = all.get(q);
                String what = "Q" + (q + 1);
                System.out.println(what + ": " + sql);
                String wrong = check(sql, queries, catalog, duck);
                if (wrong != null) {
                    results.note(label + " " + what + " FAILED: River's answer differs from DuckDB's: " + wrong);
                    continue;
                }
                double bestRiver = Double.MAX_VALUE;
                double bestDuck = Double.MAX_VALUE;
                for (int i = 0; i < runs; i++) {
                    if (i % 2 == 0) {
                        bestRiver = Math.min(bestRiver, timeRiver(queries, catalog, sql));
                        bestDuck = Math.min(bestDuck, timeDuck(duck, sql));
                    } else {
                        bestDuck = Math.min(bestDuck, timeDuck(duck, sql));
                        bestRiver = Math.min(bestRiver, timeRiver(queries, catalog, sql));
                    }
                }
                results.add(label, what, "ms", false, bestRiver, "DuckDB", bestDuck, mem.summary());
                logRiver += Math.log(Math.max(bestRiver, 0.01));
                logDuck += Math.log(Math.max(bestDuck, 0.01));
                timed++;
            }
            if (timed > 0) {
                results.add(
                        label,
                        "geometric mean of " + timed + " queries",
                        "ms",
                        false,
                        Math.exp(logRiver / timed),
                        "DuckDB",
                        Math.exp(logDuck / timed),
                        mem.summary());
            }
        } finally {
            mem.close();
            BenchSupport.deleteTree(dir);
        }
    }

    /** Runs the query once on both sides (the first, cold run); null when River's answer is right. */
    private static String check(String sql, QueryEngine queries, EngineCatalog catalog, Connection duck)
            throws Exception {
        List<Object[]> expected = duckRows(duck, sql);
        String wholeSql = ClickBenchQueries.wholeQuery(sql);
        List<Object[]> whole = wholeSql.equals(sql) ? expected : duckRows(duck, wholeSql);
        try {
            List<Object[]> actual =
                    ClickBenchJudge.normalizeAll(queries.execute(sql, catalog).rows());
            return ClickBenchJudge.judge(sql, expected, whole, actual);
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static List<Object[]> duckRows(Connection duck, String sql) throws Exception {
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return ClickBenchJudge.read(rs);
        }
    }

    private static double timeRiver(QueryEngine queries, EngineCatalog catalog, String sql) {
        long t = System.nanoTime();
        queries.execute(sql, catalog);
        return (System.nanoTime() - t) / 1e6;
    }

    private static double timeDuck(Connection duck, String sql) throws Exception {
        long t = System.nanoTime();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int c = 1; c <= cols; c++) {
                    rs.getObject(c); // materialize each value, as River's answer does
                }
            }
        }
        return (System.nanoTime() - t) / 1e6;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double time(Step step) throws Exception {
        long t = System.nanoTime();
        step.run();
        return (System.nanoTime() - t) / 1e9;
    }
}
