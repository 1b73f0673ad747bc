package io.river.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

/**
 * Bulk ingest of one file of order events (8 columns: {@code order_id} BIGINT, {@code ts} TIMESTAMP,
 * {@code user_id}, {@code city}, {@code country}, {@code status} strings, {@code amount} DOUBLE,
 * {@code items} INTEGER; cities and users skewed as in {@link SqlBench}) as NDJSON and as an Arrow IPC
 * stream, into River and into DuckDB:
 *
 * <ul>
 *   <li>River: {@code river serve} in a child JVM ({@link RiverServerChild}, default
 *       {@code river.wal.sync=batch}), the rows sent by a Java {@link HttpClient} over loopback as
 *       {@code POST /ingest?table=T} requests of {@code chunkRows} rows, one after another; each answer
 *       means the request's rows are one durable WAL entry. The NDJSON body holds {@code ts} as ISO-8601
 *       text, which River parses because the table already has a TIMESTAMP column: every River table is
 *       created before the clock starts by a one-row Arrow request (NDJSON has no timestamp type, and
 *       a new table would keep the text).</li>
 *   <li>DuckDB (in this JVM, a database file, so commits are durable too): the whole file in one
 *       {@code INSERT ... SELECT} from {@code read_json} (the columns and their types given) or from
 *       the Arrow stream handed over through Arrow's C data interface
 *       ({@code DuckDBConnection.registerArrowStream} of an {@link ArrowStreamReader} on the file); and,
 *       as River gets them, one file of {@code chunkRows} rows per statement (one commit each). The
 *       target tables are created before the clock starts.</li>
 * </ul>
 *
 * A warm-up (two chunks of each format on each side) precedes {@code rounds} measured rounds, which
 * rotate the order of the sides; before each measurement the benchmark waits until the River child is
 * idle. rows/s, MB/s (of the format's bytes) and CPU seconds (of every process: on a shared machine
 * the figure that other load leaves alone) are medians; each side's row count is checked.
 * Arrow memory is allocated from one root allocator, closed (and so checked empty) at the end.
 */
final class IngestBench {
    static final String DUCK_COLUMNS = "order_id BIGINT, ts TIMESTAMP, user_id VARCHAR, city VARCHAR, "
            + "country VARCHAR, status VARCHAR, amount DOUBLE, items INTEGER";
    private static final String JSON_COLUMNS = "{order_id: 'BIGINT', ts: 'TIMESTAMP', user_id: 'VARCHAR', "
            + "city: 'VARCHAR', country: 'VARCHAR', status: 'VARCHAR', amount: 'DOUBLE', items: 'INTEGER'}";
    private static final String[] COUNTRIES = {"FR", "DE", "US", "NO", "JP", "BR", "IN", "NG", "PE", "LV", "ES", "IT"};
    private static final String[] STATUSES = {"paid", "pending", "refunded"};
    private static final long BASE_TS = 1_763_000_000_000L;
    private static final Pattern ROWS = Pattern.compile("\"rows\"\\s*:\\s*(\\d+)");

    /** A body format: its name, its media type and where its bytes are. */
    private enum Format {
        NDJSON("NDJSON", "application/x-ndjson", ".ndjson"),
        ARROW("Arrow IPC stream", "application/vnd.apache.arrow.stream", ".arrows");

        final String label;
        final String mediaType;
        final String suffix;

        Format(String label, String mediaType, String suffix) {
            this.label = label;
            this.mediaType = mediaType;
            this.suffix = suffix;
        }
    }

    /** The sides of one measurement. */
    private enum Side {
        RIVER,
        DUCK_WHOLE,
        DUCK_CHUNKS
    }

    private final int rows;
    private final int chunkRows;
    private final int rounds;
    private final BenchResults results;
    private final String[] cities = new String[100];
    private final byte[] city;
    private final byte[] country;
    private final byte[] status;
    private final byte[] items;
    private final int[] user;
    private final double[] amount;

