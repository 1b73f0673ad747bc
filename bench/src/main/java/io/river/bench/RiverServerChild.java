package io.river.bench;

import io.river.http.RiverCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code river serve} in a child JVM of the benchmark: River apart from its clients, as a real
 * deployment has it, on a port the child picks itself (port 0, read from its "River listening on"
 * line) on 127.0.0.1. The child runs this JVM's class path with {@code -Xmx4g} and the extra JVM
 * flags of the system property {@code river.bench.server.jvm} (space-separated, {@code {tag}}
 * replaced by the child's tag, e.g. {@code -XX:StartFlightRecording=filename=river-{tag}.jfr}); its
 * output goes to {@code river-<tag>.log} next to its data directory. Used by the benchmarks of the
 * sink's server mode and of {@code POST /ingest}. {@link #close()} stops it gracefully (SIGTERM:
 * HTTP drained, WAL synced), then forcibly after 60 s. Not thread-safe, except
 * {@link #ingestedRows()}.
 */
final class RiverServerChild implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("River listening on (http://\\S+)");
    private static final Pattern INGEST_ROWS = Pattern.compile("(?m)^river_ingest_rows_total(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+) kB$");

    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private RiverServerChild(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts {@code river serve} on {@code dataDir} with the given {@code river.*} settings and
     * returns once it answers {@code /health/ready}.
     */
    static RiverServerChild start(Path dataDir, String tag, Map<String, String> settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xmx4g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        String extra = System.getProperty("river.bench.server.jvm", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.replace("{tag}", tag).split("\\s+")));
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                RiverCli.class.getName(),
                "serve",
                "--data-dir",
                dataDir.toString(),
                "--port",
                "0",
                "--host",
                "127.0.0.1"));
        settings.forEach((k, v) -> command.add("--" + k + "=" + v));
        Path log = dataDir.resolveSibling("river-" + tag + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = builder.start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(p, log, listening), "river-child-" + tag);
        pump.setDaemon(true);
        pump.start();
        String url;
        try {
            url = listening.get(120, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("river serve did not start within 120 s; see " + log);
        }
        BenchSupport.check(
                url != null, "river serve started (exit " + (p.isAlive() ? "-" : p.exitValue()) + "; see " + log + ")");
        RiverServerChild child = new RiverServerChild(p, url);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                if (child.get("/health/ready").statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                child.close();
                throw new IllegalStateException("river serve is not ready after 120 s; see " + log);
            }
            Thread.sleep(50);
        }
        System.out.printf(
                "river serve (%s) in child pid %d at %s%s%n",
                tag, p.pid(), url, settings.isEmpty() ? "" : " with " + settings);
        return child;
    }

    /** Copies the child's output into its log, completing {@code listening} with the URL (or null at exit). */
    private static void pump(Process p, Path log, CompletableFuture<String> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(m.group(1));
                }
            }
        } catch (IOException e) {
            // the child is gone; whatever waits learns it below
        } finally {
            listening.complete(null);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:43117}. */
    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The single number a one-row, one-column SQL answer holds (e.g. a count). */
    long queryLong(String sql) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        Matcher m = Pattern.compile("\"rows\"\\s*:\\s*\\[\\s*\\[\\s*(-?\\d+)").matcher(r.body());
        BenchSupport.check(r.statusCode() == 200 && m.find(), "River answered " + sql + ": " + r.body());
        return Long.parseLong(m.group(1));
    }

    /** Rows the child's engine has applied since it started, all tables ({@code river.ingest.rows} of /metrics). */
    long ingestedRows() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        Matcher m = INGEST_ROWS.matcher(r.body());
        BenchSupport.check(r.statusCode() == 200 && m.find(), "river_ingest_rows_total in /metrics");
        return (long) Double.parseDouble(m.group(1));
    }

    /** The child's peak resident set so far (VmHWM), or -1 when /proc does not say. */
    long peakRssBytes() {
        try {
            Matcher m = HWM.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The child's CPU time so far (user + system), or -1 when /proc does not say. */
    long cpuNanos() {
        return BenchSupport.cpuNanos(process.pid());
    }

    /**
     * Waits (at most 60 s) until the child uses under 5% of a core over half a second, so that its
     * background flushes and compactions of one measured run do not take CPU from the next run.
     */
    void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long before = cpuNanos();
        while (before >= 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = cpuNanos();
            if (now - before < 25_000_000L) {
                return;
            }
            before = now;
        }
    }

    /** SIGTERM (graceful: HTTP drained, engine closed), SIGKILL if it takes more than 60 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
