package io.river.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/js/console-check.js} (playwright-core driving Debian's headless Chromium)
 * against a console URL and returns what the script saw. {@link #assumeAvailable()} skips the
 * calling test, with the reason, when Chromium, Node or playwright-core is missing
 * ({@code examples/ci/install-browser.sh} installs them). Stateless.
 */
final class ConsoleBrowser {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private ConsoleBrowser() {}

    /** Where install-browser.sh puts playwright-core (its node_modules folder's parent). */
    static Path playwrightDir() {
        String dir = System.getenv("RIVER_BROWSER_DIR");
        return dir != null ? Path.of(dir) : ExamplesTestUtils.repoRoot().resolve("examples/target/browser");
    }

    static void assumeAvailable() {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "Chromium is not installed at " + CHROMIUM + " (run examples/ci/install-browser.sh)");
        assumeTrue(onPath("node"), "Node.js (node) is not on the PATH (run examples/ci/install-browser.sh)");
        assumeTrue(
                Files.isRegularFile(playwrightDir().resolve("node_modules/playwright-core/package.json")),
                "playwright-core is not installed in " + playwrightDir() + " (run examples/ci/install-browser.sh)");
    }

    /** Opens {@code url}, runs {@code sql}; screenshots go to {@code screenshot} (and -error.png beside it). */
    static JsonNode check(String url, Path screenshot, String sql) throws IOException, InterruptedException {
        Path script = ExamplesTestUtils.repoRoot().resolve("examples/src/test/js/console-check.js");
        Files.createDirectories(screenshot.getParent());
        Path log = screenshot.resolveSibling("console-check.log");
        ProcessBuilder pb = new ProcessBuilder(List.of("node", script.toString(), url, screenshot.toString(), sql))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment()
                .put("NODE_PATH", playwrightDir().resolve("node_modules").toString());
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("console-check.js did not finish in 90 s; see " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String line = output.lines()
                .filter(l -> l.startsWith("RESULT "))
                .reduce((a, b) -> b)
                .orElseThrow(
                        () -> new AssertionError("console-check.js failed (exit " + p.exitValue() + "):\n" + output));
        return ExamplesTestUtils.JSON.readTree(line.substring("RESULT ".length()));
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
