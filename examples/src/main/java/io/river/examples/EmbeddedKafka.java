package io.river.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka (KRaft: broker and controller in one node, static quorum) inside this JVM,
 * with its log in {@code dir}. The first start formats the directory; later starts reuse it, so
 * topics, records and consumer-group offsets survive a restart of the demo (ports may change from
 * run to run: the quorum is static and clients bootstrap afresh). Internal topics have replication
 * factor 1 (one broker). Writes {@code server.properties} into {@code dir} for reference.
 * Not thread-safe: start and stop from one thread.
 */
final class EmbeddedKafka implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Properties props;
    private KafkaRaftServer server;

    EmbeddedKafka(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.props = serverProperties(dir.resolve("log"), port, controllerPort);
    }

    static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "3");
        // A demo runs for minutes to hours: keep Kafka's copy of the events small (River keeps them all).
        p.put("log.retention.bytes", Long.toString(256L << 20));
        p.put("log.segment.bytes", Long.toString(64L << 20));
        p.put("log.retention.check.interval.ms", "60000");
        return p;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the log directory on first use, then starts the node and waits until it serves. */
    EmbeddedKafka start() throws IOException {
        Path logDir = dir.resolve("log");
        Files.createDirectories(logDir);
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "River demo: single-node KRaft broker (rewritten on every start)");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int code = StorageTool.execute(
                    new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()
                    },
                    new PrintStream(text, true, StandardCharsets.UTF_8));
            if (code != 0) {
                throw new IOException("formatting the Kafka log directory " + logDir + " failed: "
                        + text.toString(StandardCharsets.UTF_8));
            }
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return this;
    }

    /** Creates the topics that do not exist yet. */
    void createTopics(List<NewTopic> topics) throws IOException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            for (NewTopic t : topics) {
                if (existing.contains(t.name())) {
                    continue;
                }
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IOException("creating topic " + t.name() + " failed: " + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IOException("listing topics failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits (up to {@code timeout}) until a consumer group has no members; best effort, never throws. */
    void awaitGroupEmpty(String group, java.time.Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                var description = admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get(2, java.util.concurrent.TimeUnit.SECONDS)
                        .get(group);
                if (description == null || description.members().isEmpty()) {
                    return;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Best effort: the broker stops anyway.
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
