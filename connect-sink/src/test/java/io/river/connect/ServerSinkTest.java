package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableRetention;
import io.river.http.RiverServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink task in server mode against an in-process River server: claims and seeks, acknowledged
 * offsets, fencing of an older owner, a refused row to the dead letter queue, River down.
 */
class ServerSinkTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dir;

    private final List<RiverSinkTask> running = new ArrayList<>();
    private RiverEngine engine;
    private RiverServer server;

    @AfterEach
    void stopAll() throws IOException {
        running.forEach(RiverSinkTask::stop);
        if (server != null) {
            server.stop();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private String startServer(int port) throws IOException {
        RiverConfig config = RiverConfig.from(Map.of(
                "river.data.dir",
                dir.resolve("river").toString(),
                "river.http.host",
                "127.0.0.1",
                "river.http.port",
                Integer.toString(port)));
        engine = RiverEngine.open(config);
        server = RiverServer.start(config, engine);
        return "http://127.0.0.1:" + server.port();
    }

    private RiverSinkTask start(TestingSinkTaskContext context, String url, String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "orders-sink");
        props.put("river.server.url", url);
        props.put("river.server.timeout.ms", "2000");
        props.put("topics", TOPIC);
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        RiverSinkTask task = new RiverSinkTask();
        task.initialize(context);
        task.start(props);
        running.add(task);
        return task;
    }

    private static SinkRecord json(TopicPartition tp, long offset, String key, String value) {
        return new SinkRecord(
                tp.topic(),
                tp.partition(),
                Schema.OPTIONAL_STRING_SCHEMA,
                key,
                Schema.OPTIONAL_STRING_SCHEMA,
                value,
                offset);
    }

    private static Map<TopicPartition, OffsetAndMetadata> consumed(TopicPartition... tps) {
        Map<TopicPartition, OffsetAndMetadata> map = new HashMap<>();
        for (TopicPartition tp : tps) {
            map.put(tp, new OffsetAndMetadata(Long.MAX_VALUE));
        }
        return map;
    }

    /** Rows of the table, counted by River's SQL over HTTP. */
    private long count() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                            + "/query?sql=SELECT%20count(*)%20FROM%20" + TOPIC))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return new ObjectMapper()
                    .readTree(r.body())
                    .get("rows")
                    .get(0)
                    .get(0)
                    .asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void storesRecordsWithoutAnEngineAndCommitsWhatRiverAcknowledged() throws IOException {
        String url = startServer(0);
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, url);
        task.open(List.of(P0, P1));
        assertTrue(context.seeks.isEmpty(), "nothing stored yet: no seek");
        assertEquals(null, task.engine(), "server mode opens no engine");

        task.put(List.of(
                json(P0, 0, "a", "{\"n\": 1}"),
                json(P0, 1, "b", "{\"n\": 2}"),
                json(P1, 7, "c", "{\"n\": 3, \"city\": \"Oslo\"}")));
        assertEquals(
                Map.of(P0, new OffsetAndMetadata(2), P1, new OffsetAndMetadata(8)), task.preCommit(consumed(P0, P1)));
        Row row = engine.table(TOPIC)
                .orElseThrow()
                .get(TOPIC + "/" + SystemColumns.appendKey(1, 7))
                .orElseThrow();
        assertEquals(3L, row.get("n"));
        assertEquals("Oslo", row.get("city"));
        assertEquals("c", row.get(SystemColumns.KEY));

        // A redelivery (a rebalance, a rewind) stores nothing twice.
        task.put(List.of(json(P0, 1, "b", "{\"n\": 2}"), json(P0, 2, "d", "{\"n\": 4}")));
        assertEquals(4, count());

        // A new task on the same partitions seeks one record before River's positions.
        TestingSinkTaskContext next = new TestingSinkTaskContext(false);
        RiverSinkTask again = start(next, url);
        again.open(List.of(P0, P1));
        assertEquals(Map.of(P0, 2L, P1, 7L), next.seeks);
    }

    @Test
    void theConnectorRetentionGoesWithTheRequestThatCreatesTheTable() throws IOException {
        String url = startServer(0);
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, url, "river.table.retention.ms", "3600000");
        task.open(List.of(P0));
        task.put(List.of(json(P0, 0, "a", "{\"n\": 1}")));
        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), task.preCommit(consumed(P0)));
        assertEquals(
                new TableRetention(3_600_000L, null),
                engine.table(TOPIC).orElseThrow().retentionSetting());
        assertEquals(1, count());
    }

    @Test
    void aFencedPartitionIsDroppedQuietlyAndTheTaskGoesOn() throws IOException {
        String url = startServer(0);
        TestingSinkTaskContext oldContext = new TestingSinkTaskContext(false);
        RiverSinkTask zombie = start(oldContext, url);
        zombie.open(List.of(P0, P1));
        zombie.put(List.of(json(P0, 0, "a", "{\"n\": 1}")));

        TestingSinkTaskContext newContext = new TestingSinkTaskContext(false);
        RiverSinkTask owner = start(newContext, url);
        owner.open(List.of(P0));
        owner.put(List.of(json(P0, 1, "b", "{\"n\": 2}"), json(P0, 2, "c", "{\"n\": 3}")));

        // The old owner still has records of P0 in hand, and owns P1 still.
        zombie.put(List.of(
                json(P0, 1, "x", "{\"n\": 99}"), json(P0, 3, "y", "{\"n\": 99}"), json(P1, 0, "z", "{\"n\": 5}")));
        assertEquals(Map.of(P1, new OffsetAndMetadata(1)), zombie.preCommit(consumed(P0, P1)));
        assertTrue(oldContext.paused.contains(P0), "the fenced partition is paused until the rebalance takes it");
        assertEquals(4, count(), "a, b, c of P0 and z of P1; nothing of the zombie's P0 batch");
        assertEquals(Map.of(P0, new OffsetAndMetadata(3)), owner.preCommit(consumed(P0)));
    }

    @Test
    void aRowRiverRefusesGoesToTheDeadLetterQueue() throws Exception {
        String url = startServer(0);
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/ingest?table=" + TOPIC))
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"n\": 1}\n"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
        TestingSinkTaskContext context = new TestingSinkTaskContext(true);
        RiverSinkTask task = start(context, url, "errors.tolerance", "all");
        task.open(List.of(P0));
        SinkRecord bad = json(P0, 1, "b", "{\"n\": \"not a number\"}");
        task.put(List.of(json(P0, 0, "a", "{\"n\": 2}"), bad, json(P0, 2, "c", "{\"n\": 3}")));
        assertEquals(List.of(bad), context.reported);
        assertTrue(
                context.reasons.get(0).getMessage().contains("'n'"),
                context.reasons.get(0).getMessage());
        assertEquals(Map.of(P0, new OffsetAndMetadata(3)), task.preCommit(consumed(P0)));
        assertEquals(3, count(), "the row from /ingest plus a and c");
    }

    @Test
    void riverDownIsRetriableAndTheTaskCatchesUpWhenItIsBack() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, "http://127.0.0.1:" + port);
        task.open(List.of(P0)); // River is down: open() must not fail the task
        List<SinkRecord> batch = List.of(json(P0, 0, "a", "{\"n\": 1}"), json(P0, 1, "b", "{\"n\": 2}"));
        assertThrows(RetriableException.class, () -> task.put(batch));
        assertTrue(context.timeoutMs > 0, "the retry waits a back-off");
        assertEquals(Map.of(), task.preCommit(consumed(P0)));

        startServer(port);
        task.put(batch);
        assertEquals(Map.of(P0, new OffsetAndMetadata(2)), task.preCommit(consumed(P0)));
        assertEquals(2, count());
    }
}
