package io.river.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A stock standalone Kafka Connect worker ({@link ConnectStandalone}) inside this JVM, loading
 * connectors from {@code plugin.path} with Connect's plugin isolation: River is not on this JVM's
 * class path, so the worker loads it from the unpacked plugin archive exactly as a production
 * worker would. Discovery uses the plugin's {@code META-INF/services} entries (plugin.discovery=service_load).
 * Connect registers its own shutdown hook; {@link #close()} is idempotent and waits for the worker
 * (and so the sink tasks, which close River's engine) to stop. Not thread-safe.
 */
final class EmbeddedConnect implements AutoCloseable {
    private final Connect<StandaloneHerder> connect;

    private EmbeddedConnect(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /** Worker settings for a demo worker: converters default to strings; connectors override them. */
    static Map<String, String> workerProperties(String bootstrap, Path pluginPath, Path offsetsFile, int restPort) {
        Map<String, String> w = new HashMap<>();
        w.put("bootstrap.servers", bootstrap);
        w.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        w.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        w.put("offset.storage.file.filename", offsetsFile.toString());
        w.put("offset.flush.interval.ms", "5000");
        w.put("plugin.path", pluginPath.toString());
        w.put("plugin.discovery", "service_load");
        w.put("listeners", "http://127.0.0.1:" + restPort);
        return w;
    }

    static EmbeddedConnect start(Map<String, String> workerProperties) {
        Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(workerProperties);
        takeOverShutdownHook(connect);
        return new EmbeddedConnect(connect);
    }

    /**
     * Connect registers a JVM shutdown hook that stops the worker, and a second {@code stop()} call
     * returns at once, before the first one finished. The demo's own hook must stop the worker
     * before the broker, and know when it stopped, so it removes Connect's hook and stops the worker
     * itself. Should a future Kafka rename the field, both hooks run and the broker may stop while
     * the worker still closes (River's data is durable either way).
     */
    private static void takeOverShutdownHook(Connect<?> connect) {
        try {
            java.lang.reflect.Field f = Connect.class.getDeclaredField("shutdownHook");
            f.setAccessible(true);
            Runtime.getRuntime().removeShutdownHook((Thread) f.get(connect));
        } catch (ReflectiveOperationException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(EmbeddedConnect.class)
                    .warn("could not take over Connect's shutdown hook: {}", e.toString());
        }
    }

    /** The worker's REST API (list plugins, connector status), e.g. {@code http://127.0.0.1:8083/}. */
    String restUrl() {
        return connect.rest().advertisedUrl().toString();
    }

    /** Creates or replaces a connector and waits until the worker accepted it. */
    ConnectorInfo putConnector(String name, Map<String, String> config) throws Exception {
        FutureCallback<Herder.Created<ConnectorInfo>> done = new FutureCallback<>();
        Map<String, String> withName = new HashMap<>(config);
        withName.put("name", name);
        connect.herder().putConnectorConfig(name, withName, true, done);
        try {
            return done.get(60, TimeUnit.SECONDS).result();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Connect refused connector " + name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Connect did not create connector " + name + " within 60 s", e);
        }
    }

    /** Connector and task states, e.g. {@code RUNNING} or {@code FAILED: <trace>}. */
    String status(String name) {
        var s = connect.herder().connectorStatus(name);
        StringBuilder b = new StringBuilder("connector " + s.connector().state());
        s.tasks()
                .forEach(t -> b.append(", task ")
                        .append(t.id())
                        .append(' ')
                        .append(t.state())
                        .append(t.trace() == null ? "" : ": " + t.trace()));
        return b.toString();
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
