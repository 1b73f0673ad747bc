package io.river.bench;

import io.river.connect.EngineRegistry;
import io.river.connect.RiverSinkConnectorConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.SourcePartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Kafka Connect ingest: the River sink in its two modes against a no-op sink ({@link NoopSinkConnector},
 * the pipeline's ceiling) on the same topic in the same embedded Connect worker (Kafka's own
 * {@link EmbeddedConnectCluster}: one KRaft broker, one worker, in this JVM), through the
 * JSON-in-a-String path ({@code StringConverter}; River parses the JSON itself) and the Struct path
 * ({@code JsonConverter} with schemas). The sides of each path:
 *
 * <ul>
 *   <li>no-op: counts and drops the records;</li>
 *   <li>embedded: the sink's tasks write into an engine in this JVM ({@code river.data.dir}, a fresh
 *       directory per run; deferred writes, WAL synced on {@code preCommit});</li>
 *   <li>server: the tasks send Arrow batches to {@code river serve} in a child JVM
 *       ({@link RiverServerChild}, {@code river.server.url}), default {@code river.wal.sync=batch}: each
 *       request is fsynced before River answers (concurrent requests share an fsync);</li>
 *   <li>server, interval: the same with a second child on {@code river.wal.sync=interval}, which answers
 *       before the fsync and makes the rows durable on the sink's {@code preCommit}
 *       ({@code /positions/sync}): the durability contract of the embedded mode.</li>
 * </ul>
 *
 * Each child serves the whole run (its JIT warm, as a server's is), a fresh table and connector
 * name (the sink's position scope) per run; before each run the benchmark waits until the children
 * are idle, so one run's background flushes do not take CPU from the next. Rounds rotate the order of
 * the sides, with a fresh connector (and consumer group) each time, so each reads the whole topic from
 * the start.
 *
 * <p>Two figures per run: the <em>steady-state</em> rate, records handed to {@code put()} per
 * second from the first batch to the last (River: rows applied in its engine, read from the
 * engine's positions in this JVM or from the child's {@code river_ingest_rows_total}; no-op: records
 * counted), and the <em>end-to-end</em> rate, from creating the connector until Kafka's committed
 * offsets reach the end of the topic (for River, committed means durable: it syncs its WAL on
 * {@code preCommit}); the latter includes task start-up and the 500 ms offset-commit interval on all
 * sides.
 */
final class ConnectBench {
    private static final int PARTITIONS = 3;

    private final int records;
    private final int rounds;
    private final BenchResults results;

    ConnectBench(boolean quick, BenchResults results, Map<String, String> opts) {
        this(
                Integer.parseInt(opts.getOrDefault("connect-records", quick ? "200000" : "1000000")),
                quick ? 2 : 3,
                results);
    }

    /** A run of {@code records} records per path and {@code rounds} alternating rounds (the CI smoke uses few). */
    ConnectBench(int records, int rounds, BenchResults results) {
        this.records = records;
        this.rounds = rounds;
        this.results = results;
    }

    /** A sink compared on each path. */
    enum Side {
        NOOP("no-op sink"),
        EMBEDDED("embedded"),
        SERVER("server (child JVM, wal.sync=batch)"),
        SERVER_INTERVAL("server (child JVM, wal.sync=interval)");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    void run() throws Exception {
        Path dir = BenchSupport.scratch("river-connect-bench");
        EmbeddedConnectCluster connect = start();
        MemoryMeter mem = MemoryMeter.start();
        Map<Side, RiverServerChild> servers = new EnumMap<>(Side.class);
        try {
            servers.put(Side.SERVER, RiverServerChild.start(dir.resolve("server-batch"), "connect-batch", Map.of()));
            servers.put(
                    Side.SERVER_INTERVAL,
                    RiverServerChild.start(
                            dir.resolve("server-interval"), "connect-interval", Map.of("river.wal.sync", "interval")));
            String[][] paths = {
                {"JSON string (StringConverter)", "bench-json-string", "false"},
                {"Struct (JsonConverter, schemas on)", "bench-json-struct", "true"}
            };
            for (String[] path : paths) {
                for (int attempt = 1; ; attempt++) {
                    connect.kafka().createTopic(path[1], PARTITIONS);
                    long t0 = System.nanoTime();
                    long failed = produce(connect, path[1], Boolean.parseBoolean(path[2]));
                    long stored = endOffsets(connect, path[1]);
                    System.out.printf(
                            "connect: produced %,d records to %s in %.1f s (%,d failed, %,d in the topic)%n",
                            records, path[1], (System.nanoTime() - t0) / 1e9, failed, stored);
                    if (failed == 0 && stored == records) {
                        break;
                    }
                    // The idempotent producer can lose batches on a loaded machine (OUT_OF_ORDER_SEQUENCE_NUMBER
                    // after a retry): every side would then wait for records that never come. A fresh topic.
                    BenchSupport.check(attempt < 3, "producing " + records + " records to " + path[1]);
                    path[1] = path[1].replaceAll("-retry\\d+$", "") + "-retry" + attempt;
                }
            }
            Side[] sides = Side.values();
            int run = 0;
            for (String[] path : paths) {
                Map<String, String> conv = Boolean.parseBoolean(path[2])
                        ? Map.of(
                                "value.converter",
                                "org.apache.kafka.connect.json.JsonConverter",
                                "value.converter.schemas.enable",
                                "true")
                        : Map.of("value.converter", "org.apache.kafka.connect.storage.StringConverter");
                double[][] steady = new double[sides.length][rounds];
                double[][] e2e = new double[sides.length][rounds];
                double[][] cpu = new double[sides.length][rounds];
                for (int i = 0; i < rounds; i++) {
                    for (int k = 0; k < sides.length; k++, run++) {
                        Side side = sides[(i + k) % sides.length];
                        for (RiverServerChild s : servers.values()) {
                            s.awaitIdle();
                        }
                        double[] r = measure(
                                connect,
                                dir,
                                side.name().toLowerCase(Locale.ROOT) + "-" + run,
                                path[1],
                                conv,
                                side,
                                servers,
                                mem);
                        steady[side.ordinal()][i] = r[0];
                        e2e[side.ordinal()][i] = r[1];
                        cpu[side.ordinal()][i] = r[2];
                    }
                }
                String label = path[0] + ", " + String.format("%,d", records) + " records, " + PARTITIONS + " tasks";
                report(label + ": steady put() rate", steady, servers, mem);
                report(label + ": end-to-end to committed offsets", e2e, servers, mem);
                reportCpu(label + ": CPU per 1M records, connector start to committed offsets", cpu, mem);
            }
        } finally {
            for (RiverServerChild s : servers.values()) {
                s.close();
            }
            mem.close();
            connect.stop();
            BenchSupport.deleteTree(dir);
        }
    }

    /**
     * CPU rows: each River side against the no-op sink and the server sides against embedded, in CPU
     * seconds per million records of every process (this JVM: broker, worker and sink tasks; and the
     * River children), so a figure that the machine's other load leaves alone.
     */
    private void reportCpu(String what, double[][] cpu, MemoryMeter mem) {
        double noop = BenchSupport.median(cpu[Side.NOOP.ordinal()]);
        double embedded = BenchSupport.median(cpu[Side.EMBEDDED.ordinal()]);
        results.add("connect", what + ", embedded", "CPU s", false, embedded, Side.NOOP.label, noop, mem.summary());
        for (Side side : List.of(Side.SERVER, Side.SERVER_INTERVAL)) {
            results.add(
                    "connect",
                    what + ", " + side.label,
                    "CPU s",
                    false,
                    BenchSupport.median(cpu[side.ordinal()]),
                    "embedded",
                    embedded,
                    mem.summary());
        }
    }

    /** CPU time so far of this JVM and the River children. */
    private static long cpuNanos(Map<Side, RiverServerChild> servers) {
        long sum = BenchSupport.selfCpuNanos();
        for (RiverServerChild s : servers.values()) {
            sum += s.cpuNanos();
        }
        return sum;
    }

    /** One metric's rows: each River side against the no-op sink, and each server side against embedded. */
    private void report(String what, double[][] figures, Map<Side, RiverServerChild> servers, MemoryMeter mem) {
        double noop = BenchSupport.median(figures[Side.NOOP.ordinal()]);
        double embedded = BenchSupport.median(figures[Side.EMBEDDED.ordinal()]);
        results.add("connect", what + ", embedded", "rec/s", true, embedded, Side.NOOP.label, noop, mem.summary());
        for (Side side : List.of(Side.SERVER, Side.SERVER_INTERVAL)) {
            double server = BenchSupport.median(figures[side.ordinal()]);
            String memory = mem.summary() + "; River server child RSS peak "
                    + String.format(Locale.ROOT, "%.0f MB", servers.get(side).peakRssBytes() / 1e6);
            results.add("connect", what + ", " + side.label, "rec/s", true, server, Side.NOOP.label, noop, memory);
            results.add("connect", what + ", " + side.label, "rec/s", true, server, "embedded", embedded, memory);
        }
    }

    private static EmbeddedConnectCluster start() {
        Properties broker = new Properties();
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("auto.create.topics.enable", "false");
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder()
                .name("river-bench")
                .numWorkers(1)
                .numBrokers(1)
                .brokerProps(broker)
                .workerProps(worker)
                .build();
        try {
            c.start();
        } catch (RuntimeException e) {
            c.stop();
            throw e;
        }
        return c;
    }

    /** Sends the records to {@code topic} and waits for every send; the number that failed. */
    private long produce(EmbeddedConnectCluster connect, String topic, boolean withSchema) {
        SplittableRandom rnd = new SplittableRandom(7);
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka()
                .createProducer(Map.of("linger.ms", "20", "batch.size", "262144", "compression.type", "none"))) {
            for (int i = 0; i < records; i++) {
                String payload = "{\"order_id\":" + i + ",\"city\":\"city"
                        + Math.min(99, (int) (Math.pow(rnd.nextDouble(), 3) * 100))
                        + "\",\"country\":\"FR\",\"user_id\":"
                        + rnd.nextInt(2_000_000) + ",\"amount\":" + (rnd.nextInt(100_000) / 100.0) + ",\"ts\":"
                        + (1_763_000_000_000L + i) + "}";
                String value = withSchema
                        ? "{\"schema\":{\"type\":\"struct\",\"fields\":["
                                + "{\"field\":\"order_id\",\"type\":\"int64\"},{\"field\":\"city\",\"type\":\"string\""
                                + "},"
                                + "{\"field\":\"country\",\"type\":\"string\"},"
                                + "{\"field\":\"user_id\",\"type\":\"int32\"},{\"field\":\"amount\",\"type\":\"double"
                                + "\"},"
                                + "{\"field\":\"ts\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Times"
                                + "tamp\"}"
                                + "],\"optional\":false},\"payload\":" + payload + "}"
                        : payload;
                producer.send(
                        new ProducerRecord<>(topic, i % PARTITIONS, null, value.getBytes(StandardCharsets.UTF_8)),
                        (meta, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        return failed.get();
    }

    /** The sum of the topic's end offsets: the records it holds. */
    private static long endOffsets(EmbeddedConnectCluster connect, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try (Admin admin = connect.kafka().createAdminClient()) {
            long sum = 0;
            for (ListOffsetsResult.ListOffsetsResultInfo info :
                    admin.listOffsets(latest).all().get().values()) {
                sum += info.offset();
            }
            return sum;
        }
    }

    /**
     * One run of one side: {steady rec/s, end-to-end rec/s, CPU seconds per million records of this JVM
     * and the River children from creating the connector to the committed offsets}.
     */
    private double[] measure(
            EmbeddedConnectCluster connect,
            Path dir,
            String name,
            String topic,
            Map<String, String> converters,
            Side side,
            Map<Side, RiverServerChild> servers,
            MemoryMeter mem)
            throws Exception {
        RiverServerChild server = servers.get(side);
        Map<String, String> c = new HashMap<>();
        c.put("name", name);
        c.put("topics", topic);
        c.put("tasks.max", Integer.toString(PARTITIONS));
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.putAll(converters);
        Path data = dir.resolve(name);
        long serverBase = 0;
        switch (side) {
            case EMBEDDED -> {
                c.put("connector.class", "io.river.connect.RiverSinkConnector");
                c.put("river.data.dir", data.toString());
                c.put("river.http.port", "-1");
                c.put("river.table.name.format", "events");
            }
            case SERVER, SERVER_INTERVAL -> {
                c.put("connector.class", "io.river.connect.RiverSinkConnector");
                c.put("river.server.url", server.url());
                c.put("river.table.name.format", "events_" + name.replace('-', '_'));
                serverBase = server.ingestedRows();
            }
            default -> c.put("connector.class", NoopSinkConnector.class.getName());
        }
        long cpu0 = cpuNanos(servers);
        long start = System.nanoTime();
        connect.configureConnector(name, c);
        double steady;
        EngineRegistry.Lease lease = null;
        try {
            LongSupplier progress;
            long pollMillis = 2;
            if (side == Side.EMBEDDED) {
                waitFor(() -> EngineRegistry.isOpen(data), "River engine open");
                lease = EngineRegistry.acquire(RiverSinkConnectorConfig.riverConfig(c));
                RiverEngine engine = lease.engine();
                mem.watchArrow(engine.allocator()::getPeakMemoryAllocation);
                progress = () -> applied(engine, topic);
            } else if (server != null) {
                long base = serverBase;
                pollMillis = 25; // a /metrics request per poll: not too often, the child shares the cores
                progress = () -> {
                    try {
                        return server.ingestedRows() - base;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                };
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
                    BenchSupport.check(
                            side == Side.NOOP || n == records, name + " stored each record once (" + n + " rows)");
                    if (side == Side.NOOP) {
                        NoopSinkConnector.Progress p = NoopSinkConnector.counter(name);
                        firstAt = p.firstBatchNanos;
                        firstCount = p.afterFirstBatch;
                    }
                    steady = (records - firstCount) / ((now - firstAt) / 1e9);
                    break;
                }
                BenchSupport.check(now < deadline, name + " reaches the end of " + topic + " (at " + n + ")");
                Thread.sleep(pollMillis);
            }
            waitFor(() -> committed(connect, name, topic) >= records, name + " commits every offset");
        } finally {
            if (lease != null) {
                mem.watchArrow(() -> 0);
                lease.close();
            }
        }
        double e2e = records / ((System.nanoTime() - start) / 1e9);
        double cpu = (cpuNanos(servers) - cpu0) / 1e9 * 1_000_000 / records;
        connect.deleteConnector(name);
        if (side == Side.EMBEDDED) {
            waitFor(() -> !EngineRegistry.isOpen(data), "River engine closed");
            BenchSupport.deleteTree(data);
        }
        System.out.printf(
                Locale.ROOT,
                "connect: %-22s %-18s steady %,.0f rec/s, end-to-end %,.0f rec/s, %.1f CPU s " + "per 1M records%n",
                name,
                topic,
                steady,
                e2e,
                cpu);
        return new double[] {steady, e2e, cpu};
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
                    .partitionsToOffsetAndMetadata()
                    .get();
            long sum = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
                sum += o == null ? 0 : o.offset();
            }
            return sum;
        }
    }
}