    IngestBench(boolean quick, BenchResults results, Map<String, String> opts) {
        this(
                Integer.parseInt(opts.getOrDefault("ingest-rows", quick ? "200000" : "1000000")),
                Integer.parseInt(opts.getOrDefault("ingest-chunk", quick ? "50000" : "100000")),
                quick ? 2 : 3,
                results);
    }

    /** {@code rows} rows sent to River in requests of {@code chunkRows}; {@code rounds} measured rounds. */
    IngestBench(int rows, int chunkRows, int rounds, BenchResults results) {
        BenchSupport.check(rows > 0 && chunkRows > 0 && rounds > 0, "positive sizes");
        this.rows = rows;
        this.chunkRows = chunkRows;
        this.rounds = rounds;
        this.results = results;
        for (int i = 0; i < cities.length; i++) {
            cities[i] = "city" + i;
        }
        city = new byte[rows];
        country = new byte[rows];
        status = new byte[rows];
        items = new byte[rows];
        user = new int[rows];
        amount = new double[rows];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < rows; i++) {
            city[i] = (byte) Math.min(99, (int) (Math.pow(rnd.nextDouble(), 3) * 100));
            country[i] = (byte) rnd.nextInt(COUNTRIES.length);
            status[i] = (byte) (rnd.nextInt(10) < 7 ? 0 : 1 + rnd.nextInt(2));
            items[i] = (byte) (1 + rnd.nextInt(12));
            user[i] = (int) (Math.pow(rnd.nextDouble(), 2) * 2_000_000);
            amount[i] = Math.round(rnd.nextDouble() * 50_000) / 100.0;
        }
    }

    private static long ts(int i) {
        return BASE_TS + i * 37L;
    }

    private int chunks() {
        return (rows + chunkRows - 1) / chunkRows;
    }

    void run() throws Exception {
        Path dir = BenchSupport.scratch("river-ingest-bench");
        MemoryMeter mem = MemoryMeter.start();
        RiverServerChild river = null;
        try (BufferAllocator allocator = new RootAllocator()) {
            Map<Format, List<byte[]>> bodies =
                    Map.of(Format.NDJSON, ndjsonChunks(), Format.ARROW, arrowChunks(allocator));
            Map<Format, Long> bytes = Map.of(
                    Format.NDJSON, size(bodies.get(Format.NDJSON)), Format.ARROW, size(bodies.get(Format.ARROW)));
            for (Format f : Format.values()) {
                writeFiles(dir, f, bodies.get(f), allocator);
                System.out.printf(
                        Locale.ROOT,
                        "ingest: %,d rows as %s: %.1f MB (%d chunks of %,d rows)%n",
                        rows,
                        f.label,
                        bytes.get(f) / 1e6,
                        chunks(),
                        chunkRows);
            }
            byte[] primer = arrow(allocator, -1, 0, 1, 1);
            river = RiverServerChild.start(dir.resolve("river"), "ingest", Map.of());
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("duck.duckdb"))) {
                int warm = Math.min(2, chunks());
                for (Format f : Format.values()) {
                    riverLoad(
                            http,
                            river,
                            "warm_" + f.name().toLowerCase(Locale.ROOT),
                            f,
                            bodies.get(f).subList(0, warm),
                            primer,
                            warm == chunks() ? rows : warm * chunkRows);
                    duckLoad(
                            duck,
                            dir,
                            allocator,
                            river,
                            "warm_" + f.name().toLowerCase(Locale.ROOT),
                            f,
                            Side.DUCK_CHUNKS,
                            warm);
                }
                Map<Format, double[][]> secs = Map.of(
                        Format.NDJSON,
                        new double[Side.values().length][rounds],
                        Format.ARROW,
                        new double[Side.values().length][rounds]);
                Map<Format, double[][]> cpu = Map.of(
                        Format.NDJSON,
                        new double[Side.values().length][rounds],
                        Format.ARROW,
                        new double[Side.values().length][rounds]);
                for (int r = 0; r < rounds; r++) {
                    for (Format f : Format.values()) {
                        for (int k = 0; k < Side.values().length; k++) {
                            Side side = Side.values()[(r + k) % Side.values().length];
                            river.awaitIdle();
                            String table = f.name().toLowerCase(Locale.ROOT) + "_"
                                    + side.name().toLowerCase(Locale.ROOT) + "_" + r;
                            double[] s = side == Side.RIVER
                                    ? riverLoad(http, river, table, f, bodies.get(f), primer, rows)
                                    : duckLoad(duck, dir, allocator, river, table, f, side, chunks());
                            secs.get(f)[side.ordinal()][r] = s[0];
                            cpu.get(f)[side.ordinal()][r] = s[1];
                            System.out.printf(
                                    Locale.ROOT,
                                    "ingest: %-7s %-11s round %d: %.2f s, %,.0f rows/s, " + "%.2f CPU s%n",
                                    f.name(),
                                    side,
                                    r,
                                    s[0],
                                    rows / s[0],
                                    s[1]);
                        }
                    }
                }
                for (Format f : Format.values()) {
                    report(f, bytes.get(f), secs.get(f), cpu.get(f), river, mem);
                }
            }
        } finally {
            if (river != null) {
                river.close();
            }
            mem.close();
            BenchSupport.deleteTree(dir);
        }
    }

    private void report(
            Format f, long bytes, double[][] secs, double[][] cpu, RiverServerChild river, MemoryMeter mem) {
        double riverSecs = BenchSupport.median(secs[Side.RIVER.ordinal()]);
        double wholeSecs = BenchSupport.median(secs[Side.DUCK_WHOLE.ordinal()]);
        double chunkSecs = BenchSupport.median(secs[Side.DUCK_CHUNKS.ordinal()]);
        String what = String.format(
                Locale.ROOT,
                "%s, %,d rows x 8 columns (%.0f MB), %d POSTs of %,d rows",
                f.label,
                rows,
                bytes / 1e6,
                chunks(),
                chunkRows);
        String duck = f == Format.NDJSON ? "DuckDB read_json" : "DuckDB registerArrowStream";
        String memory = mem.summary()
                + String.format(Locale.ROOT, "; River server child RSS peak %.0f MB", river.peakRssBytes() / 1e6);
        results.add(
                "ingest",
                what,
                "rows/s",
                true,
                rows / riverSecs,
                duck + ", whole file, 1 INSERT",
                rows / wholeSecs,
                memory);
        results.add(
                "ingest",
                what,
                "rows/s",
                true,
                rows / riverSecs,
                duck + ", " + chunks() + " files, 1 INSERT each",
                rows / chunkSecs,
                memory);
        results.add(
                "ingest",
                what,
                "MB/s",
                true,
                bytes / 1e6 / riverSecs,
                duck + ", whole file, 1 INSERT",
                bytes / 1e6 / wholeSecs,
                memory);
        results.add(
                "ingest",
                what + ": CPU time (River: server child + HTTP client; DuckDB: its process)",
                "CPU s",
                false,
                BenchSupport.median(cpu[Side.RIVER.ordinal()]),
                duck + ", whole file, 1 INSERT",
                BenchSupport.median(cpu[Side.DUCK_WHOLE.ordinal()]),
                memory);
    }

    // ---------------------------------------------------------------- River

    /**
     * Creates the table (one primer row, untimed), then times the POSTs of {@code chunks}; checks the count.
     * {seconds, CPU seconds of the child and this JVM}.
     */
    private static double[] riverLoad(
            HttpClient http,
            RiverServerChild river,
            String table,
            Format f,
            List<byte[]> chunks,
            byte[] primer,
            long expectedRows)
            throws Exception {
        post(http, river, table, Format.ARROW, primer);
        long stored = 0;
        long cpu0 = river.cpuNanos() + BenchSupport.selfCpuNanos();
        long t0 = System.nanoTime();
        for (byte[] body : chunks) {
            stored += post(http, river, table, f, body);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (river.cpuNanos() + BenchSupport.selfCpuNanos() - cpu0) / 1e9;
        BenchSupport.check(stored == expectedRows, "River acknowledged " + stored + " of " + expectedRows + " rows");
        long count = river.queryLong("SELECT count(*) FROM " + table);
        BenchSupport.check(
                count == expectedRows + 1,
                "River holds " + count + " rows in " + table + ", expected " + expectedRows + " + the primer");
        return new double[] {secs, cpu};
    }

    /** One {@code POST /ingest}; the rows River acknowledged. */
    private static long post(HttpClient http, RiverServerChild river, String table, Format f, byte[] body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(river.url() + "/ingest?table=" + table + "&mode=append"))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", f.mediaType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher m = ROWS.matcher(answer.body());
        BenchSupport.check(
                answer.statusCode() == 200 && m.find(),
                "River ingested " + f.label + " into " + table + ": " + answer.statusCode() + " " + answer.body());
        return Long.parseLong(m.group(1));
    }

    // ---------------------------------------------------------------- DuckDB

    /**
     * Creates the table (untimed), then times the load of the whole file or of the first {@code chunks} files.
     * {seconds, CPU seconds of this JVM (DuckDB's threads included) and the idle River child}.
     */
    private double[] duckLoad(
            Connection duck,
            Path dir,
            BufferAllocator allocator,
            RiverServerChild river,
            String table,
            Format f,
            Side side,
            int chunks)
            throws Exception {
        try (Statement st = duck.createStatement()) {
            st.execute("CREATE TABLE " + table + " (" + DUCK_COLUMNS + ")");
        }
        List<Path> files = new ArrayList<>();
        long expected = side == Side.DUCK_WHOLE ? rows : Math.min(rows, (long) chunks * chunkRows);
        if (side == Side.DUCK_WHOLE) {
            files.add(dir.resolve("all" + f.suffix));
        } else {
            for (int c = 0; c < chunks; c++) {
                files.add(dir.resolve("chunk" + c + f.suffix));
            }
        }
        long loaded = 0;
        long cpu0 = river.cpuNanos() + BenchSupport.selfCpuNanos();
        long t0 = System.nanoTime();
        for (Path file : files) {
            loaded += f == Format.NDJSON ? duckJson(duck, table, file) : duckArrow(duck, allocator, table, file);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (river.cpuNanos() + BenchSupport.selfCpuNanos() - cpu0) / 1e9;
        BenchSupport.check(loaded == expected, "DuckDB loaded " + loaded + " of " + expected + " rows");
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            BenchSupport.check(rs.next() && rs.getLong(1) == expected, "DuckDB holds the rows of " + table);
        }
        return new double[] {secs, cpu};
    }

    private static long duckJson(Connection duck, String table, Path file) throws Exception {
        try (Statement st = duck.createStatement()) {
            return st.executeUpdate("INSERT INTO " + table + " SELECT * FROM read_json('" + file
                    + "', format = 'newline_delimited', columns = " + JSON_COLUMNS + ")");
        }
    }

    private static long duckArrow(Connection duck, BufferAllocator allocator, String table, Path file)
            throws Exception {
        String view = "arrow_" + table;
        try (InputStream in = Files.newInputStream(file);
                ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
                Statement st = duck.createStatement()) {
            Data.exportArrayStream(allocator, reader, stream);
            ((DuckDBConnection) duck).registerArrowStream(view, stream);
            return st.executeUpdate("INSERT INTO " + table + " SELECT * FROM " + view);
        }
    }

    // ---------------------------------------------------------------- the data

    private List<byte[]> ndjsonChunks() {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < rows; from += chunkRows) {
            int to = Math.min(rows, from + chunkRows);
            StringBuilder sb = new StringBuilder((to - from) * 160);
            for (int i = from; i < to; i++) {
                sb.append("{\"order_id\":")
                        .append(i)
                        .append(",\"ts\":\"")
                        .append(Instant.ofEpochMilli(ts(i)))
                        .append("\",\"user_id\":\"u")
                        .append(user[i])
                        .append("\",\"city\":\"")
                        .append(cities[city[i]])
                        .append("\",\"country\":\"")
                        .append(COUNTRIES[country[i]])
                        .append("\",\"status\":\"")
                        .append(STATUSES[status[i]])
                        .append("\",\"amount\":")
                        .append(amount[i])
                        .append(",\"items\":")
                        .append(items[i])
                        .append("}\n");
            }
            out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> arrowChunks(BufferAllocator allocator) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < rows; from += chunkRows) {
            out.add(arrow(allocator, 0, from, Math.min(rows, from + chunkRows), chunkRows));
        }
        return out;
    }

    private static Schema schema() {
        return new Schema(List.of(
                Field.nullable("order_id", new ArrowType.Int(64, true)),
                Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)),
                Field.nullable("user_id", ArrowType.Utf8.INSTANCE),
                Field.nullable("city", ArrowType.Utf8.INSTANCE),
                Field.nullable("country", ArrowType.Utf8.INSTANCE),
                Field.nullable("status", ArrowType.Utf8.INSTANCE),
                Field.nullable("amount", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                Field.nullable("items", new ArrowType.Int(32, true))));
    }

    /**
     * An Arrow IPC stream of rows {@code [from, to)} in record batches of {@code batchRows}; with
     * {@code primer} -1 a single row with order id -1 (the row that creates a River table).
     */
    private byte[] arrow(BufferAllocator allocator, int primer, int from, int to, int batchRows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) * 64 + 1024);
        writeArrow(allocator, primer, from, to, batchRows, out);
        return out.toByteArray();
    }

    private void writeArrow(BufferAllocator allocator, int primer, int from, int to, int batchRows, OutputStream out)
            throws IOException {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(), allocator);
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
            writer.start();
            for (int b = from; b < to; b += batchRows) {
                int n = Math.min(to, b + batchRows) - b;
                root.allocateNew();
                BigIntVector id = (BigIntVector) root.getVector(0);
                TimeStampMilliVector t = (TimeStampMilliVector) root.getVector(1);
                VarCharVector u = (VarCharVector) root.getVector(2);
                VarCharVector ci = (VarCharVector) root.getVector(3);
                VarCharVector co = (VarCharVector) root.getVector(4);
                VarCharVector st = (VarCharVector) root.getVector(5);
                Float8Vector am = (Float8Vector) root.getVector(6);
                IntVector it = (IntVector) root.getVector(7);
                for (int j = 0; j < n; j++) {
                    int i = b + j;
                    id.setSafe(j, primer < 0 ? primer : i);
                    t.setSafe(j, ts(i));
                    u.setSafe(j, ("u" + user[i]).getBytes(StandardCharsets.UTF_8));
                    ci.setSafe(j, cities[city[i]].getBytes(StandardCharsets.UTF_8));
                    co.setSafe(j, COUNTRIES[country[i]].getBytes(StandardCharsets.UTF_8));
                    st.setSafe(j, STATUSES[status[i]].getBytes(StandardCharsets.UTF_8));
                    am.setSafe(j, amount[i]);
                    it.setSafe(j, items[i]);
                }
                root.setRowCount(n);
                writer.writeBatch();
            }
            writer.end();
        }
    }

    /** The whole file (one NDJSON file; one Arrow stream of chunk-sized batches) and one file per chunk. */
    private void writeFiles(Path dir, Format f, List<byte[]> chunks, BufferAllocator allocator) throws IOException {
        for (int c = 0; c < chunks.size(); c++) {
            Files.write(dir.resolve("chunk" + c + f.suffix), chunks.get(c));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("all" + f.suffix))) {
            if (f == Format.NDJSON) {
                for (byte[] chunk : chunks) {
                    out.write(chunk);
                }
            } else {
                writeArrow(allocator, 0, 0, rows, chunkRows, out);
            }
        }
    }

    private static long size(List<byte[]> chunks) {
        return chunks.stream().mapToLong(b -> b.length).sum();
    }
}
