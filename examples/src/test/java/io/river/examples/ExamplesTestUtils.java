package io.river.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Shared helpers of the examples' tests: the repository root, free ports, a small HTTP client
 * and child JVMs on the test class path minus River's own jars (so a Connect worker must load
 * River from plugin.path). Stateless.
 */
final class ExamplesTestUtils {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern RIVER_JAR = Pattern.compile("river-.*\\.jar");

    private ExamplesTestUtils() {}

    /** The repository root (-Driver.home from Failsafe, else the parent of the working directory). */
    static Path repoRoot() {
        String home = System.getProperty("river.home");
        Path root = home != null ? Path.of(home) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code n} distinct free ports: all probes stay open until every port is chosen. */
    static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** One HTTP exchange; the status and body (never throws for an HTTP status). */
    record Response(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    static Response get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body());
    }

    static Response send(String method, String url, String contentType, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", contentType)
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body());
    }

    /** {@code POST /query} with a text/plain body; the JSON answer (or error). */
    static Response query(int port, String sql) throws IOException, InterruptedException {
        return send("POST", "http://127.0.0.1:" + port + "/query", "text/plain", sql);
    }

    /** {@code SELECT count(*) FROM table}, or -1 while the table does not exist or River is not up. */
    static long count(int port, String table) {
        try {
            Response r = query(port, "SELECT count(*) AS n FROM " + table);
            return r.status() == 200 ? r.json().path("rows").path(0).path(0).asLong() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The test class path without River's jars and class folders. */
    static String kafkaOnlyClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator)).stream()
                .filter(e -> !e.endsWith("target" + File.separator + "classes")
                        && !e.endsWith("target" + File.separator + "test-classes")
                        && !RIVER_JAR
                                .matcher(Path.of(e).getFileName().toString())
                                .matches())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Starts {@code java [jvmArgs] -cp <kafka-only class path> mainClass args}, output to {@code log}. */
    static Process startJava(List<String> jvmArgs, String mainClass, List<String> args, Path log) throws IOException {
        return startJava(jvmArgs, mainClass, args, Map.of(), log);
    }

    /**
     * {@link #startJava(List, String, List, Path)} with {@code env} added to the child's environment
     * (this JVM's, inherited). The child is killed by a shutdown hook if it outlives the test JVM.
     */
    static Process startJava(
            List<String> jvmArgs, String mainClass, List<String> args, Map<String, String> env, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(kafkaOnlyClassPath());
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return p;
    }

    /** {@link #stop(Process, Duration)} for several processes at once: SIGTERM to all, then one shared grace. */
    static void stop(List<Process> processes, Duration grace) throws InterruptedException {
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : processes) {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns the exit code (or -1 if it had to be killed). */
    static int stop(Process p, Duration grace) throws InterruptedException {
        if (!p.isAlive()) {
            return p.exitValue();
        }
        p.destroy();
        if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        p.destroyForcibly().waitFor();
        return -1;
    }
}
