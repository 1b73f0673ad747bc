package io.river.connect.it;

import static io.river.connect.it.RiverItSupport.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.connect.EngineRegistry;
import io.river.engine.RiverEngine;
import io.river.engine.model.SystemColumns;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.TableSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * River in a stock Connect worker run as its own process, loaded from {@code plugin.path} at the
 * unpacked plugin archive (class-loader isolation on, no River class on the worker's class path),
 * against the shared embedded broker: the plugin is listed and runs, and after repeated
 * {@code kill -9} of the worker mid-ingest every (partition, offset) is in River exactly once.
 */
@ExtendWith(SharedConnectCluster.class)
class WorkerProcessIT {
    @TempDir
    static Path work;

    private static Path plugins;

    private final EmbeddedConnectCluster connect = SharedConnectCluster.cluster();

    @BeforeAll
    static void unpackPlugin() throws Exception {
        plugins = WorkerProcess.unpackPluginArchive(work.resolve("plugins"));
    }

    private Map<String, String> connector(String name, String topic, Path dataDir, int tasks) {
        Map<String, String> c = new HashMap<>();
        c.put("name", name);
        c.put("connector.class", "RiverSinkConnector");
        c.put("topics", topic);
        c.put("tasks.max", String.valueOf(tasks));
        c.put("river.data.dir", dataDir.toString());
        c.put("river.http.port", "-1");
        return c;
    }

    @Test
    void pluginArchiveHoldsManifestDocsAndLibsButNoKafkaJars() throws Exception {
        Path root;
        try (var dirs = java.nio.file.Files.list(plugins)) {
            root = dirs.filter(d -> d.getFileName().toString().startsWith("river-connect-sink-"))
                    .findFirst()
                    .orElseThrow();
        }
        assertTrue(java.nio.file.Files.readString(root.resolve("manifest.json")).contains("\"component_types\""));
        assertTrue(java.nio.file.Files.readString(root.resolve("doc/config.md")).contains("`river.data.dir`"));
        assertTrue(java.nio.file.Files.exists(root.resolve("doc/README.md")));
        java.util.List<String> libs;
        try (var files = java.nio.file.Files.list(root.resolve("lib"))) {
            libs = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        String plugin = libs.stream()
                .filter(n -> n.startsWith("river-connect-sink-"))
                .findFirst()
                .orElseThrow();
        assertTrue(libs.stream().anyMatch(n -> n.startsWith("river-engine-")), libs.toString());
        assertTrue(libs.stream().anyMatch(n -> n.startsWith("arrow-vector-")), libs.toString());
        assertTrue(
                libs.stream()
                        .noneMatch(n -> n.startsWith("kafka") || n.startsWith("connect-") || n.startsWith("slf4j")),
                "the worker provides Kafka, Connect and slf4j: " + libs);
        try (java.util.jar.JarFile jar =
                new java.util.jar.JarFile(root.resolve("lib").resolve(plugin).toFile())) {
            var entry = jar.getEntry("META-INF/services/org.apache.kafka.connect.sink.SinkConnector");
            assertTrue(entry != null, "KIP-898 service entry missing");
            assertEquals(
                    "io.river.connect.RiverSinkConnector",
                    new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }

    @Test
    void stockWorkerLoadsThePluginArchiveFromPluginPath() throws Exception {
        RiverItSupport.createTopic(connect, "pp-orders", 1);
        produce("pp-orders", 1, 100);
        Path dataDir = work.resolve("pp-data");
        int apiPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            apiPort = s.getLocalPort();
        }
        Map<String, String> config = connector("pp-sink", "pp-orders", dataDir, 1);
        config.put("river.http.port", Integer.toString(apiPort));
        try (WorkerProcess worker = WorkerProcess.start(
                work.resolve("pp-worker"), plugins, connect.kafka().bootstrapServers(), config, "pp")) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + worker.restPort;
            await().atMost(TIMEOUT)
                    .ignoreExceptions()
                    .until(() ->
                            get(http, base + "/connector-plugins").contains("io.river.connect.RiverSinkConnector"));
            await().atMost(TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> get(http, base + "/connectors/pp-sink/status")
                            .matches("(?s).*\"tasks\":\\[\\{[^]]*\"RUNNING\".*"));
            await().atMost(TIMEOUT)
                    .until(() -> committed("pp-sink", "pp-orders", 1).equals(Map.of(0, 100L)));
            // The plugin serves River's REST API from the worker, on the engine the task writes to.
            String api = "http://127.0.0.1:" + apiPort;
            await().atMost(TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> get(http, api + "/health/ready").contains("READY"));
            await().atMost(TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> get(http, api + "/query?sql=SELECT%20count(*)%20AS%20n%20FROM%20pp_orders")
                            .contains("[[100]]"));
            String log = worker.logText();
            assertTrue(
                    log.contains("PluginClassLoader{pluginLocation="
                                    + plugins.toUri().toString().replaceAll("/$", ""))
                            || log.contains("PluginClassLoader{pluginLocation=file:" + plugins),
                    "plugin not loaded in isolation");
        }
        assertEquals(100, RiverItSupport.rows(dataDir, "pp_orders").size());
    }

    @Test
    void everyOffsetOnceAfterRepeatedKillMinus9() throws Exception {
        int partitions = 3;
        int perPartition = 66_667;
        String topic = "crash-events";
        RiverItSupport.createTopic(connect, topic, partitions);
        produce(topic, partitions, perPartition);
        Path dataDir = work.resolve("crash-data");
        Map<String, String> config = connector("crash-sink", topic, dataDir, partitions);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        long total = (long) partitions * perPartition;
        for (int round = 1; round <= 3; round++) {
            long before = sum(committed("crash-sink", topic, partitions));
            WorkerProcess worker = WorkerProcess.start(
                    work.resolve("crash-worker"),
                    plugins,
                    connect.kafka().bootstrapServers(),
                    config,
                    "crash-" + round);
            long delay = random.nextInt(1_200);
            try {
                // Kill while it ingests: once it has committed something new, after a random extra delay.
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !worker.isAlive() || sum(committed("crash-sink", topic, partitions)) > before);
                assertTrue(worker.isAlive(), "worker died by itself; see target/worker-logs");
                Thread.sleep(delay);
            } finally {
                worker.kill();
            }
            long after = sum(committed("crash-sink", topic, partitions));
            System.out.printf(
                    "crash round %d (seed %d): kill -9 %d ms after first commit, committed %d of %d%n",
                    round, seed, delay, after, total);
            if (round == 1) {
                assertTrue(after < total, "the first kill must land mid-ingest (committed " + after + ")");
            }
            if (after == total) {
                break;
            }
        }
        long t0 = System.nanoTime();
        try (WorkerProcess worker = WorkerProcess.start(
                work.resolve("crash-worker"), plugins, connect.kafka().bootstrapServers(), config, "crash-final")) {
            Map<Integer, Long> done = new TreeMap<>();
            for (int p = 0; p < partitions; p++) {
                done.put(p, (long) perPartition);
            }
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !worker.isAlive()
                            || committed("crash-sink", topic, partitions).equals(done));
            assertTrue(worker.isAlive(), "worker died by itself; see target/worker-logs");
            System.out.printf("final run caught up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
        try (EngineRegistry.Lease lease = EngineRegistry.acquire(RiverItSupport.riverConfig(dataDir))) {
            Map<Integer, long[]> counts = countAndDistinct(lease.engine(), "crash_events");
            assertEquals(partitions, counts.size());
            counts.forEach((p, c) -> {
                assertEquals(perPartition, c[0], "rows of partition " + p);
                assertEquals(perPartition, c[1], "distinct offsets of partition " + p);
            });
        }
    }

    /** Rows and distinct offsets per partition, reading only _partition and _offset. */
    private static Map<Integer, long[]> countAndDistinct(RiverEngine engine, String table) {
        Map<Integer, BitSet> seen = new TreeMap<>();
        Map<Integer, long[]> out = new TreeMap<>();
        try (TableSnapshot snapshot = engine.table(table).orElseThrow().snapshot()) {
            ScanRequest request =
                    new ScanRequest(java.util.List.of(SystemColumns.PARTITION, SystemColumns.OFFSET), null);
            for (ScanSplit split : snapshot.splits(request, new ScanMetrics())) {
                try (split) {
                    for (ScanBatch next = split.next(); next != null; next = split.next()) {
                        try (ScanBatch batch = next) {
                            IntVector partitions = (IntVector) batch.root().getVector(SystemColumns.PARTITION);
                            BigIntVector offsets = (BigIntVector) batch.root().getVector(SystemColumns.OFFSET);
                            int[] selection = batch.selection();
                            for (int i = 0; i < batch.liveRows(); i++) {
                                int row = selection == null ? i : selection[i];
                                int p = partitions.get(row);
                                long[] c = out.computeIfAbsent(p, k -> new long[2]);
                                c[0]++;
                                BitSet bits = seen.computeIfAbsent(p, k -> new BitSet());
                                int offset = Math.toIntExact(offsets.get(row));
                                if (!bits.get(offset)) {
                                    bits.set(offset);
                                    c[1]++;
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private void produce(String topic, int partitions, int perPartition) {
        try (KafkaProducer<byte[], byte[]> producer =
                connect.kafka().createProducer(Map.of("linger.ms", 20, "batch.size", 256 * 1024))) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < partitions; p++) {
                    String value = "{\"i\":" + i + ",\"user\":\"u" + (i % 1000) + "\",\"amount\":" + (i % 97) + ".5}";
                    producer.send(new ProducerRecord<>(topic, p, null, value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    private static long sum(Map<Integer, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Committed offsets of the sink's consumer group, by partition (absent = none committed). */
    private Map<Integer, Long> committed(String connector, String topic, int partitions) throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<Integer, Long> out = new TreeMap<>();
            for (int p = 0; p < partitions; p++) {
                OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
                if (o != null) {
                    out.put(p, o.offset());
                }
            }
            return out;
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
