package io.river.connect.it;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded KRaft broker and one Connect worker (Kafka's own {@link EmbeddedConnectCluster})
 * shared by every integration test class of the JVM: started by the first class that uses this
 * extension, stopped when JUnit closes its root context at the end of the run. Tests keep apart by
 * topic, connector name and data directory. Thread-safe start.
 *
 * <p>Broker settings for a single broker: replication factor 1 everywhere, no group rebalance
 * delay; the worker discovers plugins with {@code service_load} (META-INF/services) and commits
 * offsets every 500 ms so tests see {@code preCommit} often.
 */
public final class SharedConnectCluster implements BeforeAllCallback {
    private static final Object LOCK = new Object();
    private static EmbeddedConnectCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        get(context);
    }

    /** The running cluster, started on first use. */
    public static EmbeddedConnectCluster get(ExtensionContext context) {
        synchronized (LOCK) {
            if (cluster == null) {
                EmbeddedConnectCluster started = start();
                context.getRoot()
                        .getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(SharedConnectCluster.class.getName(), new Stopper());
                cluster = started;
            }
            return cluster;
        }
    }

    /** The running cluster; only valid inside a class extended with this extension. */
    public static EmbeddedConnectCluster cluster() {
        synchronized (LOCK) {
            if (cluster == null) {
                throw new IllegalStateException("annotate the test class with @ExtendWith(SharedConnectCluster.class)");
            }
            return cluster;
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
                .name("river-it")
                .numWorkers(1)
                .numBrokers(1)
                .brokerProps(broker)
                .workerProps(worker)
                .build();
        long t0 = System.nanoTime();
        try {
            c.start();
        } catch (RuntimeException e) {
            c.stop();
            throw e;
        }
        System.out.printf("Embedded Kafka + Connect started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return c;
    }

    /** Closed by JUnit with the root context: stops the worker and the broker. */
    private static final class Stopper implements AutoCloseable {
        @Override
        public void close() {
            synchronized (LOCK) {
                if (cluster != null) {
                    cluster.stop();
                    cluster = null;
                    System.out.println("Embedded Kafka + Connect stopped");
                }
            }
        }
    }
}
