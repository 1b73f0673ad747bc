package io.river.connect;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
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
 *       the rest straight into columns per table ({@link TableColumns}: no row object or map per
 *       record), sets bad records aside ({@link ErrantRecords}: a record the converter refuses, a
 *       value that cannot join its column, a row the engine refuses against the table's schema), and
 *       writes one {@link WriteBatch} of the columns plus the next offset of every partition seen
 *       (skipped and errant records included) with {@link RiverEngine#writeDeferred}: not yet
 *       fsynced.</li>
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
        Map<String, TableRows> tables = new LinkedHashMap<>();
        Map<TopicPartition, Long> positions = new HashMap<>();
        PartitionRun run = new PartitionRun(positions);
        TableRows last = null;
        String lastTopic = null;
        for (SinkRecord record : records) {
            if (!run.admits(record)) {
                continue; // already in River: redelivered after a rebalance or a rewind
            }
            try {
                if (last == null || !record.topic().equals(lastTopic)) {
                    lastTopic = record.topic();
                    last = tables.computeIfAbsent(router.table(lastTopic), this::tableRows);
                }
                last.add(record, ingestedAt);
            } catch (RecordException | SchemaException e) {
                errant.report(record, e);
            }
        }
        run.end();
        if (positions.isEmpty()) {
            return; // every record was a redelivery
        }
        write(new ArrayList<>(tables.values()), positions, ingestedAt);
        nextOffsets.putAll(positions);
    }

    /**
     * Writes each table's rows in columns and the positions as one batch, setting aside rows the
     * engine refuses (a value that does not fit the table's schema as it is now) one at a time.
     */
    private void write(List<TableRows> tables, Map<TopicPartition, Long> positions, Instant ingestedAt) {
        Map<SourcePartition, Long> sourcePositions = new TreeMap<>();
        positions.forEach((tp, next) -> sourcePositions.put(source(tp), next));
        while (true) {
            errant.awaitReports();
            WriteBatch.Builder batch = WriteBatch.builder();
            List<TableRows> written = new ArrayList<>(tables.size());
            for (TableRows t : tables) {
                if (!t.records.isEmpty()) {
                    batch.add(t.columns.build());
                    written.add(t);
                }
            }
            sourcePositions.forEach(batch::position);
            try {
                engine.writeDeferred(batch.build());
                return;
            } catch (RowRejectedException e) {
                setAside(e, written, tables, ingestedAt);
            } catch (IOException e) {
                throw new ConnectException(
                        "River failed to write a batch of " + batch.size() + " rows: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reports the refused row's record, and converts its table's other records again, against the
     * table's schema as it is now (which may set aside more of them).
     */
    private void setAside(RowRejectedException e, List<TableRows> written, List<TableRows> tables, Instant ingestedAt) {
        int index = e.index();
        for (TableRows t : written) {
            if (index >= t.records.size()) {
                index -= t.records.size();
                continue;
            }
            errant.report(t.records.remove(index), new RecordException(e.getMessage(), e));
            TableRows again = tableRows(t.name);
            for (SinkRecord record : t.records) {
                try {
                    again.add(record, ingestedAt);
                } catch (RecordException | SchemaException refused) {
                    errant.report(record, refused);
                }
            }
            tables.set(tables.indexOf(t), again);
            return;
        }
        throw new IllegalStateException("the engine refused row " + e.index() + " of a smaller batch", e);
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

    private static SourcePartition source(TopicPartition tp) {
        return new SourcePartition(tp.topic(), tp.partition());
    }

    /** One table's rows of a put, in columns, opening the table (created if absent) on first use. */
    private TableRows tableRows(String table) {
        Table t = openTable(table);
        String key = t.constraints().keyColumn();
        return new TableRows(t.name(), t.schema(), key == null ? "" : key);
    }

    /**
     * Tracks a put's records partition by partition: records of one partition come in runs (a poll is
     * partition by partition), so the partition, its known next offset and its highest offset are
     * looked up and merged once per run, not once per record.
     */
    private final class PartitionRun {
        private final Map<TopicPartition, Long> positions;
        private String topic;
        private int partition = -1;
        private TopicPartition tp;
        private long known = -1;
        private long next = -1;

        PartitionRun(Map<TopicPartition, Long> positions) {
            this.positions = positions;
        }

        /** Notes the record's position; false when River already holds its offset. */
        boolean admits(SinkRecord record) {
            String t = record.originalTopic();
            int p = record.originalKafkaPartition();
            if (tp == null || p != partition || !t.equals(topic)) {
                end();
                topic = t;
                partition = p;
                tp = new TopicPartition(t, p);
                Long k = nextOffsets.get(tp);
                known = k == null ? -1 : k;
            }
            long offset = record.originalKafkaOffset();
            if (offset < known) {
                return false;
            }
            next = Math.max(next, offset + 1);
            return true;
        }

        /** Merges the current run's next offset into the positions. */
        void end() {
            if (tp != null && next >= 0) {
                positions.merge(tp, next, Math::max);
            }
            next = -1;
        }
    }

    /**
     * The rows of one table in one put, converted straight into columns ({@link TableColumns.Builder}),
     * with the record of each row (to set it aside if the engine refuses the row). A table keyed by its
     * declared PRIMARY KEY column ({@code CREATE TABLE ... PRIMARY KEY}) takes that column's value as
     * the primary key and {@code _key} in place of the record key (a delete keeps the record key).
     * Columns start with the table's types, so a value that does not fit its table's column is refused
     * at its own record. A DATE value going into a TIMESTAMP column (in the table or in the rows
     * before) goes as its midnight UTC ({@link ConnectValues#fitTo}'s rule).
     */
    private final class TableRows implements RowTarget {
        final String name;
        final String keyColumn;
        final TableColumns.Builder columns;
        final List<SinkRecord> records = new ArrayList<>();

        TableRows(String table, TableSchema schema, String keyColumn) {
            this.name = table;
            this.keyColumn = keyColumn;
            this.columns = new TableColumns.Builder(table, schema);
        }

        void add(SinkRecord record, Instant ingestedAt) throws RecordException {
            RecordConverter.Keyed keyed;
            try {
                keyed = converter.convertColumns(record, ingestedAt, this);
            } catch (RecordException | RuntimeException e) {
                columns.abortRow(); // no value of a refused record stays for the next row
                throw e;
            }
            if (keyed == null) {
                columns.abortRow();
                return;
            }
            String pk = keyed.pk();
            if (!keyColumn.isEmpty() && !keyed.delete()) {
                Object value = columns.current(keyColumn);
                if (value == null || value instanceof byte[]) {
                    columns.abortRow();
                    throw new RecordException("table '" + name + "' is keyed by its PRIMARY KEY column '" + keyColumn
                            + "', which the record does not set (or sets to bytes)");
                }
                pk = value.toString();
                columns.put(SystemColumns.KEY, pk);
            }
            columns.endRow(pk, keyed.delete());
            records.add(record);
        }

        @Override
        public void put(String column, Object value) {
            columns.put(column, value instanceof LocalDate ? ConnectValues.fitTo(columns.type(column), value) : value);
        }
    }
}
