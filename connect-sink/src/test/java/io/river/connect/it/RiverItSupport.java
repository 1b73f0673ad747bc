package io.river.connect.it;

import static org.awaitility.Awaitility.await;

import io.river.config.RiverConfig;
import io.river.connect.EngineRegistry;
import io.river.engine.RiverEngine;
import io.river.engine.model.SystemColumns;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.TableSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.arrow.vector.FieldVector;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Helpers of the integration tests: connector configs, bulk producing, and reading River tables
 * in-process through the engine the connector's tasks write to ({@link EngineRegistry} hands the
 * test a lease on the same engine while the connector runs, or opens it when it does not).
 */
final class RiverItSupport {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RiverItSupport() {}

    /** A connector config writing {@code topics} into {@code dataDir}, REST API off. */
    static Map<String, String> connectorConfig(String topics, Path dataDir) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "RiverSinkConnector");
        config.put("topics", topics);
        config.put("tasks.max", "1");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("river.data.dir", dataDir.toString());
        config.put("river.http.port", "-1");
        return config;
    }

    static RiverConfig riverConfig(Path dataDir) {
        return RiverConfig.from(Map.of("river.data.dir", dataDir.toString(), "river.http.port", "-1"));
    }

    /**
     * Creates a topic and waits until every partition has a leader: producing to a partition whose
     * leader is not yet known can leave an idempotent producer retrying OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    static void createTopic(EmbeddedConnectCluster connect, String topic, int partitions) {
        connect.kafka().createTopic(topic, partitions);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            var description = connect.kafka().describeTopics(topic).get(topic);
            return description.isPresent()
                    && description.get().partitions().size() == partitions
                    && description.get().partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        });
    }

    /** Deletes the connectors and waits until the worker has closed the engine on {@code dataDir}. */
    static void deleteConnectors(EmbeddedConnectCluster connect, List<String> names, Path dataDir) {
        for (String name : names) {
            connect.deleteConnector(name);
        }
        names.clear();
        await().atMost(TIMEOUT).until(() -> !EngineRegistry.isOpen(dataDir));
    }

    /** Sends string records (key may be null, value null is a tombstone) and waits for every ack. */
    static void produce(EmbeddedConnectCluster connect, String topic, Integer partition, List<String[]> keyValues) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (String[] kv : keyValues) {
                producer.send(new ProducerRecord<>(topic, partition, bytes(kv[0]), bytes(kv[1])));
            }
            producer.flush();
        }
    }

    static void produceBytes(EmbeddedConnectCluster connect, String topic, List<byte[]> values) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, null, null, v));
            }
            producer.flush();
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every live row of a table as column name to value (Arrow's Java objects), or empty if absent. */
    static List<Map<String, Object>> rows(Path dataDir, String table) throws Exception {
        try (EngineRegistry.Lease lease = EngineRegistry.acquire(riverConfig(dataDir))) {
            return rows(lease.engine(), table);
        }
    }

    static List<Map<String, Object>> rows(RiverEngine engine, String table) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (engine.table(table).isEmpty()) {
            return out;
        }
        try (TableSnapshot snapshot = engine.table(table).get().snapshot()) {
            List<String> columns =
                    snapshot.schema().columns().stream().map(c -> c.name()).toList();
            for (ScanSplit split : snapshot.splits(new ScanRequest(columns, null), new ScanMetrics())) {
                try (split) {
                    for (ScanBatch next = split.next(); next != null; next = split.next()) {
                        try (ScanBatch batch = next) {
                            int[] selection = batch.selection();
                            int n = batch.liveRows();
                            for (int i = 0; i < n; i++) {
                                int row = selection == null ? i : selection[i];
                                Map<String, Object> values = new HashMap<>();
                                for (FieldVector vector : batch.root().getFieldVectors()) {
                                    Object v = vector.getObject(row);
                                    values.put(vector.getName(), v == null ? null : plain(v));
                                }
                                out.add(values);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Arrow's Text becomes String; other values stay as Arrow returns them. */
    private static Object plain(Object v) {
        return v instanceof org.apache.arrow.vector.util.Text ? v.toString() : v;
    }

    /** Waits until the table has exactly {@code count} rows and returns them. */
    static List<Map<String, Object>> awaitRows(Path dataDir, String table, int count) {
        List<List<Map<String, Object>>> last = new ArrayList<>(List.of(List.of()));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            last.set(0, rows(dataDir, table));
            return last.get(0).size() >= count;
        });
        if (last.get(0).size() != count) {
            throw new AssertionError("expected " + count + " rows in " + table + ", found "
                    + last.get(0).size());
        }
        return last.get(0);
    }

    /** Waits until the rows satisfy the condition; returns them. */
    static List<Map<String, Object>> awaitRows(Path dataDir, String table, Predicate<List<Map<String, Object>>> ok) {
        List<List<Map<String, Object>>> last = new ArrayList<>(List.of(List.of()));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            last.set(0, rows(dataDir, table));
            return ok.test(last.get(0));
        });
        return last.get(0);
    }

    /** Rows and distinct offsets per partition: equal counts mean no offset is stored twice. */
    static Map<Integer, long[]> countAndDistinctPerPartition(List<Map<String, Object>> rows) {
        Map<Integer, java.util.Set<Long>> distinct = new TreeMap<>();
        Map<Integer, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            int p = ((Number) row.get(SystemColumns.PARTITION)).intValue();
            long o = ((Number) row.get(SystemColumns.OFFSET)).longValue();
            counts.merge(p, 1L, Long::sum);
            distinct.computeIfAbsent(p, k -> new java.util.HashSet<>()).add(o);
        }
        Map<Integer, long[]> out = new TreeMap<>();
        counts.forEach((p, c) -> out.put(p, new long[] {c, distinct.get(p).size()}));
        return out;
    }
}
