package io.river.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code river serve} as a real child process: an acknowledged write survives {@code kill -9}
 * (issue 2), and SIGTERM drains, syncs and releases the data directory.
 */
class RiverServeIT {
    private static final Pattern LISTENING =
            Pattern.compile("River listening on http://([^:]+):(\\d+) \\(data dir (.+)\\)");

    @TempDir
    Path dir;

    /** A child JVM running {@code river serve}. */
    static final class Child implements AutoCloseable {
        final Process process;
        final int port;
        final HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Child(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Child serve(Path dataDir, Path log, String... extra) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    RiverCli.class.getName(),
                    "serve",
                    "--data-dir",
                    dataDir.toString(),
                    "--port",
                    "0",
                    "--host",
                    "127.0.0.1"));
            cmd.addAll(List.of(extra));
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // keep the pipe empty
                            }
                        } catch (IOException ignored) {
                            // the process ended
                        }
                    });
                    drain.setDaemon(true);
                    drain.start();
                    return new Child(p, Integer.parseInt(m.group(2)));
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            p.destroyForcibly();
            throw new AssertionError("river serve did not start; log:\n" + Files.readString(log));
        }

        HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                b.header("Content-Type", "application/octet-stream");
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("serve.log");
        int keys = Integer.getInteger("river.it.keys", 20_000);
        Map<String, byte[]> expected = new ConcurrentHashMap<>();
        Map<String, Boolean> deleted = new ConcurrentHashMap<>();
        try (Child child = Child.serve(data, log)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(worker);
                    for (int i = worker; i < keys; i += 8) {
                        String key = "key-" + i;
                        byte[] value = ("v1-" + i + "-" + rnd.nextInt()).getBytes(StandardCharsets.UTF_8);
                        check(child.send("POST", "/put?key=" + key, value), key);
                        expected.put(key, value);
                        if (i % 7 == 0) { // overwrite
                            byte[] v2 = ("v2-" + i).getBytes(StandardCharsets.UTF_8);
                            check(child.send("POST", "/put?key=" + key, v2), key);
                            expected.put(key, v2);
                        }
                        if (i % 11 == 0) { // delete
                            check(child.send("DELETE", "/delete?key=" + key, null), key);
                            expected.remove(key);
                            deleted.put(key, true);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            child.process.destroyForcibly(); // SIGKILL right after the last acknowledgement
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
        }

        try (Child restarted = Child.serve(data, log)) {
            int missing = 0;
            for (int i = 0; i < keys; i++) {
                String key = "key-" + i;
                HttpResponse<byte[]> r = restarted.send("GET", "/get?key=" + key, null);
                byte[] want = expected.get(key);
                if (want == null) {
                    assertTrue(deleted.containsKey(key));
                    assertEquals(404, r.statusCode(), key);
                } else {
                    if (r.statusCode() != 200) {
                        missing++;
                        continue;
                    }
                    assertArrayEquals(want, r.body(), key);
                }
            }
            assertEquals(0, missing, "acknowledged keys lost after kill -9");
        }
    }

    private static void check(HttpResponse<byte[]> r, String key) {
        if (r.statusCode() != 200) {
            throw new AssertionError(key + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sigtermDrainsClosesTheEngineAndReleasesTheDataDir() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("serve.log");
        byte[] value = "kept".getBytes(StandardCharsets.UTF_8);
        try (Child child = Child.serve(data, log, "--river.wal.sync=interval", "--river.wal.sync.interval.ms=60000")) {
            assertEquals(200, child.send("POST", "/put?key=k", value).statusCode());
            child.process.destroy(); // SIGTERM
            assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "river serve exits on SIGTERM");
            assertEquals(143, child.process.exitValue());
        }
        String logText = Files.readString(log);
        assertTrue(logText.indexOf("River shutting down") < logText.indexOf("River stopped"), logText);
        // The hook closed the engine: the LOCK is free for the next process, which has the write.
        try (Child again = Child.serve(data, log)) {
            HttpResponse<byte[]> r = again.send("GET", "/get?key=k", null);
            assertEquals(200, r.statusCode());
            assertArrayEquals(value, r.body());
        }
    }
}
