package io.river.connect.it;

import static io.river.connect.it.RiverItSupport.TIMEOUT;
import static io.river.connect.it.RiverItSupport.awaitRows;
import static io.river.connect.it.RiverItSupport.connectorConfig;
import static io.river.connect.it.RiverItSupport.countAndDistinctPerPartition;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.connect.EngineRegistry;
import io.river.engine.model.SystemColumns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-partition topic, three tasks sharing one engine, and a connector that is stopped, has
 * its Kafka offsets reset to zero, resumes, and is restarted: River's stored offsets win, and
 * every (partition, offset) is in River exactly once.
 */
@ExtendWith(SharedConnectCluster.class)
class ExactlyOnceIT {
    private static final String TOPIC = "clicks";
    private static final String NAME = "clicks-sink";
    private static final int PARTITIONS = 3;

    @TempDir
    Path dataDir;

    private final EmbeddedConnectCluster connect = SharedConnectCluster.cluster();
    private final List<String> connectors = new ArrayList<>();
    private int produced;

    @AfterEach
    void deleteConnectors() {
        RiverItSupport.deleteConnectors(connect, connectors, dataDir);
    }

    private void produce(int perPartition) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    String value = "{\"seq\": " + (produced + i) + ", \"page\": \"/p" + (i % 7) + "\"}";
                    producer.send(new ProducerRecord<>(TOPIC, p, null, value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        produced += perPartition;
    }

    /** Checks count == distinct == expected per partition; returns the latest _ingested_at (ms). */
    private long assertExactlyOnce(int perPartition) {
        List<Map<String, Object>> rows = awaitRows(dataDir, TOPIC, perPartition * PARTITIONS);
        Map<Integer, long[]> counts = countAndDistinctPerPartition(rows);
        assertEquals(PARTITIONS, counts.size());
        counts.forEach((p, c) -> assertArrayEquals(new long[] {perPartition, perPartition}, c, "partition " + p));
        return rows.stream().mapToLong(ExactlyOnceIT::ingestedAt).max().orElseThrow();
    }

    private static long ingestedAt(Map<String, Object> row) {
        return ((Number) row.get(SystemColumns.INGESTED_AT)).longValue();
    }

    /** Rows of the first {@code perPartition} offsets were all written before {@code before}: none rewritten. */
    private void assertNotRewritten(int perPartition, long before) throws Exception {
        for (Map<String, Object> row : RiverItSupport.rows(dataDir, TOPIC)) {
            if (((Number) row.get(SystemColumns.OFFSET)).longValue() < perPartition) {
                assertTrue(ingestedAt(row) <= before, "offset rewritten after the reset: " + row);
            }
        }
    }

    @Test
    void everyOffsetOnceAcrossStopResetResumeAndRestart() throws Exception {
        RiverItSupport.createTopic(connect, TOPIC, PARTITIONS);
        produce(500);
        Map<String, String> config = connectorConfig(TOPIC, dataDir);
        config.put("tasks.max", String.valueOf(PARTITIONS));
        connect.configureConnector(NAME, config);
        connectors.add(NAME);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(NAME, PARTITIONS, "tasks did not start");
        long firstWave = assertExactlyOnce(500);

        connect.stopConnector(NAME);
        connect.assertions().assertConnectorIsStopped(NAME, "connector did not stop");
        await().atMost(TIMEOUT).until(() -> !EngineRegistry.isOpen(dataDir));
        // Kafka now believes nothing was consumed; River's own offsets must win on resume.
        connect.resetConnectorOffsets(NAME);
        produce(500);
        connect.resumeConnector(NAME);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(NAME, PARTITIONS, "tasks did not resume");
        assertExactlyOnce(1000);
        assertNotRewritten(500, firstWave);

        connect.restartConnectorAndTasks(NAME, false, true, false);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(NAME, PARTITIONS, "tasks did not restart");
        produce(100);
        assertExactlyOnce(1100);

        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(TOPIC, p);
            await().atMost(TIMEOUT).until(() -> SinkSemanticsIT.committed(connect, NAME, tp) == 1100L);
        }
    }
}
