package io.river.examples;

import static io.river.examples.ExamplesTestUtils.get;
import static io.river.examples.ExamplesTestUtils.repoRoot;
import static io.river.examples.ExamplesTestUtils.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive ({@code dist/target/river-<version>.tar.gz}) as a user gets it: unpacked
 * with tar into a temporary folder, it holds a complete installation (launcher, every runtime jar,
 * a sample configuration naming every key, README, third-party licenses), identical to the tree the
 * Dockerfile copies; and it runs with nothing but a JRE on PATH: {@code bin/river serve} on port 0
 * becomes ready, stores and returns a value, answers {@code bin/river query}, hands over to a
 * successor through {@code bin/river restart} (same java, flags and {@code lib/}), stops on
 * SIGTERM, and leaves a data directory {@code bin/river check} finds healthy. The launcher refuses a
 * Java older than 17.
 */
class DistributionIT {
    private static final Duration START = Duration.ofSeconds(60);
    /** The end of a THIRD-PARTY.txt line: {@code (License) ... Name (groupId:artifactId:version - url)}. */
    private static final Pattern THIRD_PARTY =
            Pattern.compile("\\(([^:()\\s]+):([^:()\\s]+):([^:()\\s]+) - [^()]*\\)$");

    @TempDir
    static Path unpacked;

    private static Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void unpackTheArchive() throws Exception {
        home = RiverDistribution.unpack(RiverDistribution.archive(), unpacked);
    }

