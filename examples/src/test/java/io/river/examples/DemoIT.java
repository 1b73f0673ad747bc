package io.river.examples;

import static io.river.examples.ExamplesTestUtils.count;
import static io.river.examples.ExamplesTestUtils.freePort;
import static io.river.examples.ExamplesTestUtils.get;
import static io.river.examples.ExamplesTestUtils.query;
import static io.river.examples.ExamplesTestUtils.repoRoot;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ./river demo} as a new user runs it: the launcher as a child process (on the build this
 * Maven run made, RIVER_NO_BUILD=1), waiting for readiness, watching the row count grow, running
 * every query of {@code examples/queries.sql}, opening the console in headless Chromium, then
 * SIGTERM (clean exit 143, data directory released) and a second run that continues on the same
 * data. The steps share one demo run, so they run in order. Logs and screenshots stay in
 * {@code target/demo-it/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private final Path work = repoRoot().resolve("examples/target/demo-it");
    private final Path dataDir = work.resolve("data");
    private int port;
    private Process demo;
    private Path log;
    private long countBeforeStop;

    @BeforeAll
    void startDemo() throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        port = freePort();
        demo = startDemo(1, "--rate", "1500");
    }

    @AfterAll
    void stopDemo() throws InterruptedException {
        if (demo != null && demo.isAlive()) {
            ExamplesTestUtils.stop(demo, Duration.ofSeconds(30));
        }
    }

    /** A free port for the broker, never the API's (which is not bound until the demo runs). */
    private int kafkaPort() throws Exception {
        while (true) {
            int p = freePort();
            if (p != port) {
                return p;
            }
        }
    }

    private Process startDemo(int run, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                repoRoot().resolve("river").toString(),
                "demo",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDir.toString(),
                "--kafka-port",
                Integer.toString(kafkaPort())));
        command.addAll(List.of(extra));
        log = work.resolve("demo-" + run + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(repoRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("RIVER_NO_BUILD", "1");
        pb.environment().put("JAVA_OPTS", "-Xmx768m");
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        long t0 = System.nanoTime();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("river demo exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            return ready();
        });
        await().atMost(START_TIMEOUT).until(() -> Files.readString(log).contains("River demo is up"));
        System.out.printf("river demo run %d ready in %d ms%n", run, (System.nanoTime() - t0) / 1_000_000);
        return p;
    }

    private boolean ready() {
        try {
            return get("http://127.0.0.1:" + port + "/health/ready").status() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    @Order(1)
    void printsWhereToLookAndReadyMadeCommands() throws IOException {
        String out = Files.readString(log);
        assertTrue(out.contains("http://localhost:" + port + "/"), out);
        assertTrue(out.contains("curl -s http://localhost:" + port + "/query"), out);
        assertTrue(out.contains("./river query --port " + port), out);
        assertTrue(out.contains("examples/queries.sql"), out);
    }

    @Test
    @Order(2)
    void rowCountGrowsBetweenTwoQueries() {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(port, "orders") > 0);
        long first = count(port, "orders");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> count(port, "orders") > first);
        assertTrue(count(port, "orders") > first);
    }

    @Test
    @Order(3)
    void everySampleQueryRuns() throws Exception {
        List<String> statements = SqlFile.statements(repoRoot().resolve("examples/queries.sql"));
        assertTrue(statements.size() >= 10, "queries.sql has " + statements.size() + " statements");
        for (String sql : statements) {
            ExamplesTestUtils.Response r = query(port, sql);
            assertEquals(200, r.status(), sql + "\n" + r.body());
            JsonNode result = r.json();
            assertTrue(result.path("columns").size() > 0, sql);
            assertTrue(result.path("rows").size() > 0, "no rows for\n" + sql);
        }
    }

    @Test
    @Order(4)
    void consoleRendersInHeadlessChromium() throws Exception {
        ConsoleBrowser.assumeAvailable();
        Path shot = repoRoot().resolve("examples/target/screenshots/console.png");
        JsonNode seen = ConsoleBrowser.check(
                "http://127.0.0.1:" + port + "/",
                shot,
                "SELECT country, COUNT(*) AS orders, SUM(amount) AS revenue\nFROM orders\nGROUP BY country\n"
                        + "ORDER BY orders DESC\nLIMIT 8");
        assertEquals("River", seen.path("title").asText());
        assertEquals("ready", seen.path("status").asText());
        assertEquals(List.of("country", "orders", "revenue"), strings(seen.path("headers")));
        assertEquals(8, seen.path("rows").size(), seen.toString());
        assertEquals("GB", seen.path("rows").path(0).path(0).asText(), "London's country leads: " + seen.path("rows"));
        assertTrue(
                seen.path("resultStats").asText().contains("8 rows"),
                seen.path("resultStats").asText());
        assertTrue(
                strings(seen.path("tables")).stream().anyMatch(t -> t.startsWith("orders")),
                seen.path("tables").toString());
        // Both canvases are drawn on: axes, lines, level boxes.
        assertTrue(seen.path("ingestPixels").asLong() > 5_000, "ingest chart pixels: " + seen.path("ingestPixels"));
        assertTrue(seen.path("lsmPixels").asLong() > 5_000, "LSM picture pixels: " + seen.path("lsmPixels"));
        assertTrue(
                seen.path("ingestNow").asText().contains("rows/s"),
                seen.path("ingestNow").asText());
        assertTrue(
                seen.path("lsmFacts").asText().contains("compactions"),
                seen.path("lsmFacts").asText());
        // A bad query shows River's error with its position, and a caret under the spot.
        String error = seen.path("errorMessage").asText();
        java.util.regex.Matcher at =
                java.util.regex.Pattern.compile("line (\\d+), column (\\d+)").matcher(error);
        assertTrue(error.contains("no_such_column") && at.find(), error);
        assertEquals("2", at.group(1), error);
        assertEquals(
                "  SUM(no_such_column) AS n\n" + " ".repeat(Integer.parseInt(at.group(2)) - 1) + "^",
                seen.path("errorSnippet").asText());
        assertEquals(0, seen.path("consoleErrors").size(), "console errors: " + seen.path("consoleErrors"));
        assertEquals(0, seen.path("pageErrors").size(), "page errors: " + seen.path("pageErrors"));
        assertEquals(0, seen.path("failedRequests").size(), "failed requests: " + seen.path("failedRequests"));
        assertTrue(Files.size(shot) > 10_000, "screenshot " + shot);
    }

    @Test
    @Order(5)
    void sigtermStopsCleanlyAndTheNextRunContinuesOnTheData() throws Exception {
        countBeforeStop = count(port, "orders");
        assertTrue(countBeforeStop > 0);
        long t0 = System.nanoTime();
        int code = ExamplesTestUtils.stop(demo, Duration.ofSeconds(30));
        long stopMillis = (System.nanoTime() - t0) / 1_000_000;
        String out = Files.readString(log);
        assertEquals(143, code, "exit code after SIGTERM (128 + 15); log:\n" + out);
        assertTrue(out.contains("river demo: stopped; data kept in " + dataDir), out);
        assertTrue(out.indexOf("River engine on") < out.indexOf("river demo: stopped"), "River closed before the end");
        assertFalse(out.contains("Exception"), "an exception in the demo's output:\n" + out);
        System.out.printf("river demo stopped in %d ms after SIGTERM%n", stopMillis);

        // Second run, no generator: River recovers what the first one stored and catches up with Kafka.
        demo = startDemo(2, "--rate", "0");
        long recovered = count(port, "orders");
        assertTrue(recovered >= countBeforeStop, "rows after restart " + recovered + " < before " + countBeforeStop);
        // Every record the first run's generator sent arrives once: the count settles, with no duplicates.
        long[] lastCount = {-1};
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(1500))
                .until(() -> {
                    long now = count(port, "orders");
                    boolean settled = now == lastCount[0];
                    lastCount[0] = now;
                    return settled;
                });
        JsonNode dup = query(port, "SELECT COUNT(*) AS n, COUNT(DISTINCT order_id) AS ids FROM orders")
                .json();
        assertEquals(
                dup.path("rows").path(0).path(0).asLong(),
                dup.path("rows").path(0).path(1).asLong(),
                "each order once: " + dup);
        assertEquals(143, ExamplesTestUtils.stop(demo, Duration.ofSeconds(30)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
