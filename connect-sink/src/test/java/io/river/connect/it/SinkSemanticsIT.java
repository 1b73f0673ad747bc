package io.river.connect.it;

import static io.river.connect.it.RiverItSupport.TIMEOUT;
import static io.river.connect.it.RiverItSupport.awaitRows;
import static io.river.connect.it.RiverItSupport.connectorConfig;
import static io.river.connect.it.RiverItSupport.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.connect.EngineRegistry;
import io.river.engine.model.ColumnType;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Upsert with tombstones, schema evolution, and the dead letter queue, on a real worker. */
@ExtendWith(SharedConnectCluster.class)
class SinkSemanticsIT {
    @TempDir
    Path dataDir;

    private final EmbeddedConnectCluster connect = SharedConnectCluster.cluster();
    private final List<String> connectors = new ArrayList<>();

    @AfterEach
    void deleteConnectors() {
        RiverItSupport.deleteConnectors(connect, connectors, dataDir);
    }

    private void run(String name, Map<String, String> config) throws InterruptedException {
        connect.configureConnector(name, config);
        connectors.add(name);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not start");
    }

    @Test
    void upsertKeepsLastValuePerKeyAndTombstonesDelete() throws Exception {
        RiverItSupport.createTopic(connect, "users", 1);
        produce(
                connect,
                "users",
                null,
                List.of(
                        new String[] {"u1", "{\"name\": \"ann\", \"visits\": 1}"},
                        new String[] {"u2", "{\"name\": \"bob\", \"visits\": 1}"},
                        new String[] {"u3", "{\"name\": \"cid\", \"visits\": 1}"},
                        new String[] {"u1", "{\"name\": \"ann\", \"visits\": 2}"},
                        new String[] {"u2", null},
                        new String[] {"u1", "{\"name\": \"anna\", \"visits\": 3}"}));
        Map<String, String> config = connectorConfig("users", dataDir);
        config.put("river.table.mode", "upsert");
        run("users", config);

        List<Map<String, Object>> rows = awaitRows(
                dataDir,
                "users",
                r -> r.size() == 2 && r.stream().anyMatch(row -> Long.valueOf(3).equals(row.get("visits"))));
        Map<String, Map<String, Object>> byKey =
                rows.stream().collect(Collectors.toMap(r -> (String) r.get(SystemColumns.KEY), r -> r));
        assertEquals("anna", byKey.get("u1").get("name"));
        assertEquals(5L, byKey.get("u1").get(SystemColumns.OFFSET));
        assertEquals("cid", byKey.get("u3").get("name"));
        assertTrue(!byKey.containsKey("u2"), "the tombstone deleted u2");
    }

    @Test
    void newFieldsAddColumnsAndIntegersWiden() throws Exception {
        RiverItSupport.createTopic(connect, "readings", 1);
        String intSchema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"v\",\"type\":\"int32\"}]}";
        String wideSchema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"v\",\"type\":\"int64\"},"
                + "{\"field\":\"unit\",\"type\":\"string\"}]}";
        String doubleSchema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"v\",\"type\":\"double\"}]}";
        produce(
                connect,
                "readings",
                null,
                List.of(
                        new String[] {null, "{\"schema\":" + intSchema + ",\"payload\":{\"v\":1}}"},
                        new String[] {
                            null, "{\"schema\":" + wideSchema + ",\"payload\":{\"v\":5000000000,\"unit\":\"mV\"}}"
                        },
                        new String[] {null, "{\"schema\":" + doubleSchema + ",\"payload\":{\"v\":2.5}}"}));
        Map<String, String> config = connectorConfig("readings", dataDir);
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        run("readings", config);

        List<Map<String, Object>> rows = awaitRows(dataDir, "readings", 3);
        try (EngineRegistry.Lease lease = EngineRegistry.acquire(RiverItSupport.riverConfig(dataDir))) {
            TableSchema schema = lease.engine().table("readings").orElseThrow().schema();
            assertEquals(ColumnType.FLOAT64, schema.column("v").type());
            assertEquals(ColumnType.STRING, schema.column("unit").type());
        }
        Map<Long, Map<String, Object>> byOffset =
                rows.stream().collect(Collectors.toMap(r -> (Long) r.get(SystemColumns.OFFSET), r -> r));
        assertEquals(1.0, byOffset.get(0L).get("v"));
        assertEquals(5.0e9, byOffset.get(1L).get("v"));
        assertEquals("mV", byOffset.get(1L).get("unit"));
        assertEquals(2.5, byOffset.get(2L).get("v"));
    }

    @Test
    void recordsRiverCannotStoreGoToTheDeadLetterQueueWithTheReason() throws Exception {
        RiverItSupport.createTopic(connect, "metrics", 1);
        RiverItSupport.createTopic(connect, "metrics-dlq", 1);
        produce(
                connect,
                "metrics",
                null,
                List.of(
                        new String[] {"a", "{\"cpu\": 0.5}"},
                        new String[] {"b", "{\"cpu\": \"high\"}"},
                        new String[] {"c", "{\"cpu\": 0.7, \"_topic\": \"spoofed\"}"},
                        new String[] {"d", "{\"cpu\": 0.9"},
                        new String[] {"e", "{\"cpu\": 1}"}));
        Map<String, String> config = connectorConfig("metrics", dataDir);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "metrics-dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        run("metrics", config);

        List<Map<String, Object>> rows = awaitRows(dataDir, "metrics", 2);
        assertEquals(
                List.of("a", "e"),
                rows.stream()
                        .map(r -> (String) r.get(SystemColumns.KEY))
                        .sorted()
                        .toList());

        ConsumerRecords<byte[], byte[]> dlq = connect.kafka().consume(3, TIMEOUT.toMillis(), "metrics-dlq");
        List<String> reasons = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            keys.add(new String(r.key(), StandardCharsets.UTF_8));
            Header reason = r.headers().lastHeader("__connect.errors.exception.message");
            assertNotNull(reason, "the DLQ record carries River's reason");
            reasons.add(new String(reason.value(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("b", "c", "d"), keys);
        assertTrue(reasons.get(0).contains("'cpu'"), reasons.get(0));
        assertTrue(reasons.get(1).contains("_topic"), reasons.get(1));
        assertTrue(reasons.get(2).contains("malformed JSON"), reasons.get(2));

        // The errant records' offsets count as handled: Kafka's committed offset reaches the end.
        await().atMost(TIMEOUT).until(() -> committed(connect, "metrics", new TopicPartition("metrics", 0)) == 5L);
    }

    static long committed(EmbeddedConnectCluster connect, String connector, TopicPartition tp) {
        for (ConnectorOffset offset : connect.connectorOffsets(connector).offsets()) {
            Object topic = offset.partition().get("kafka_topic");
            Object partition = offset.partition().get("kafka_partition");
            if (tp.topic().equals(topic)
                    && partition instanceof Number
                    && ((Number) partition).intValue() == tp.partition()) {
                return ((Number) offset.offset().get("kafka_offset")).longValue();
            }
        }
        return -1;
    }
}
