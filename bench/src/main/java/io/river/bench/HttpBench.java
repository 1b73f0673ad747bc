package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.http.RiverServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * River's REST API under load on loopback: a {@link RiverServer} in this JVM over an engine holding
 * {@code keys} key-value rows in {@code default} and an event table for {@code /query}, both flushed
 * and compacted; the load comes from {@code wrk} (a separate process, random keys through a Lua
 * script; found on the PATH or installed from Debian packages by {@link WrkSetup}) or, when wrk cannot
 * be had or {@code --http-client java} asks for it, from a Java {@link HttpClient} loop. Reports
 * requests/s, p99 latency and this JVM's CPU time per request (with wrk: the server's, a figure the
 * machine's other load leaves mostly alone) per route; a request that is not answered 200, or a load
 * worker that fails, fails the benchmark with the cause. There is no peer: the figures say what the HTTP layer
 * costs on top of the engine (compare with the in-process point-read rate of the key-value
 * benchmark). Load generator and server share the machine's cores.
 */
final class HttpBench {
    /** The load generator: {@code auto} is wrk when it can be found or installed, else Java. */
    enum Client {
        AUTO,
        WRK,
        JAVA
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in ");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

    private final int keys;
    private final int eventRows;
    private final int seconds;
    private final int connections;
    private final Client client;
    private final BenchResults results;

    HttpBench(boolean quick, BenchResults results, Map<String, String> opts) {
        this(
                quick ? 100_000 : 1_000_000,
                quick ? 200_000 : 1_000_000,
                quick ? 5 : 15,
                Client.valueOf(opts.getOrDefault("http-client", "auto").toUpperCase(Locale.ROOT)),
                results);
    }

    HttpBench(int keys, int eventRows, int seconds, Client client, BenchResults results) {
        this.keys = keys;
        this.eventRows = eventRows;
        this.seconds = seconds;
        this.connections = 16;
        this.client = client;
        this.results = results;
    }

    void run() throws Exception {
        Optional<WrkSetup.Wrk> wrk = loadGenerator();
        Path dir = BenchSupport.scratch("river-http-bench");
        MemoryMeter mem = MemoryMeter.start();
        RiverConfig config = RiverConfig.from(Map.of(
                "river.data.dir",
                dir.toString(),
                "river.http.port",
                "0",
                "river.http.host",
                "127.0.0.1",
                "river.wal.sync",
                "batch"));
        try (RiverEngine engine = RiverEngine.open(config)) {
            mem.watchArrow(engine.allocator()::getPeakMemoryAllocation);
            preload(engine);
            RiverServer server = RiverServer.start(config, engine);
            try {
                String base = "http://127.0.0.1:" + server.port();
                String tool =
                        wrk.isPresent() ? "wrk -t1 -c" + connections : "Java HttpClient, " + connections + " threads";
                Path lua = dir.resolve("get.lua");
                Files.writeString(
                        lua,
                        "request = function()\n  return wrk.format(\"GET\", \"/get?key=user\" .. "
                                + "string.format(\"%010d\", math.random(0, " + (keys - 1) + ")))\nend\n");
                Path putLua = dir.resolve("put.lua");
                Files.writeString(
                        putLua,
                        "wrk.method = \"POST\"\nwrk.body = string.rep(\"x\", 100)\n"
                                + "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n"
                                + "request = function()\n  return wrk.format(nil, \"/put?key=user\" .. "
                                + "string.format(\"%010d\", math.random(0, " + (keys - 1) + ")))\nend\n");
                measure(
                        "GET /get, random key of " + String.format("%,d", keys),
                        base,
                        lua,
                        k -> "/get?key=" + key(k),
                        null,
                        wrk,
                        tool,
                        mem);
                measure(
                        "POST /put 100 B, random key, fsync per request (group commit)",
                        base,
                        putLua,
                        k -> "/put?key=" + key(k),
                        "x".repeat(100),
                        wrk,
                        tool,
                        mem);
                for (String sql : new String[] {
                    "SELECT count(*) FROM events WHERE city = 'city3'",
                    "SELECT city, count(*) FROM events GROUP BY city"
                }) {
                    String path = "/query?sql=" + queryParam(sql);
                    measure(
                            "GET /query " + sql + " (" + String.format("%,d", eventRows) + " rows)",
                            base,
                            null,
                            k -> path,
                            null,
                            wrk,
                            tool,
                            mem);
                }
            } finally {
                server.stop();
            }
        } finally {
            mem.close();
            BenchSupport.deleteTree(dir);
        }
    }

    /** wrk (from the PATH, the cache, or installed now) unless Java was asked for; empty = the Java client. */
    private Optional<WrkSetup.Wrk> loadGenerator() {
        if (client == Client.JAVA) {
            results.note("http: load from the Java HttpClient (--http-client java)");
            return Optional.empty();
        }
        WrkSetup.Found found = WrkSetup.find(true);
        if (found.wrk().isPresent()) {
            if (!found.wrk().get().source().equals("PATH")) {
                results.note("http: wrk from " + found.wrk().get().source());
            }
            return found.wrk();
        }
        BenchSupport.check(client != Client.WRK, "wrk found or installed: " + found.log());
        results.note("http: no wrk (" + String.join("; ", found.log()) + "); load from the Java HttpClient");
        return Optional.empty();
    }

    static String key(int k) {
        return String.format(Locale.ROOT, "user%010d", k);
    }