    private static Set<String> tree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> !f.equals(root))
                    .map(f -> root.relativize(f).toString() + (Files.isDirectory(f) ? "/" : ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<String> jars() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theArchiveHoldsACompleteInstallation() throws Exception {
        assertEquals("river-" + RiverDistribution.version(), home.getFileName().toString());
        try (Stream<Path> top = Files.list(home)) {
            assertEquals(
                    Set.of("README.md", "bin", "config", "lib", "licenses"),
                    top.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        Path launcher = home.resolve("bin/river");
        assertTrue(Files.isExecutable(launcher), "bin/river is executable");
        assertTrue(Files.readString(launcher).startsWith("#!/bin/sh\n"), "bin/river is a POSIX shell script");
        assertArrayEquals(
                Files.readAllBytes(repoRoot().resolve("README.md")), Files.readAllBytes(home.resolve("README.md")));

        // lib/: the server with every runtime dependency, and nothing of the build or the tests.
        List<String> jars = jars();
        String v = RiverDistribution.version();
        assertTrue(
                jars.containsAll(List.of(
                        "river-http-" + v + ".jar", "river-engine-" + v + ".jar", "river-config-" + v + ".jar")),
                jars.toString());
        for (String prefix : List.of(
                "arrow-vector-",
                "arrow-compression-",
                "zstd-jni-",
                "javalin-",
                "jetty-server-",
                "jackson-databind-",
                "jsqlparser-",
                "slf4j-api-",
                "slf4j-simple-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix)), prefix + " in lib/: " + jars);
        }
        for (String absent : List.of("junit-", "kafka", "connect-", "river-connect-sink", "river-examples")) {
            assertFalse(jars.stream().anyMatch(j -> j.startsWith(absent)), absent + " is not in lib/: " + jars);
        }

        // licenses/THIRD-PARTY.txt names every bundled third-party jar and its license.
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(home.resolve("licenses/THIRD-PARTY.txt"))) {
            Matcher m = THIRD_PARTY.matcher(line);
            if (m.find()) {
                assertTrue(line.strip().startsWith("(") && !line.contains("(Unknown license)"), "a license: " + line);
                listed.add(m.group(2) + "-" + m.group(3) + ".jar");
            }
        }
        // A jar with a classifier (netty-tcnative's per-platform builds) is listed under its artifact.
        assertEquals(
                jars.stream()
                        .filter(j -> !j.startsWith("river-"))
                        .filter(j -> listed.stream().noneMatch(l -> j.startsWith(l.replaceFirst("\\.jar$", "-"))))
                        .collect(Collectors.toCollection(TreeSet::new)),
                listed,
                "THIRD-PARTY.txt lists exactly the bundled third-party jars");
        assertTrue(
                tree(home.resolve("licenses")).stream().anyMatch(f -> f.matches("arrow-vector-[^/]+/META-INF/LICENSE")),
                "the license files the jars carry");

        // config/river.properties: every key the CLI knows, commented out, nothing set. The CLI is run
        // through a symbolic link to bin/river (as from /usr/local/bin): the launcher finds lib/ all the same.
        Path linked = work.resolve("elsewhere");
        Files.createDirectories(linked.resolve("bin"));
        Files.createSymbolicLink(linked.resolve("bin/river"), launcher);
        Path log = work.resolve("help-config.log");
        RiverDistribution.Result help = RiverDistribution.run(linked, List.of("--help-config"), Map.of(), log, START);
        assertEquals(0, help.exitCode(), help.output());
        List<String> keys = help.output()
                .lines()
                .filter(l -> l.startsWith("  --river."))
                .map(l -> l.substring(4, l.indexOf('=')))
                .toList();
        assertTrue(keys.size() > 30, help.output());
        List<String> sample = Files.readAllLines(home.resolve("config/river.properties"));
        for (String key : keys) {
            assertEquals(
                    1,
                    sample.stream().filter(l -> l.startsWith("#" + key + "=")).count(),
                    key);
        }
        assertTrue(sample.stream().allMatch(l -> l.isEmpty() || l.startsWith("#")), "the sample sets nothing");

        // The Dockerfile copies dist/target/river/: the same installation.
        assertEquals(
                tree(home),
                tree(repoRoot().resolve("dist/target/river")),
                "dist/target/river holds what the archive holds");
    }

    @Test
    void theArchiveRunsWithOnlyAJre() throws Exception {
        Path data = work.resolve("data");
        Path log = work.resolve("river.log");
        List<String> options = List.of(
                "--data-dir",
                data.toString(),
                "--port",
                "0",
                "--config",
                home.resolve("config/river.properties").toString());
        Process serve = RiverDistribution.start(home, concat("serve", options), Map.of(), log);
        try {
            RiverDistribution.Served first = RiverDistribution.awaitServing(data, serve, log, START);
            String value = "stored through the archive";
            ExamplesTestUtils.Response put =
                    send("POST", first.url() + "/put?key=k1", "application/octet-stream", value);
            assertEquals(200, put.status(), put.body());
            assertEquals(value, get(first.url() + "/get?key=k1").body());

            RiverDistribution.Result query = RiverDistribution.run(
                    home,
                    List.of("query", "SELECT 1 AS one", "--port", Integer.toString(first.port())),
                    Map.of(),
                    work.resolve("query.log"),
                    START);
            assertEquals(0, query.exitCode(), query.output());
            assertTrue(query.output().contains("one") && query.output().contains("(1 row"), query.output());

            // Graceful restart with the serve options (port 0: the running server's port): the successor
            // (this installation's java, flags and lib/) takes over the port and the data directory; the
            // first server drains and exits on the SIGTERM it is sent.
            RiverDistribution.Result restart = RiverDistribution.run(
                    home, concat("restart", options), Map.of(), work.resolve("restart.log"), START.plusSeconds(60));
            assertEquals(0, restart.exitCode(), restart.output() + "\n" + read(data.resolve("river.log")));
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "the first server exits after the handover");
            assertEquals(143, serve.exitValue(), "the first server ended on SIGTERM");
            RiverDistribution.Served second = RiverDistribution.pidFile(data).orElseThrow();
            assertEquals(first.port(), second.port());
            assertTrue(second.pid() != first.pid() && RiverDistribution.ready(second), second.toString());
            assertEquals(value, get(second.url() + "/get?key=k1").body(), "the successor serves the same data");

            // SIGTERM: drain, sync, release the data directory; then an offline scrub finds it healthy.
            ProcessHandle successor = ProcessHandle.of(second.pid()).orElseThrow();
            assertTrue(successor.destroy(), "SIGTERM sent");
            successor.onExit().get(60, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), RiverDistribution.pidFile(data), "river.pid removed on shutdown");
            RiverDistribution.Result check = RiverDistribution.run(
                    home, List.of("check", "--data-dir", data.toString()), Map.of(), work.resolve("check.log"), START);
            assertEquals(0, check.exitCode(), check.output());
        } finally {
            ExamplesTestUtils.stop(serve, Duration.ofSeconds(30));
            RiverDistribution.killServer(data, home);
        }
    }

    @Test
    void theLauncherRefusesAJavaOlderThan17() throws Exception {
        Path oldJava = work.resolve("jdk8/bin/java");
        Files.createDirectories(oldJava.getParent());
        Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"1.8.0_452\"' >&2\n");
        assertTrue(oldJava.toFile().setExecutable(true));
        RiverDistribution.Result r = RiverDistribution.run(
                home,
                List.of("--help"),
                Map.of("JAVA_HOME", work.resolve("jdk8").toString()),
                work.resolve("old-java.log"),
                START);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("Java 1.8.0_452") && r.output().contains("needs Java 17 or newer"), r.output());
    }

    private static List<String> concat(String command, List<String> options) {
        return Stream.concat(Stream.of(command), options.stream()).toList();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
    }
}
