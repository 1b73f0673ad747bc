package io.river.bench;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A sink that drops every record after counting it: the ceiling of the Connect pipeline (consume,
 * convert, commit) that {@link ConnectBench} measures River's sink against. Counts are kept per
 * connector name in {@link #counter} for the benchmark in the same JVM. Thread-safe.
 */
public final class NoopSinkConnector extends SinkConnector {
    private static final Map<String, Progress> PROGRESS = new ConcurrentHashMap<>();
    private Map<String, String> props;

    /** Records seen by a connector's tasks, and when the first batch arrived. */
    static final class Progress {
        final AtomicLong records = new AtomicLong();
        volatile long firstBatchNanos;
        volatile long afterFirstBatch;
    }

    static Progress counter(String connector) {
        return PROGRESS.computeIfAbsent(connector, n -> new Progress());
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return NoopTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public String version() {
        return "bench";
    }

    /** Counts and drops records; Kafka commits the offsets it consumed. */
    public static final class NoopTask extends SinkTask {
        private Progress progress;

        @Override
        public String version() {
            return "bench";
        }

        @Override
        public void start(Map<String, String> props) {
            progress = counter(props.get("name"));
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            if (records.isEmpty()) {
                return;
            }
            long n = progress.records.addAndGet(records.size());
            synchronized (progress) {
                if (progress.firstBatchNanos == 0) {
                    progress.firstBatchNanos = System.nanoTime();
                    progress.afterFirstBatch = n;
                }
            }
        }

        @Override
        public void stop() {}
    }
}
