package io.river.examples;

import static io.river.examples.ExamplesTestUtils.get;
import static io.river.examples.ExamplesTestUtils.repoRoot;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution ({@code dist/}) as the tests run it: the archive
 * {@code dist/target/river-<version>.tar.gz}, the same installation unpacked in
 * {@code dist/target/river/} (what the Dockerfile copies), and {@code bin/river} child processes
 * that see only a JRE: an emptied environment but {@code PATH=<this JVM's java.home>/bin:/usr/bin:/bin}
 * (no JAVA_HOME, no class path, no Maven settings), so they run on nothing but the archive's own
 * {@code lib/}. Every process started here is also killed by a JVM shutdown hook, as a last resort
 * behind the tests' own {@code finally} blocks. Stateless.
 */
final class RiverDistribution {
    /** The main class of the CLI; present in the command line of every River JVM. */
    static final String CLI = "io.river.http.RiverCli";

    private RiverDistribution() {}

    /** The version the build gave the archive ({@code -Driver.version} from Failsafe). */
    static String version() {
        return System.getProperty("river.version", "0.1.0-SNAPSHOT");
    }

    /** {@code dist/target/river-<version>.tar.gz}; fails with the command that builds it when absent. */
    static Path archive() {
        Path archive = repoRoot().resolve("dist/target/river-" + version() + ".tar.gz");
        assertTrue(Files.isRegularFile(archive), "no " + archive + "; build it with mvn -B -ntp package");
        return archive;
    }

    /** Unpacks an archive with the system's tar (modes kept) into {@code into}; returns its one top folder. */
    static Path unpack(Path archive, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar -xzf " + archive + ": " + out);
        try (var entries = Files.list(into)) {
            List<Path> top = entries.toList();
            assertEquals(1, top.size(), "one top folder in " + archive + ": " + top);
            return top.get(0);
        }
    }

    /** The environment of a JRE-only machine: PATH holds this JVM's bin/ and /usr/bin:/bin, nothing else is set. */
    static void jreOnly(Map<String, String> environment) {
        environment.clear();
        environment.put(
                "PATH",
                Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + "/usr/bin" + File.pathSeparator
                        + "/bin");
    }

    /**
     * Starts {@code <home>/bin/river args} (a symbolic link to a launcher will do) with
     * {@link #jreOnly} plus {@code extraEnv}, output appended to {@code log}. The launcher execs java, so the process
     * is the River JVM itself
     * (a SIGTERM to it is River's graceful shutdown).
     */
    static Process start(Path home, List<String> args, Map<String, String> extraEnv, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/river").toString());
        command.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        jreOnly(pb.environment());
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return p;
    }

    /** A finished command: its exit code and its output (stdout and stderr together). */
    record Result(int exitCode, String output) {}

    /** Runs {@code <home>/bin/river args} (JRE-only environment plus {@code extraEnv}) to completion. */
    static Result run(Path home, List<String> args, Map<String, String> extraEnv, Path log, Duration timeout)
            throws IOException, InterruptedException {
        long from = Files.exists(log) ? Files.size(log) : 0;
        Process p = start(home, args, extraEnv, log);
        try {
            assertTrue(
                    p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    "bin/river " + args + " still runs after " + timeout.toSeconds() + " s; see " + log);
        } finally {
            p.destroyForcibly();
        }
        byte[] all = Files.readAllBytes(log);
        return new Result(p.exitValue(), new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8));
    }

    /** {@code river.pid} of a data directory: which process serves it and on which port. */
    record Served(long pid, int port) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** The data directory's {@code river.pid}, or empty while there is none. */
    static Optional<Served> pidFile(Path dataDir) throws IOException {
        String text;
        try {
            text = Files.readString(dataDir.resolve("river.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        return Optional.of(new Served(Long.parseLong(p.getProperty("pid")), Integer.parseInt(p.getProperty("port"))));
    }

    /**
     * Waits until {@code process} serves {@code dataDir}: {@code river.pid} names it (written once
     * the engine is attached) and {@code GET /health/ready} answers 200. Fails early, with the log,
     * when the process exits.
     */
    static Served awaitServing(Path dataDir, Process process, Path log, Duration timeout) {
        return await().atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new AssertionError(
                                        "bin/river exited with " + process.exitValue() + ":\n" + Files.readString(log));
                            }
                            Optional<Served> served = pidFile(dataDir).filter(s -> s.pid() == process.pid());
                            return served.isPresent() && ready(served.get()) ? served.get() : null;
                        },
                        s -> s != null);
    }

    /** True when the server answers {@code GET /health/ready} with 200 (false while it cannot be reached). */
    static boolean ready(Served served) throws InterruptedException {
        try {
            return get(served.url() + "/health/ready").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Kills (SIGKILL) the server {@code river.pid} names, if it is a River JVM of the installation
     * at {@code home}: the cleanup for servers a test did not start itself (a restart's successor).
     */
    static void killServer(Path dataDir, Path home) throws IOException {
        Optional<Served> served = pidFile(dataDir);
        if (served.isEmpty()) {
            return;
        }
        Path cmdline = Path.of("/proc", Long.toString(served.get().pid()), "cmdline");
        String command;
        try {
            command = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return; // gone
        }
        if (command.contains(CLI) && command.contains(home.toString())) {
            ProcessHandle.of(served.get().pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
