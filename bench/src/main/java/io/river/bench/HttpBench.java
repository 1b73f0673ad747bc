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
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * River's REST API under load on loopback: a {@link RiverServer} in this JVM over an engine holding
 * {@code keys} key-value rows in {@code default} and an event table for {@code /query}, both flushed
 * and compacted; the load comes from {@code wrk} (a separate process, random keys through a Lua
 * script) or, when {@code wrk} is not on the PATH, from a Java {@link HttpClient} loop. Reports
 * requests/s and p99 latency per route. There is no peer: the figures say what the HTTP layer costs
 * on top of the engine (compare with the in-process point-read rate of the key-value benchmark).
 * Load generator and server share the machine's cores.
 */
final class HttpBench {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

    private final int keys;
    private final int eventRows;
    private final int seconds;
    private final int connections;
    private final BenchResults results;

    HttpBench(boolean quick, BenchResults results) {
        this.keys = quick ? 100_000 : 1_000_000;
        this.eventRows = quick ? 200_000 : 1_000_000;
        this.seconds = quick ? 5 : 15;
        this.connections = 16;
        this.results = results;
    }

    void run() throws Exception {
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
                boolean wrk = hasWrk();
                String tool = wrk ? "wrk -t1 -c" + connections : "Java HttpClient, " + connections + " threads";
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
                        "/get?key=user%010d",
                        null,
                        wrk,
                        tool,
                        mem);
                measure(
                        "POST /put 100 B, random key, fsync per request (group commit)",
                        base,
                        putLua,
                        "/put?key=user%010d",
                        "x".repeat(100),
                        wrk,
                        tool,
                        mem);
                for (String sql : new String[] {
                    "SELECT count(*) FROM events WHERE city = 'city3'",
                    "SELECT city, count(*) FROM events GROUP BY city"
                }) {
                    String path = "/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8);
                    measure(
                            "GET /query " + sql + " (" + String.format("%,d", eventRows) + " rows)",
                            base,
                            null,
                            path,
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
            String pathFormat,
            String body,
            boolean wrk,
            String tool,
            MemoryMeter mem)
            throws Exception {
        double[] rpsP99 = wrk ? wrk(base, lua, pathFormat) : javaLoad(base, pathFormat, body);
        results.add("http", what + " [" + tool + "]", "req/s", true, rpsP99[0], "-", Double.NaN, mem.summary());
        results.add("http", what + ", p99 latency", "ms", false, rpsP99[1], "-", Double.NaN, "-");
    }

    static boolean hasWrk() {
        try {
            Process p = new ProcessBuilder("wrk", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private double[] wrk(String base, Path lua, String path) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (lua != null) {
            cmd.addAll(List.of("-s", lua.toString(), base));
        } else {
            cmd.add(base + path);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        BenchSupport.check(rps.find() && p99.find(), "wrk output parsed:\n" + out);
        BenchSupport.check(!out.contains("Non-2xx"), "every request answered 2xx:\n" + out);
        double lat = Double.parseDouble(p99.group(1));
        lat = switch (p99.group(2)) {
            case "us" -> lat / 1000;
            case "s" -> lat * 1000;
            default -> lat;
        };
        return new double[] {Double.parseDouble(rps.group(1)), lat};
    }

    /** The fallback load generator: {@code connections} threads, each sending one request at a time. */
    private double[] javaLoad(String base, String pathFormat, String body) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            long[] lat = new long[2_000_000];
            perThread.add(lat);
            Thread th = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end && n < lat.length - 1) {
                        String path = pathFormat.contains("%")
                                ? String.format(
                                        Locale.ROOT,
                                        pathFormat,
                                        ThreadLocalRandom.current().nextInt(keys))
                                : pathFormat;
                        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path));
                        rb = body == null ? rb.GET() : rb.POST(HttpRequest.BodyPublishers.ofString(body));
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                        lat[++n] = System.nanoTime() - t0;
                        BenchSupport.check(resp.statusCode() == 200, "answered 200: " + resp.statusCode());
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                lat[0] = n;
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        int total = perThread.stream().mapToInt(l -> (int) l[0]).sum();
        long[] all = new long[total];
        int i = 0;
        for (long[] l : perThread) {
            System.arraycopy(l, 1, all, i, (int) l[0]);
            i += (int) l[0];
        }
        Arrays.sort(all);
        return new double[] {total / secs, all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99))] / 1e6};
    }
}
