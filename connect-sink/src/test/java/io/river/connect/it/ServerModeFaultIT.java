package io.river.connect.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production shape under faults: two distributed Connect workers (child JVMs loading River from
 * {@code plugin.path}) run one connector in server mode with 4 tasks over 6 partitions, writing to
 * one {@code river serve} child process, while a producer keeps writing 120,000 records. Meanwhile
 * (a) a worker is killed with {@code kill -9} and restarted, (b) a worker is frozen with SIGSTOP
 * until its tasks have moved to the other worker (its tasks are zombies), then resumed, and (c)
 * River itself is killed with {@code kill -9} and restarted on the same port. Afterwards every
 * (partition, offset) is in River exactly once and every task is RUNNING.
 */
@ExtendWith(SharedConnectCluster.class)
class ServerModeFaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final String CONNECTOR = "sm-sink";
    private static final String TOPIC = "sm-events";
    private static final int PARTITIONS = 6;
    private static final int PER_PARTITION = 20_000;
    private static final int TASKS = 4;

    @TempDir
    static Path work;

    private static Path plugins;

    private final EmbeddedConnectCluster connect = SharedConnectCluster.cluster();

    @BeforeAll
    static void unpackPlugin() throws Exception {
        plugins = WorkerProcess.unpackPluginArchive(work.resolve("plugins"));
    }

    @Test
    void everyOffsetOnceThroughWorkerKillZombieWorkerAndRiverKill() throws Exception {
        RiverItSupport.createTopic(connect, TOPIC, PARTITIONS);
        int port = RiverServerProcess.freePort();
        Path data = work.resolve("river-data");
        RiverServerProcess river = RiverServerProcess.start(data, port, "sm-1");
        WorkerProcess w1 = WorkerProcess.startDistributed(
                work.resolve("w1"), plugins, connect.kafka().bootstrapServers(), "sm-cluster", "sm-w1");
        WorkerProcess w2 = WorkerProcess.startDistributed(
                work.resolve("w2"), plugins, connect.kafka().bootstrapServers(), "sm-cluster", "sm-w2");
        Producer producer = new Producer();
        try {
            awaitPlugin(w1);
            awaitPlugin(w2);
            put(w1, "/connectors/" + CONNECTOR + "/config", connectorConfig(river.url()));
            awaitTasksRunning(w1, Set.of());
            producer.start();

            // (a) kill -9 a worker mid-ingest, then start it again.
            awaitStored(river, PARTITIONS * PER_PARTITION / 8);
            w1.kill();
            awaitTasksRunning(w2, Set.of(address(w1)));
            w1 = WorkerProcess.startDistributed(
                    work.resolve("w1"), plugins, connect.kafka().bootstrapServers(), "sm-cluster", "sm-w1-restarted");
            awaitTasksRunning(w1, Set.of());

            // (b) freeze a worker past its session timeout: its tasks move and it becomes a zombie; then thaw it.
            awaitStored(river, PARTITIONS * PER_PARTITION / 3);
            w2.freeze();
            awaitTasksRunning(w1, Set.of(address(w2)));
            w2.thaw();
            awaitTasksRunning(w1, Set.of());

            // (c) kill -9 River mid-ingest and start it again on the same port and data directory.
            awaitStored(river, PARTITIONS * PER_PARTITION / 2);
            river.kill();
            river = RiverServerProcess.start(data, port, "sm-2");

            producer.join();
            RiverServerProcess live = river;
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> stored(live) == (long) PARTITIONS * PER_PARTITION);
            assertExactlyOnce(river);
            awaitTasksRunning(w1, Set.of());
            System.out.printf(
                    "server-mode faults: %d records stored exactly once; positions %s%n",
                    (long) PARTITIONS * PER_PARTITION,
                    river.get("/positions?scope=" + CONNECTOR).body());
        } finally {
            producer.interrupt();
            w1.kill();
            w2.kill();
            river.close();
        }
    }

    private Map<String, String> connectorConfig(String url) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.river.connect.RiverSinkConnector");
        c.put("topics", TOPIC);
        c.put("tasks.max", Integer.toString(TASKS));
        c.put("river.server.url", url);
        c.put("river.server.timeout.ms", "5000");
        c.put("river.table.mode", "append");
        c.put("river.http.port", "-1");
        return c;
    }

    /** Every partition has exactly its records, each offset once. */
    private static void assertExactlyOnce(RiverServerProcess river) throws Exception {
        JsonNode rows = JSON.readTree(river.query("SELECT _partition, count(*) AS n, count(DISTINCT _offset) AS d, "
                        + "min(_offset) AS lo, max(_offset) AS hi FROM sm_events GROUP BY _partition "
                        + "ORDER BY _partition"))
                .path("rows");
        assertEquals(PARTITIONS, rows.size(), rows.toString());
        for (JsonNode row : rows) {
            String what = "partition " + row.get(0).asInt() + ": " + row;
            assertEquals(PER_PARTITION, row.get(1).asLong(), what);
            assertEquals(PER_PARTITION, row.get(2).asLong(), what);
            assertEquals(0, row.get(3).asLong(), what);
            assertEquals(PER_PARTITION - 1, row.get(4).asLong(), what);
        }
    }

    /** Rows River holds in the table (0 while it is unreachable or the table does not exist yet). */
    private static long stored(RiverServerProcess river) {
        try {
            return JSON.readTree(river.query("SELECT count(*) FROM sm_events"))
                    .path("rows")
                    .get(0)
                    .get(0)
                    .asLong();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void awaitStored(RiverServerProcess river, long rows) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> stored(river) >= rows);
    }

    private static void awaitPlugin(WorkerProcess worker) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> get(worker, "/connector-plugins").contains("io.river.connect.RiverSinkConnector"));
    }

    /** Waits until the connector and all its tasks are RUNNING, on workers other than {@code gone}. */
    private static void awaitTasksRunning(WorkerProcess worker, Set<String> gone) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        String body = get(worker, "/connectors/" + CONNECTOR + "/status");
                        last.set(body);
                        JsonNode status = JSON.readTree(body);
                        JsonNode tasks = status.path("tasks");
                        if (!"RUNNING"
                                        .equals(status.path("connector")
                                                .path("state")
                                                .asText())
                                || tasks.size() != TASKS) {
                            return false;
                        }
                        for (JsonNode t : tasks) {
                            if (!"RUNNING".equals(t.path("state").asText())
                                    || gone.contains(t.path("worker_id").asText())) {
                                return false;
                            }
                        }
                        return true;
                    });
        } catch (RuntimeException e) {
            throw new AssertionError("tasks not all RUNNING away from " + gone + "; last status: " + last.get(), e);
        }
    }

    private static String address(WorkerProcess worker) {
        return "127.0.0.1:" + worker.restPort;
    }

    private static String get(WorkerProcess worker, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.restPort + path))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void put(WorkerProcess worker, String path, Map<String, String> body) throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    HttpResponse<String> response = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.restPort + path))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/json")
                                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() == 200 || response.statusCode() == 201;
                });
    }

    /** Writes PER_PARTITION records to each partition at a steady pace (~60 s in all), keys i, JSON values. */
    private final class Producer extends Thread {
        private final AtomicLong sent = new AtomicLong();

        Producer() {
            super("sm-producer");
            setDaemon(true);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long perSecond = (long) PARTITIONS * PER_PARTITION / 60;
            try (KafkaProducer<byte[], byte[]> producer =
                    connect.kafka().createProducer(Map.of("linger.ms", 5, "batch.size", 64 * 1024))) {
                for (int i = 0; i < PER_PARTITION && !isInterrupted(); i++) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        String value =
                                "{\"i\":" + i + ",\"user\":\"u" + (i % 500) + "\",\"amount\":" + (i % 89) + ".25}";
                        producer.send(new ProducerRecord<>(
                                TOPIC,
                                p,
                                ("k" + i).getBytes(StandardCharsets.UTF_8),
                                value.getBytes(StandardCharsets.UTF_8)));
                    }
                    long due = start + sent.addAndGet(PARTITIONS) * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing, not synchronisation
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
