package io.river.connect;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded mode of the sink (no {@code river.server.url}): records go into an engine in this
 * worker on {@code river.data.dir}, with the offset protocol: the offsets live in River, written
 * atomically with the rows, so every Kafka offset is stored exactly once.
 *
 * <ol>
 *   <li>{@link #open}: syncs the engine, reads its durable next offset per partition (recovered
 *       from manifest and WAL) and seeks each owned partition there (one record earlier, so that
 *       Kafka's committed offset catches up even on a quiet partition; that record is dropped).</li>
 *   <li>{@link #put}: drops records below a partition's known next offset (redelivery), converts
 *       the rest, checks each row against a running copy of its table's schema, sets bad records
 *       aside ({@link ErrantRecords}), and writes one {@link WriteBatch} of rows plus the next
 *       offset of every partition seen (skipped and errant records included) with
 *       {@link RiverEngine#writeDeferred}: not yet fsynced.</li>
 *   <li>{@link #preCommit}: fsyncs the WAL and hands Kafka only durable offsets of owned
 *       partitions. {@link #flush} does nothing more.</li>
 *   <li>{@link #close}: forgets the partitions; {@link #stop}: releases the shared engine.</li>
 * </ol>
 *
 * <p>Lifecycle and threading as {@link SinkTask}: every method runs on the task's one thread,
 * so the task's state needs no lock; the engine it writes to is shared with the connector's other
 * tasks in this worker ({@link EngineRegistry}).
 */
final class EmbeddedSink implements SinkBackend {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSink.class);

    private final SinkTaskContext context;
    private final TableMode mode;
    /** What a table this sink creates gets ({@code river.table.retention.ms}); set by start(). */
    private TableRetention tableRetention = TableRetention.NONE;

    private final TableRouter router;
    private final RecordConverter converter;
    private final ErrantRecords errant;
    private EngineRegistry.Lease lease;
    private RiverEngine engine;
    /** Running copy of each table's schema, including rows validated but not yet written. */
    private final Map<String, TableSchema> schemas = new HashMap<>();
    /** Per table, the shape of the last row that left its running schema as it was. */
    private final Map<String, RowShape> shapes = new HashMap<>();
    /** Next offset to store, per owned partition whose position is known. */
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();

    EmbeddedSink(SinkParts parts) {
        this.context = parts.context();
        this.mode = parts.mode();
        this.router = parts.router();
        this.converter = parts.converter();
        this.errant = parts.errant();
    }

    @Override
    public void start(RiverConfig config) {
        try {
            lease = EngineRegistry.acquire(config);
        } catch (IOException e) {
            throw new ConnectException(
                    "River cannot open its engine on " + config.get(RiverConfigKeys.DATA_DIR) + ": " + e.getMessage(),
                    e);
        }
        engine = lease.engine();
        long retentionMs = config.get(RiverConfigKeys.TABLE_RETENTION_MS);
        tableRetention = retentionMs > 0 ? new TableRetention(retentionMs, null) : TableRetention.NONE;
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        Map<SourcePartition, Long> durable = durablePositions();
        Map<TopicPartition, Long> seeks = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = durable.get(source(tp));
            if (next != null) {
                nextOffsets.put(tp, next);
                // One record before River's position: the worker takes a seek as already committed and
                // commits to Kafka only once a record has passed, so without this a partition that gets
                // no new records would keep a stale Kafka offset (and lag) forever. put() drops the
                // re-read record, as it drops any offset below the partition's next offset.
                seeks.put(tp, next > 0 ? next - 1 : next);
            }
        }
        if (!seeks.isEmpty()) {
            context.offset(seeks);
        }
        log.debug("Opened {}; River's next offsets {}", partitions, nextOffsets);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Instant ingestedAt = Instant.now();
        List<Pending> rows = new ArrayList<>(records.size());
        Map<TopicPartition, Long> positions = new HashMap<>();
        Map<String, String> keyColumns = new HashMap<>(); // per table in this put: its PRIMARY KEY column or ""
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            long offset = record.originalKafkaOffset();
            Long known = nextOffsets.get(tp);
            if (known != null && offset < known) {
                continue; // already in River: redelivered after a rebalance or a rewind
            }
            positions.merge(tp, offset + 1, Math::max);
            try {
                Row row = converter.convert(record, ingestedAt);
                if (row != null) {
                    String table = router.table(record.topic());
                    String keyColumn = keyColumns.computeIfAbsent(table, this::keyColumn);
                    row = ConnectValues.fitTo(schema(table), declaredKey(table, keyColumn, row));
                    check(table, row);
                    rows.add(new Pending(record, table, row));
                }
            } catch (RecordException | SchemaException e) {
                errant.report(record, e);
            }
        }
        if (positions.isEmpty()) {
            return; // every record was a redelivery
        }
        write(rows, positions);
        nextOffsets.putAll(positions);
    }

    /** Writes the rows and positions, setting aside rows the engine rejects (another writer's schema won). */
    private void write(List<Pending> rows, Map<TopicPartition, Long> positions) {
        Map<SourcePartition, Long> sourcePositions = new TreeMap<>();
        positions.forEach((tp, next) -> sourcePositions.put(source(tp), next));
        while (true) {
            errant.awaitReports();
            WriteBatch.Builder batch = WriteBatch.builder();
            for (Pending p : rows) {
                batch.add(p.table, p.row);
            }
            sourcePositions.forEach(batch::position);
            try {
                engine.writeDeferred(batch.build());
                return;
            } catch (RowRejectedException e) {
                Pending rejected = rows.remove(e.index());
                errant.report(rejected.record, new RecordException(e.getMessage(), e));
                refreshSchemas();
            } catch (IOException e) {
                throw new ConnectException(
                        "River failed to write a batch of " + rows.size() + " rows: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<SourcePartition, Long> durable;
        try {
            durable = durablePositions();
        } catch (ConnectException e) {
            log.error("River could not sync its WAL; committing no offsets this time", e);
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Long next = durable.get(source(tp));
            if (next != null && nextOffsets.containsKey(tp)) {
                commit.put(tp, new OffsetAndMetadata(next));
            }
        }
        return commit;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            nextOffsets.remove(tp);
        }
    }

    @Override
    public void stop() {
        schemas.clear();
        shapes.clear();
        nextOffsets.clear();
        if (lease != null) {
            try {
                lease.close();
            } catch (IOException e) {
                throw new ConnectException("River failed to close its engine: " + e.getMessage(), e);
            } finally {
                lease = null;
                engine = null;
            }
        }
    }

    @Override
    public RiverEngine engine() {
        return engine;
    }

    /** Syncs the WAL, so that what this JVM applied is durable, and returns the durable positions. */
    private Map<SourcePartition, Long> durablePositions() {
        try {
            engine.sync();
        } catch (IOException e) {
            throw new ConnectException("River failed to sync its WAL: " + e.getMessage(), e);
        }
        return engine.durablePositions();
    }

    /**
     * The row keyed by its table's declared PRIMARY KEY column ({@code CREATE TABLE ... PRIMARY KEY}),
     * whose value becomes the primary key and {@code _key} in place of the record key; the row itself
     * for a table without one (and for a delete, which keeps the record key).
     */
    private Row declaredKey(String table, String key, Row row) throws RecordException {
        if (key.isEmpty() || row.isTombstone()) {
            return row;
        }
        Object value = row.values().get(key);
        if (value == null || value instanceof byte[]) {
            throw new RecordException("table '" + table + "' is keyed by its PRIMARY KEY column '" + key
                    + "', which the record does not set (or sets to bytes)");
        }
        Map<String, Object> values = new LinkedHashMap<>(row.values());
        values.put(SystemColumns.KEY, value.toString());
        return Row.of(value.toString(), values);
    }

    /** The table's declared PRIMARY KEY column, or "" for none. */
    private String keyColumn(String table) {
        String key = engine.table(table).map(t -> t.constraints().keyColumn()).orElse(null);
        return key == null ? "" : key;
    }

    /**
     * Checks the row against the table's running schema and evolves it ({@link TableSchema#evolve}), unless
     * the row has the shape of the last row that left the schema as it was ({@link RowShape}).
     */
    private void check(String table, Row row) {
        RowShape shape = shapes.computeIfAbsent(table, t -> new RowShape());
        if (shape.matches(row)) {
            return;
        }
        TableSchema before = schema(table);
        TableSchema after = before.evolve(row);
        schemas.put(table, after);
        if (after == before) {
            shape.remember(row);
        }
    }

    private TableSchema schema(String table) {
        TableSchema schema = schemas.get(table);
        if (schema == null) {
            schema = openTable(table).schema();
            schemas.put(table, schema);
        }
        return schema;
    }

    private Table openTable(String name) {
        Table table;
        try {
            table = engine.createTable(name, mode, tableRetention);
        } catch (IOException e) {
            throw new ConnectException("River failed to create table " + name + ": " + e.getMessage(), e);
        }
        if (table.mode() != mode) {
            throw new ConnectException(
                    "River table " + name + " exists in " + table.mode().configName()
                            + " mode but this connector has river.table.mode=" + mode.configName()
                            + "; map the topic to another table (river.topic.table.map) or use the table's mode");
        }
        return table;
    }

    private void refreshSchemas() {
        shapes.clear();
        for (Map.Entry<String, TableSchema> e : schemas.entrySet()) {
            engine.table(e.getKey()).ifPresent(t -> e.setValue(t.schema()));
        }
    }

    private static SourcePartition source(TopicPartition tp) {
        return new SourcePartition(tp.topic(), tp.partition());
    }

    /** A converted record waiting for the batch write. */
    private static final class Pending {
        final SinkRecord record;
        final String table;
        final Row row;

        Pending(SinkRecord record, String table, Row row) {
            this.record = record;
            this.table = table;
            this.row = row;
        }
    }
}
