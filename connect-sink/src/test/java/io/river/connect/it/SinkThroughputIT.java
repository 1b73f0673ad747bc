package io.river.connect.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side-by-side throughput of the River sink and a no-op sink on the same topic in the same
 * Connect worker, through the JSON-in-a-String path and the Struct path (JsonConverter with
 * schemas): each run is timed from connector creation until Kafka's committed offsets reach the
 * end of the topic (River commits only what is durable in it). Rounds alternate no-op / River.
 * CI runs a small smoke (records reach the end, figures printed); the full run is
 * {@code -Driver.sink.bench.records=1000000 -Driver.sink.bench.rounds=3}.
 */
@ExtendWith(SharedConnectCluster.class)
class SinkThroughputIT {
    private static final int RECORDS = Integer.getInteger("river.sink.bench.records", 30_000);
    private static final int ROUNDS = Integer.getInteger("river.sink.bench.rounds", 1);
    private static final int PARTITIONS = 3;

    private final EmbeddedConnectCluster connect = SharedConnectCluster.cluster();

    @TempDir
    Path work;

    @Test
    void riverSinkAgainstTheNoopSinkOnTheSameTopic() throws Exception {
        String stringTopic = "tp-json-string";
        String structTopic = "tp-json-struct";
        RiverItSupport.createTopic(connect, stringTopic, PARTITIONS);
        RiverItSupport.createTopic(connect, structTopic, PARTITIONS);
        produce(stringTopic, false);
        produce(structTopic, true);
        Map<String, String> stringPath = Map.of("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        Map<String, String> structPath = Map.of("value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "true");
        int run = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (String[] path : new String[][] {{"string", stringTopic}, {"struct", structTopic}}) {
                Map<String, String> conv = path[0].equals("string") ? stringPath : structPath;
                double noop = measure("noop-" + path[0] + "-" + run, path[1], conv, false);
                double river = measure("river-" + path[0] + "-" + run, path[1], conv, true);
                run++;
                System.out.printf("SINK-THROUGHPUT path=%s records=%d tasks=%d noop=%.0f rec/s river=%.0f rec/s "
                        + "ratio=%.2f%n", path[0], RECORDS, PARTITIONS, noop, river, river / noop);
            }
        }
    }

    private double measure(String name, String topic, Map<String, String> converters, boolean river)
            throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("name", name);
        c.put("topics", topic);
        c.put("tasks.max", Integer.toString(PARTITIONS));
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.putAll(converters);
        if (river) {
            c.put("connector.class", "io.river.connect.RiverSinkConnector");
            c.put("river.data.dir", work.resolve(name).toString());
            c.put("river.http.port", "-1");
            c.put("river.table.name.format", "events");
        } else {
            c.put("connector.class", NoopSinkConnector.class.getName());
        }
        long start = System.nanoTime();
        connect.configureConnector(name, c);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> committed(name, topic) >= RECORDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        connect.deleteConnector(name);
        assertEquals(RECORDS, committed(name, topic));
        return RECORDS / seconds;
    }

    private void produce(String topic, boolean withSchema) {
        Random rnd = new Random(7);
        String[] cities = {"Paris", "Oslo", "Lagos", "Lima", "Osaka", "Pune", "Quito", "Riga"};
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                String payload = "{\"order_id\":" + i + ",\"city\":\"" + cities[rnd.nextInt(cities.length)]
                        + "\",\"user_id\":" + rnd.nextInt(100_000) + ",\"amount\":" + (rnd.nextInt(100_000) / 100.0)
                        + ",\"ts\":" + (1_700_000_000_000L + i) + "}";
                String value = withSchema ? "{\"schema\":{\"type\":\"struct\",\"fields\":["
                        + "{\"field\":\"order_id\",\"type\":\"int64\"},{\"field\":\"city\",\"type\":\"string\"},"
                        + "{\"field\":\"user_id\",\"type\":\"int32\"},{\"field\":\"amount\",\"type\":\"double\"},"
                        + "{\"field\":\"ts\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"}"
                        + "],\"optional\":false},\"payload\":" + payload + "}" : payload;
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private long committed(String connector, String topic) throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get();
            long sum = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
                sum += o == null ? 0 : o.offset();
            }
            return sum;
        }
    }
}
