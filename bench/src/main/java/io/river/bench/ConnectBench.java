package io.river.bench;

import io.river.config.RiverConfig;
import io.river.connect.EngineRegistry;
import io.river.connect.RiverSinkConnectorConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.SourcePartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Kafka Connect ingest: the River sink against a no-op sink ({@link NoopSinkConnector}, the
 * pipeline's ceiling) on the same topic in the same embedded Connect worker (Kafka's own
 * {@link EmbeddedConnectCluster}: one KRaft broker, one worker, in this JVM), through the
 * JSON-in-a-String path ({@code StringConverter}; River parses the JSON itself) and the Struct path
 * ({@code JsonConverter} with schemas). Rounds alternate no-op / River with a fresh connector (and
 * consumer group) each time, so each reads the whole topic from the start.
 *
 * <p>Two figures per run: the <em>steady-state</em> rate, records handed to {@code put()} per
 * second from the first batch to the last (River: rows applied in its engine, read from the
 * engine's positions; no-op: records counted), and the <em>end-to-end</em> rate, from creating the
 * connector until Kafka's committed offsets reach the end of the topic (for River, committed means
 * durable: it syncs its WAL on {@code preCommit}); the latter includes task start-up and the 500 ms
 * offset-commit interval on both sides.
 */
final class ConnectBench {
    private static final int PARTITIONS = 3;

    private final int records;
    private final int rounds;
    private final BenchResults results;

    ConnectBench(boolean quick, BenchResults results) {
        this(quick ? 200_000 : 1_000_000, quick ? 2 : 3, results);
    }

    /** A run of {@code records} records per path and {@code rounds} alternating rounds (the CI smoke uses few). */
    ConnectBench(int records, int rounds, BenchResults results) {
        this.records = records;
        this.rounds = rounds;
        this.results = results;
    }

    void run() throws Exception {
        Path dir = BenchSupport.scratch("river-connect-bench");
        EmbeddedConnectCluster connect = start();
        MemoryMeter mem = MemoryMeter.start();
        try {
            String[][] paths = {{"JSON string (StringConverter)", "bench-json-string", "false"},
                {"Struct (JsonConverter, schemas on)", "bench-json-struct", "true"}};
            for (String[] path : paths) {
                connect.kafka().createTopic(path[1], PARTITIONS);
                long t0 = System.nanoTime();
                produce(connect, path[1], Boolean.parseBoolean(path[2]));
                System.out.printf("connect: produced %,d records to %s in %.1f s%n", records, path[1],
                        (System.nanoTime() - t0) / 1e9);
            }
            int run = 0;
            for (String[] path : paths) {
                Map<String, String> conv = Boolean.parseBoolean(path[2])
                        ? Map.of("value.converter", "org.apache.kafka.connect.json.JsonConverter",
                            "value.converter.schemas.enable", "true")
                        : Map.of("value.converter", "org.apache.kafka.connect.storage.StringConverter");
                double[] noopSteady = new double[rounds];
                double[] riverSteady = new double[rounds];
                double[] noopE2e = new double[rounds];
                double[] riverE2e = new double[rounds];
                for (int i = 0; i < rounds; i++, run++) {
                    boolean riverFirst = i % 2 == 1;
                    for (int side = 0; side < 2; side++) {
                        boolean river = (side == 0) == riverFirst;
                        double[] r = measure(connect, dir, (river ? "river-" : "noop-") + run, path[1], conv, river,
                                mem);
                        if (river) {
                            riverSteady[i] = r[0];
                            riverE2e[i] = r[1];
                        } else {
                            noopSteady[i] = r[0];
                            noopE2e[i] = r[1];
                        }
                    }
                }
                String label = path[0] + ", " + String.format("%,d", records) + " records, " + PARTITIONS + " tasks";
                results.add("connect", label + ": steady put() rate", "rec/s", true,
                        BenchSupport.median(riverSteady), "no-op sink", BenchSupport.median(noopSteady), mem.summary());
                results.add("connect", label + ": end-to-end to committed offsets", "rec/s", true,
                        BenchSupport.median(riverE2e), "no-op sink", BenchSupport.median(noopE2e), mem.summary());
            }
        } finally {
            mem.close();
            connect.stop();
            BenchSupport.deleteTree(dir);
        }
    }

    private static EmbeddedConnectCluster start() {
        java.util.Properties broker = new java.util.Properties();
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("auto.create.topics.enable", "false");
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder().name("river-bench").numWorkers(1)
                .numBrokers(1).brokerProps(broker).workerProps(worker).build();
        try {
            c.start();
        } catch (RuntimeException e) {
            c.stop();
            throw e;
        }
        return c;
    }