    /** {@code sql} encoded for a query string, spaces as {@code %20} (what both wrk and java.net.URI accept). */
    static String queryParam(String sql) {
        return URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void preload(RiverEngine engine) throws IOException {
        byte[] value = new byte[100];
        Arrays.fill(value, (byte) 'v');
        Instant now = Instant.now();
        for (int i = 0; i < keys; i += 1000) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (int j = i; j < Math.min(keys, i + 1000); j++) {
                String key = String.format("user%010d", j);
                b.add(
                        RiverEngine.DEFAULT_TABLE,
                        Row.builder(key)
                                .set(SystemColumns.VALUE, value)
                                .set(SystemColumns.KEY, key)
                                .set(SystemColumns.INGESTED_AT, now)
                                .build());
            }
            engine.writeDeferred(b.build());
        }
        engine.createTable("events", TableMode.APPEND);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < eventRows; i += 10_000) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (int j = i; j < Math.min(eventRows, i + 10_000); j++) {
                b.add(
                        "events",
                        Row.builder(SystemColumns.appendKey(0, j))
                                .set("ts", Instant.ofEpochMilli(1_763_000_000_000L + j * 37L))
                                .set("city", "city" + Math.min(99, (int) (Math.pow(rnd.nextDouble(), 3) * 100)))
                                .set("amount", rnd.nextInt(10_000) / 100.0)
                                .build());
            }
            engine.writeDeferred(b.build());
        }
        engine.sync();
        engine.flush();
        engine.compact();
    }

    private void measure(
            String what,
            String base,
            Path lua,
            IntFunction<String> path,
            String body,
            Optional<WrkSetup.Wrk> wrk,
            String tool,
            MemoryMeter mem)
            throws Exception {
        long cpu0 = BenchSupport.selfCpuNanos();
        double[] load = wrk.isPresent()
                ? wrk(wrk.get(), base, lua, path.apply(0))
                : javaLoad(base, path, body, keys, seconds, connections);
        double cpuMicros = (BenchSupport.selfCpuNanos() - cpu0) / 1e3 / load[2];
        results.add("http", what + " [" + tool + "]", "req/s", true, load[0], "-", Double.NaN, mem.summary());
        results.add("http", what + ", p99 latency", "ms", false, load[1], "-", Double.NaN, "-");
        results.add(
                "http",
                what + ", CPU per request (" + (wrk.isPresent() ? "server" : "server and Java client") + ")",
                "us",
                false,
                cpuMicros,
                "-",
                Double.NaN,
                "-");
    }

    private double[] wrk(WrkSetup.Wrk wrk, String base, Path lua, String path) throws Exception {
        List<String> args = new ArrayList<>(List.of("-t1", "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (lua != null) {
            args.addAll(List.of("-s", lua.toString(), base));
        } else {
            args.add(base + path);
        }
        Process p = wrk.command(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        BenchSupport.check(rps.find() && p99.find() && requests.find(), "wrk output parsed:\n" + out);
        BenchSupport.check(!out.contains("Non-2xx"), "every request answered 2xx:\n" + out);
        BenchSupport.check(!out.contains("Socket errors"), "no socket errors:\n" + out);
        double lat = Double.parseDouble(p99.group(1));
        lat = switch (p99.group(2)) {
            case "us" -> lat / 1000;
            case "s" -> lat * 1000;
            default -> lat;
        };
        return new double[] {Double.parseDouble(rps.group(1)), lat, Double.parseDouble(requests.group(1))};
    }

    /**
     * The fallback load generator: {@code connections} threads for {@code seconds}, each sending one
     * request at a time to {@code base + path(random key below keys)} ({@code body} non-null: a POST).
     * Returns requests/s, p99 latency in ms and the number of requests. A worker's failure (an exception,
     * a status other than 200) stops every worker and is rethrown with its cause; so is a run that
     * completed no request.
     */
    static double[] javaLoad(String base, IntFunction<String> path, String body, int keys, int seconds, int connections)
            throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<LatencyLog> logs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            LatencyLog log = new LatencyLog();
            logs.add(log);
            Thread th = new Thread(
                    () -> {
                        try {
                            while (System.nanoTime() < end && failure.get() == null) {
                                String uri = base
                                        + path.apply(ThreadLocalRandom.current().nextInt(keys));
                                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(uri));
                                rb = body == null ? rb.GET() : rb.POST(HttpRequest.BodyPublishers.ofString(body));
                                long t0 = System.nanoTime();
                                HttpResponse<byte[]> resp =
                                        client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                                log.add(System.nanoTime() - t0);
                                BenchSupport.check(
                                        resp.statusCode() == 200,
                                        uri + " answered 200, not " + resp.statusCode() + ": "
                                                + new String(resp.body(), StandardCharsets.UTF_8));
                            }
                        } catch (Throwable e) { // every failure, checked or not, is the run's failure
                            failure.compareAndSet(null, e);
                        }
                    },
                    "http-load-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("an HTTP load worker failed: " + failure.get(), failure.get());
        }
        long[] all = LatencyLog.merge(logs);
        BenchSupport.check(all.length > 0, "the HTTP load completed at least one request in " + seconds + " s");
        Arrays.sort(all);
        int p99 = (int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1);
        return new double[] {all.length / secs, all[Math.max(0, p99)] / 1e6, all.length};
    }

    /** One worker's request latencies (nanoseconds), growing as needed. */
    private static final class LatencyLog {
        private long[] nanos = new long[4096];
        private int size;

        void add(long v) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = v;
        }

        static long[] merge(List<LatencyLog> logs) {
            long[] all = new long[logs.stream().mapToInt(l -> l.size).sum()];
            int i = 0;
            for (LatencyLog l : logs) {
                System.arraycopy(l.nanos, 0, all, i, l.size);
                i += l.size;
            }
            return all;
        }
    }
}
