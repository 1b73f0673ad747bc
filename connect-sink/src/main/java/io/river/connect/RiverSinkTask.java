package io.river.connect;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import io.river.engine.model.TableMode;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The River sink task. With {@code river.server.url} set it writes to a River server that a whole
 * Connect cluster shares, with positions and fencing on the server ({@link ServerSink}); without,
 * to an engine embedded in this worker on {@code river.data.dir} ({@link EmbeddedSink}). Either
 * way the Kafka offsets live in River, stored atomically with the rows, so every offset is stored
 * exactly once; {@link #flush} does nothing because {@link #preCommit} reports only what River
 * holds durably.
 */
public final class RiverSinkTask extends SinkTask {
    private SinkBackend backend;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        RiverConfig config = RiverSinkConnectorConfig.riverConfig(props);
        TableMode mode = TableMode.parse(config.get(RiverConfigKeys.TABLE_MODE));
        TableRouter router = new TableRouter(config);
        RecordConverter converter = new RecordConverter(
                mode, NullValueBehavior.parse(config.get(RiverConfigKeys.BEHAVIOR_ON_NULL_VALUES)), router);
        SinkParts parts = new SinkParts(context, mode, router, converter, new ErrantRecords(context, props));
        backend = config.get(RiverConfigKeys.SERVER_URL).isBlank()
                ? new EmbeddedSink(parts)
                : new ServerSink(parts, props.get("name"));
        backend.start(config);
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        backend.open(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        backend.put(records);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return backend.preCommit(currentOffsets);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit() does the work: it reports only what River holds durably.
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        backend.close(partitions);
    }

    @Override
    public void stop() {
        if (backend != null) {
            backend.stop();
        }
    }

    /** The engine this task writes to in embedded mode, while started (for tests in this package). */
    RiverEngine engine() {
        return backend == null ? null : backend.engine();
    }
}