    private void produce(EmbeddedConnectCluster connect, String topic, boolean withSchema) {
        SplittableRandom rnd = new SplittableRandom(7);
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(
                Map.of("linger.ms", "20", "batch.size", "262144", "compression.type", "none"))) {
            for (int i = 0; i < records; i++) {
                String payload = "{\"order_id\":" + i + ",\"city\":\"city" + Math.min(99,
                        (int) (Math.pow(rnd.nextDouble(), 3) * 100)) + "\",\"country\":\"FR\",\"user_id\":"
                        + rnd.nextInt(2_000_000) + ",\"amount\":" + (rnd.nextInt(100_000) / 100.0) + ",\"ts\":"
                        + (1_763_000_000_000L + i) + "}";
                String value = withSchema ? "{\"schema\":{\"type\":\"struct\",\"fields\":["
                        + "{\"field\":\"order_id\",\"type\":\"int64\"},{\"field\":\"city\",\"type\":\"string\"},"
                        + "{\"field\":\"country\",\"type\":\"string\"},"
                        + "{\"field\":\"user_id\",\"type\":\"int32\"},{\"field\":\"amount\",\"type\":\"double\"},"
                        + "{\"field\":\"ts\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"}"
                        + "],\"optional\":false},\"payload\":" + payload + "}" : payload;
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** One run: {steady rec/s, end-to-end rec/s}. */
    private double[] measure(EmbeddedConnectCluster connect, Path dir, String name, String topic,
                             Map<String, String> converters, boolean river, MemoryMeter mem) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("name", name);
        c.put("topics", topic);
        c.put("tasks.max", Integer.toString(PARTITIONS));
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.putAll(converters);
        Path data = dir.resolve(name);
        if (river) {
            c.put("connector.class", "io.river.connect.RiverSinkConnector");
            c.put("river.data.dir", data.toString());
            c.put("river.http.port", "-1");
            c.put("river.table.name.format", "events");
        } else {
            c.put("connector.class", NoopSinkConnector.class.getName());
        }
        long start = System.nanoTime();
        connect.configureConnector(name, c);
        double steady;
        EngineRegistry.Lease lease = null;
        try {
            LongSupplier progress;
            if (river) {
                waitFor(() -> EngineRegistry.isOpen(data), "River engine open");
                lease = EngineRegistry.acquire(RiverSinkConnectorConfig.riverConfig(c));
                RiverEngine engine = lease.engine();
                mem.watchArrow(engine.allocator()::getPeakMemoryAllocation);
                progress = () -> applied(engine, topic);
            } else {
                NoopSinkConnector.Progress p = NoopSinkConnector.counter(name);
                progress = p.records::get;
            }
            long firstAt = 0;
            long firstCount = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (true) {
                long n = progress.getAsLong();
                long now = System.nanoTime();
                if (firstAt == 0 && n > 0) {
                    firstAt = now;
                    firstCount = n;
                }
                if (n >= records) {
                    if (!river) {
                        NoopSinkConnector.Progress p = NoopSinkConnector.counter(name);
                        firstAt = p.firstBatchNanos;
                        firstCount = p.afterFirstBatch;
                    }
                    steady = (records - firstCount) / ((now - firstAt) / 1e9);
                    break;
                }
                BenchSupport.check(now < deadline, name + " reaches the end of " + topic + " (at " + n + ")");
                Thread.sleep(2);
            }
            waitFor(() -> committed(connect, name, topic) >= records, name + " commits every offset");
        } finally {
            if (lease != null) {
                mem.watchArrow(() -> 0);
                lease.close();
            }
        }
        double e2e = records / ((System.nanoTime() - start) / 1e9);
        connect.deleteConnector(name);
        if (river) {
            waitFor(() -> !EngineRegistry.isOpen(data), "River engine closed");
            BenchSupport.deleteTree(data);
        }
        System.out.printf("connect: %-8s %-18s steady %,.0f rec/s, end-to-end %,.0f rec/s%n", name, topic, steady, e2e);
        return new double[] {steady, e2e};
    }

    private static long applied(RiverEngine engine, String topic) {
        long sum = 0;
        for (Map.Entry<SourcePartition, Long> e : engine.positions().entrySet()) {
            if (e.getKey().stream().equals(topic)) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!c.holds()) {
            BenchSupport.check(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }

    private static long committed(EmbeddedConnectCluster connect, String connector, String topic) throws Exception {
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
