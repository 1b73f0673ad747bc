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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * SQL side by side: the same event table (ts, city, country, user_id, amount, status) in River
 * (an append table written through the engine, flushed and compacted to segments) and in DuckDB
 * (in-process, same rows through its appender), then each query run alternately on both; prints
 * the median times and the speed ratio (DuckDB time / River time: above 1 means River is faster).
 * Run: {@code ./river bench sql --rows 10000000}.
 */
public final class SqlBench {
    static final String[] QUERIES = {
        "SELECT city, count(*) FROM events GROUP BY city",
        "SELECT sum(amount) FROM events WHERE country = 'FR' AND amount > 50",
        "SELECT date_trunc('hour', ts) AS h, count(*) FROM events GROUP BY h",
        "SELECT user_id, amount FROM events ORDER BY amount DESC LIMIT 10",
        "SELECT count(DISTINCT user_id) FROM events",
        "SELECT country, avg(amount), max(amount) FROM events WHERE status = 'paid' GROUP BY country",
    };

    private SqlBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = LsmSpaceBench.parse(args);
        int rows = Integer.parseInt(a.getOrDefault("rows", "1000000"));
        int runs = Integer.parseInt(a.getOrDefault("runs", "5"));
        run(rows, runs);
    }

    static void run(int rows, int runs) throws Exception {
        Path dir = Files.createTempDirectory("river-sql-bench");
        String[] cities = new String[100];
        for (int i = 0; i < cities.length; i++) {
            cities[i] = "city" + i;
        }
        String[] countries = {"FR", "DE", "US", "NO", "JP", "BR", "IN", "NG", "PE", "LV", "ES", "IT"};
        String[] statuses = {"paid", "pending", "refunded"};
        long t0 = System.nanoTime();
        try (RiverEngine river = RiverEngine.open(RiverConfig.from(Map.of("river.data.dir", dir.toString(),
                "river.http.port", "-1", "river.wal.sync", "interval", "river.checkpoint.interval.ms", "0")));
             Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             QueryEngine queries = new QueryEngine()) {
            river.createTable("events", TableMode.APPEND);
            try (Statement st = duck.createStatement()) {
                st.execute("CREATE TABLE events (ts TIMESTAMP, city VARCHAR, country VARCHAR, user_id BIGINT, "
                        + "amount DOUBLE, status VARCHAR)");
            }
            SplittableRandom rnd = new SplittableRandom(42);
            long base = 1_763_000_000_000L;
            try (DuckDBAppender app = ((DuckDBConnection) duck).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                WriteBatch.Builder b = WriteBatch.builder();
                for (int i = 0; i < rows; i++) {
                    // Zipf-ish skew: low city numbers are far more common.
                    String city = cities[(int) Math.min(99, Math.floor(Math.pow(rnd.nextDouble(), 3) * 100))];
                    String country = countries[rnd.nextInt(countries.length)];
                    long user = rnd.nextInt(2_000_000);
                    double amount = Math.round(rnd.nextDouble() * 10_000) / 100.0;
                    String status = statuses[rnd.nextInt(10) < 7 ? 0 : 1 + rnd.nextInt(2)];
                    long ts = base + i * 37L;
                    b.add("events", Row.builder(SystemColumns.appendKey(0, i)).set("ts", Instant.ofEpochMilli(ts))
                            .set("city", city).set("country", country).set("user_id", user).set("amount", amount)
                            .set("status", status).build());
                    if (b.size() == 10_000) {
                        river.writeDeferred(b.build());
                        b = WriteBatch.builder();
                    }
                    app.beginRow();
                    app.append(new Timestamp(ts).toLocalDateTime());
                    app.append(city);
                    app.append(country);
                    app.append(user);
                    app.append(amount);
                    app.append(status);
                    app.endRow();
                }
                if (b.size() > 0) {
                    river.writeDeferred(b.build());
                }
            }
            river.flush();
            river.compact();
            System.out.printf("loaded %,d rows into River and DuckDB in %.1f s; River arrow peak %.0f MB%n", rows,
                    (System.nanoTime() - t0) / 1e9, river.allocator().getPeakMemoryAllocation() / 1e6);
            System.out.printf("%-95s %10s %10s %8s%n", "query", "River ms", "DuckDB ms", "speedup");
            for (String sql : QUERIES) {
                long[] r = new long[runs];
                long[] d = new long[runs];
                timeRiver(queries, river, sql);
                timeDuck(duck, sql);
                for (int i = 0; i < runs; i++) {
                    r[i] = timeRiver(queries, river, sql);
                    d[i] = timeDuck(duck, sql);
                }
                double rm = median(r) / 1e6;
                double dm = median(d) / 1e6;
                System.out.printf("%-95s %10.1f %10.1f %7.2fx%n", sql, rm, dm, dm / rm);
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf("heap used %.0f MB%n", (rt.totalMemory() - rt.freeMemory()) / 1e6);
        } finally {
            LsmSpaceBench.deleteTree(dir);
        }
    }

    private static long timeRiver(QueryEngine queries, RiverEngine river, String sql) {
        long t = System.nanoTime();
        QueryResult res = queries.execute(sql, new EngineCatalog(river));
        if (res.rowCount() < 0) {
            throw new IllegalStateException();
        }
        return System.nanoTime() - t;
    }

    private static long timeDuck(Connection duck, String sql) throws Exception {
        long t = System.nanoTime();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            if (n < 0) {
                throw new IllegalStateException();
            }
        }
        return System.nanoTime() - t;
    }

    static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }

    static List<String> queries() {
        return new ArrayList<>(Arrays.asList(QUERIES));
    }
}
