package io.river.bench;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import io.river.engine.cache.BlockCache;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryResult;
import io.river.engine.segment.ColumnEncoding;
import io.river.engine.segment.SegmentReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * SQL side by side: the same event table (ts, city: ~100 values with a skew, country: 12 values,
 * user_id: up to 2M distinct, amount, status) in River (an append table written through
 * {@link RiverEngine#writeDeferred}, then flushed and compacted to segments) and in DuckDB
 * (in-process, the same rows through its appender). Each query is first run on both as a warm-up
 * (until River has spent a second on it, at most ten times), then alternately (ABBA) for the measured runs; the median
 * of each side is reported, and the
 * answers are checked against each other (row count and the sum of the last column). Both use
 * every core: River's {@link QueryEngine} default parallelism, DuckDB's default threads.
 */
final class SqlBench {
    static final String[] QUERIES = {
        "SELECT city, count(*) FROM events GROUP BY city",
        "SELECT sum(amount) FROM events WHERE country = 'FR' AND amount > 50",
        "SELECT country, avg(amount), max(amount) FROM events WHERE status = 'paid' GROUP BY country",
        "SELECT city, sum(amount) FROM events WHERE amount BETWEEN 10 AND 20 GROUP BY city",
        "SELECT date_trunc('hour', ts) AS h, count(*) FROM events GROUP BY h",
        "SELECT user_id, amount FROM events ORDER BY amount DESC LIMIT 10",
        "SELECT count(DISTINCT user_id) FROM events",
    };
    private static final String[] COUNTRIES = {"FR", "DE", "US", "NO", "JP", "BR", "IN", "NG", "PE", "LV", "ES", "IT"};
    private static final String[] STATUSES = {"paid", "pending", "refunded"};
    private static final long BASE_TS = 1_763_000_000_000L;

    private final int rows;
    private final int runs;
    private final BenchResults results;
    private final String[] cities = new String[100];
    // The generated table, column by column, so both stores get exactly the same rows.
    private final byte[] city;
    private final Map<String, String> riverConfig;
    private final byte[] country;
    private final byte[] status;
    private final int[] user;
    private final double[] amount;

    SqlBench(int rows, int runs, BenchResults results) {
        this(rows, runs, Map.of(), results);
    }

    /** With extra River configuration ({@code river.*} keys from the command line, e.g. the codec or cache size). */
    SqlBench(int rows, int runs, Map<String, String> riverConfig, BenchResults results) {
        this.riverConfig = Map.copyOf(riverConfig);
        this.rows = rows;
        this.runs = runs;
        this.results = results;
        for (int i = 0; i < cities.length; i++) {
            cities[i] = "city" + i;
        }
        city = new byte[rows];
        country = new byte[rows];
        status = new byte[rows];
        user = new int[rows];
        amount = new double[rows];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < rows; i++) {
            // Zipf-like skew: low city numbers are far more common (city0 ~ 22%, city99 ~ 0.03%).
            city[i] = (byte) Math.min(99, (int) (Math.pow(rnd.nextDouble(), 3) * 100));
            country[i] = (byte) rnd.nextInt(COUNTRIES.length);
            user[i] = rnd.nextInt(2_000_000);
            amount[i] = Math.round(rnd.nextDouble() * 10_000) / 100.0;
            status[i] = (byte) (rnd.nextInt(10) < 7 ? 0 : 1 + rnd.nextInt(2));
        }
    }

    /** Generated row {@code i} of the event table under key {@code pk}. */
    Row event(String pk, int i) {
        return Row.builder(pk)
                .set("ts", Instant.ofEpochMilli(ts(i)))
                .set("city", cities[city[i]])
                .set("country", COUNTRIES[country[i]])
                .set("user_id", (long) user[i])
                .set("amount", amount[i])
                .set("status", STATUSES[status[i]])
                .build();
    }

    int rows() {
        return rows;
    }

    /** DuckDB's own account of the memory its database uses, e.g. "1.2 GiB". */
    private static String duckMemory(Connection duck) throws SQLException {
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT memory_usage FROM pragma_database_size()")) {
            return rs.next() ? rs.getString(1) : "unknown";
        }
    }

    private static long ts(int i) {
        return BASE_TS + i * 37L; // ~37 ms apart: 10M rows span ~4 days, ~100 hours
    }

    void run() throws Exception {
        Path dir = BenchSupport.scratch("river-sql-bench");
        MemoryMeter mem = MemoryMeter.start();
        Map<String, String> config = new HashMap<>(riverConfig);
        config.putAll(Map.of(
                "river.data.dir",
                dir.toString(),
                "river.http.port",
                "-1",
                "river.wal.sync",
                "interval",
                "river.checkpoint.interval.ms",
                "0"));
        try (RiverEngine river = RiverEngine.open(RiverConfig.from(config));
                Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                QueryEngine queries = new QueryEngine()) {
            mem.watchArrow(river.allocator()::getPeakMemoryAllocation);
            double riverLoad = loadRiver(river);
            results.note(String.format(
                    Locale.ROOT,
                    "sql: River's data directory after loading %,d rows: %.0f MB",
                    rows,
                    BenchSupport.dirBytes(dir) / 1e6));
            results.note("sql: River's segments: " + segmentEncodings(dir.resolve("tables")));
            double duckLoad = loadDuck(duck);
            results.note("sql: memory holding the table: DuckDB (in-memory database) " + duckMemory(duck)
                    + ", River's block cache at most " + (river.config().get(RiverConfigKeys.CACHE_MAX_BYTES) >> 20)
                    + " MB (`river.cache.max.bytes`) over its segment files");
            String label = String.format("%,d rows", rows);
            results.add(
                    "sql",
                    "load " + label + " (row API; River incl. flush + compaction)",
                    "rows/s",
                    true,
                    rows / riverLoad,
                    "DuckDB",
                    rows / duckLoad,
                    mem.summary());
            EngineCatalog catalog = new EngineCatalog(river);
            for (String sql : QUERIES) {
                double[] r = new double[runs];
                double[] d = new double[runs];
                QueryResult answer = queries.execute(sql, catalog);
                double[] duckAnswer = duck(duck, sql);
                checkSame(sql, answer, duckAnswer);
                // Warm-up, the same on both sides: until River has run the query for a second or ten
                // times (so its JIT has compiled the query's loops, as in a long-running server); a
                // query that takes longer than a second is warm after the first run.
                long warmStart = System.nanoTime();
                for (int w = 1; w < 10 && System.nanoTime() - warmStart < 1_000_000_000L; w++) {
                    timeRiver(queries, catalog, sql);
                    timeDuck(duck, sql);
                }
                for (int i = 0; i < runs; i++) {
                    if (i % 2 == 0) {
                        r[i] = timeRiver(queries, catalog, sql);
                        d[i] = timeDuck(duck, sql);
                    } else {
                        d[i] = timeDuck(duck, sql);
                        r[i] = timeRiver(queries, catalog, sql);
                    }
                }
                results.add(
                        "sql " + (rows >= 1_000_000 ? rows / 1_000_000 + "M" : rows),
                        sql,
                        "ms",
                        false,
                        BenchSupport.median(r),
                        "DuckDB",
                        BenchSupport.median(d),
                        mem.summary());
            }
        } finally {
            mem.close();
            BenchSupport.deleteTree(dir);
        }
    }

    /**
     * The segment files under {@code tables}, their bytes and how each numeric column is stored in
     * them (narrowed as "offset" or "decimal" and its width, or "plain"), so a run shows what the
     * queries scanned.
     */
    static String segmentEncodings(Path tables) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(tables)) {
            files = s.filter(p -> p.toString().endsWith(".arrow")).sorted().toList();
        }
        Map<String, Set<String>> columns = new TreeMap<>();
        long bytes = 0;
        try (BufferAllocator allocator = new RootAllocator();
                BlockCache cache = new BlockCache(0)) {
            long id = 1;
            for (Path f : files) {
                bytes += Files.size(f);
                try (SegmentReader r = SegmentReader.open(f, id++, allocator, cache)) {
                    r.columnTypes().forEach((name, type) -> {
                        ColumnEncoding e = r.encoding(name);
                        if (e != null) {
                            columns.computeIfAbsent(name, n -> new TreeSet<>())
                                    .add(e.kind().name().toLowerCase(Locale.ROOT) + " " + e.bits() + "-bit");
                        } else if (type == ColumnType.INT64
                                || type == ColumnType.FLOAT64
                                || type == ColumnType.TIMESTAMP
                                || type == ColumnType.INT32) {
                            columns.computeIfAbsent(name, n -> new TreeSet<>()).add("plain");
                        }
                    });
                }
            }
        }
        return String.format(Locale.ROOT, "%d files, %.0f MB; numeric columns %s", files.size(), bytes / 1e6, columns);
    }

    private double loadRiver(RiverEngine river) throws Exception {
        long t0 = System.nanoTime();
        river.createTable("events", TableMode.APPEND);
        WriteBatch.Builder b = WriteBatch.builder();
        for (int i = 0; i < rows; i++) {
            b.add("events", event(SystemColumns.appendKey(0, i), i));
            if (b.size() == 10_000) {
                river.writeDeferred(b.build());
                b = WriteBatch.builder();
            }
        }
        if (b.size() > 0) {
            river.writeDeferred(b.build());
        }
        river.sync();
        river.flush();
        river.compact();
        return (System.nanoTime() - t0) / 1e9;
    }

    private double loadDuck(Connection duck) throws Exception {
        long t0 = System.nanoTime();
        try (Statement st = duck.createStatement()) {
            st.execute("CREATE TABLE events (ts TIMESTAMP, city VARCHAR, country VARCHAR, user_id BIGINT, "
                    + "amount DOUBLE, status VARCHAR)");
        }
        try (DuckDBAppender app = ((DuckDBConnection) duck).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (int i = 0; i < rows; i++) {
                app.beginRow();
                app.append(LocalDateTime.ofEpochSecond(ts(i) / 1000, (int) (ts(i) % 1000) * 1_000_000, ZoneOffset.UTC));
                app.append(cities[city[i]]);
                app.append(COUNTRIES[country[i]]);
                app.append((long) user[i]);
                app.append(amount[i]);
                app.append(STATUSES[status[i]]);
                app.endRow();
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static double timeRiver(QueryEngine queries, EngineCatalog catalog, String sql) {
        long t = System.nanoTime();
        QueryResult res = queries.execute(sql, catalog);
        BenchSupport.check(res.rowCount() > 0, "River answered nothing to " + sql);
        return (System.nanoTime() - t) / 1e6;
    }

    private static double timeDuck(Connection duck, String sql) throws Exception {
        long t = System.nanoTime();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = 0;
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int c = 1; c <= cols; c++) {
                    rs.getObject(c); // materialize each value, as River's answer does
                }
                n++;
            }
            BenchSupport.check(n > 0, "DuckDB answered nothing to " + sql);
        }
        return (System.nanoTime() - t) / 1e6;
    }

    /** DuckDB's answer as {row count, sum of the last column}. */
    private static double[] duck(Connection duck, String sql) throws Exception {
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int cols = rs.getMetaData().getColumnCount();
            double n = 0;
            double sum = 0;
            while (rs.next()) {
                n++;
                sum += rs.getDouble(cols);
            }
            return new double[] {n, sum};
        }
    }

    private static void checkSame(String sql, QueryResult river, double[] duck) {
        double sum = 0;
        for (Object[] row : river.rows()) {
            sum += ((Number) row[row.length - 1]).doubleValue();
        }
        BenchSupport.check(
                river.rowCount() == (int) duck[0] && Math.abs(sum - duck[1]) <= 1e-6 * Math.abs(duck[1]),
                String.format(
                        "answers differ for %s: River %d rows / %.6f, DuckDB %.0f rows / %.6f",
                        sql, river.rowCount(), sum, duck[0], duck[1]));
    }
}
