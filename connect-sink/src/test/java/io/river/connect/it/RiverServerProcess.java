package io.river.connect.it;

import static org.awaitility.Awaitility.await;

import io.river.http.RiverCli;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code river serve} as a child JVM on a fixed port, so that a restarted server answers at the
 * URL the connector was given. Output goes to {@code target/worker-logs/river-<tag>.log}.
 * {@link #kill()} is {@code kill -9}; {@link #close()} a graceful stop. Not thread-safe.
 */
final class RiverServerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Process process;
    final int port;

    private RiverServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code river serve} on the data directory and port and waits until it is ready. */
    static RiverServerProcess start(Path dataDir, int port, String tag, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xmx768m",
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                RiverCli.class.getName(),
                "serve",
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port),
                "--host",
                "127.0.0.1"));
        command.addAll(List.of(options));
        Path log = Files.createDirectories(Path.of("target", "worker-logs")).resolve("river-" + tag + ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "kill-river-" + tag));
        RiverServerProcess server = new RiverServerProcess(p, port);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> !p.isAlive() || server.get("/health/ready").statusCode() == 200);
        if (!p.isAlive()) {
            throw new IllegalStateException("river serve exited with " + p.exitValue() + "; see " + log);
        }
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON answer of a SQL query (GET /query). */
    String query(String sql) throws IOException, InterruptedException {
        HttpResponse<String> response = get(
                "/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20"));
        if (response.statusCode() != 200) {
            throw new IOException("query failed: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
