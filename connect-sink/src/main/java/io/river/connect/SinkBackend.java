package io.river.connect;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where a sink task's records go: an engine in this worker ({@link EmbeddedSink}) or a River
 * server ({@link ServerSink}). The methods are those of a
 * {@link org.apache.kafka.connect.sink.SinkTask}, called on the task's one thread, with its
 * contracts: {@code open} seeks partitions to River's positions, {@code put} stores records
 * exactly once per offset, {@code preCommit} reports only offsets River holds durably.
 */
public interface SinkBackend {
    void start(RiverConfig config);

    void open(Collection<TopicPartition> partitions);

    void put(Collection<SinkRecord> records);

    Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets);

    void close(Collection<TopicPartition> partitions);

    void stop();

    /** The engine the task writes to in embedded mode; null in server mode. */
    default RiverEngine engine() {
        return null;
    }
}
