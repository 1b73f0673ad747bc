package io.river.connect.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A stock Kafka Connect worker run as a child JVM, standalone ({@code ConnectStandalone}, one
 * connector from a file) or distributed ({@code ConnectDistributed}, a member of a worker group;
 * connectors through its REST API), with River loaded only from {@code plugin.path} (the unpacked
 * plugin archive): the child's class path is the test class path minus every River class folder
 * and jar. Output goes to {@code target/worker-logs/worker-<tag>.log}, kept after the test for
 * diagnosis. Not thread-safe; {@link #kill()} is {@code kill -9}, {@link #freeze()} SIGSTOP.
 */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    final int restPort;

    private WorkerProcess(Process process, Path log, int restPort) {
        this.process = process;
        this.log = log;
        this.restPort = restPort;
    }

    /** Starts a worker on {@code bootstrap} with one connector; files go to {@code workDir}. */
    static WorkerProcess start(
            Path workDir, Path pluginPath, String bootstrap, Map<String, String> connector, String tag)
            throws IOException {
        Files.createDirectories(workDir);
        int port = freePort();
        Properties worker = workerProperties(pluginPath, bootstrap, port);
        worker.put(
                "offset.storage.file.filename",
                workDir.resolve("standalone.offsets").toString());
        Path workerFile = workDir.resolve("worker.properties");
        Path connectorFile = workDir.resolve("connector.properties");
        store(worker, workerFile);
        Properties conn = new Properties();
        conn.putAll(connector);
        store(conn, connectorFile);
        return launch("org.apache.kafka.connect.cli.ConnectStandalone", List.of(workerFile, connectorFile), port, tag);
    }

    /**
     * Starts a distributed worker in group {@code groupId} (internal topics {@code <groupId>-configs},
     * {@code -offsets}, {@code -status}); connectors are created through {@link #restPort}. A member
     * that stops heartbeating leaves the worker group and the sink's consumer group after 6 s, and
     * its tasks move to the other members at once (no scheduled rebalance delay).
     */
    static WorkerProcess startDistributed(Path workDir, Path pluginPath, String bootstrap, String groupId, String tag)
            throws IOException {
        Files.createDirectories(workDir);
        int port = freePort();
        Properties worker = workerProperties(pluginPath, bootstrap, port);
        worker.put("group.id", groupId);
        for (String kind : List.of("config", "offset", "status")) {
            worker.put(kind + ".storage.topic", groupId + "-" + kind + "s");
            worker.put(kind + ".storage.replication.factor", "1");
        }
        worker.put("offset.storage.partitions", "1");
        worker.put("status.storage.partitions", "1");
        worker.put("session.timeout.ms", "6000");
        worker.put("heartbeat.interval.ms", "1000");
        worker.put("rebalance.timeout.ms", "15000");
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        Path workerFile = workDir.resolve("worker.properties");
        store(worker, workerFile);
        return launch("org.apache.kafka.connect.cli.ConnectDistributed", List.of(workerFile), port, tag);
    }

    private static Properties workerProperties(Path pluginPath, String bootstrap, int port) {
        Properties worker = new Properties();
        worker.put("bootstrap.servers", bootstrap);
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("offset.flush.interval.ms", "500");
        worker.put("plugin.path", pluginPath.toString());
        worker.put("plugin.discovery", "service_load");
        worker.put("listeners", "http://127.0.0.1:" + port);
        // A killed worker's consumers must leave the group quickly: its session ends after 6 s, and a
        // rebalance it interrupted waits at most max.poll.interval.ms (default 5 minutes) for it.
        worker.put("consumer.session.timeout.ms", "6000");
        worker.put("consumer.heartbeat.interval.ms", "1000");
        worker.put("consumer.max.poll.interval.ms", "15000");
        return worker;
    }

    private static WorkerProcess launch(String main, List<Path> args, int port, String tag) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        command.add("-Xmx512m");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-cp");
        command.add(workerClassPath());
        command.add(main);
        args.forEach(a -> command.add(a.toString()));
        Path logs = Files.createDirectories(Path.of("target", "worker-logs"));
        Path log = logs.resolve("worker-" + tag + ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // Never leave a worker behind, even when a test fails between start and close.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "kill-" + tag));
        return new WorkerProcess(p, log, port);
    }

    /**
     * The test class path without River's classes and without the libraries only River uses (Arrow,
     * Netty, FlatBuffers, JSqlParser): the worker must find all of them in the plugin archive.
     */
    static String workerClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator)).stream()
                .filter(e -> !e.endsWith("target" + File.separator + "classes")
                        && !e.endsWith("target" + File.separator + "test-classes")
                        && !e.contains(File.separator + "io" + File.separator + "river" + File.separator)
                        && !RIVER_ONLY
                                .matcher(Path.of(e).getFileName().toString())
                                .lookingAt())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static final java.util.regex.Pattern RIVER_ONLY =
            java.util.regex.Pattern.compile("river-|arrow-|netty-|flatbuffers-|jsqlparser-");

    /** Unpacks the built plugin archive (target/river-connect-sink-*.zip) into {@code dir}; returns dir. */
    static Path unpackPluginArchive(Path dir) throws IOException {
        Path zip;
        try (var files = Files.list(Path.of("target"))) {
            zip = files.filter(f -> f.getFileName().toString().matches("river-connect-sink-.*\\.zip"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("no plugin archive in target/: run mvn package first"));
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path out = dir.resolve(e.getName()).normalize();
                if (!out.startsWith(dir)) {
                    throw new IOException("bad entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
        return dir;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    /** kill -9: no shutdown hook, no flush, no close. */
    void kill() {
        process.destroyForcibly();
        awaitExit(30);
    }

    /** SIGSTOP: the worker freezes (no heartbeats, no work) until {@link #thaw()}; it becomes a zombie. */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a frozen worker goes on where it stopped. */
    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** A graceful stop (SIGTERM: the worker stops its tasks), then kill -9 if it takes over 20 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(20)) {
                kill();
            }
        }
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void store(Properties props, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, null);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
