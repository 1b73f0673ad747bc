package io.river.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The unit of a write and of a WAL entry, applied atomically: rows one by one ({@link #mutations}),
 * rows in columns ({@link #columns}, applied after the mutations, in order), plus the source
 * positions (next offset per source partition) that become durable together with them. Immutable
 * once built.
 */
public final class WriteBatch {
    private final List<Mutation> mutations;
    private final List<TableColumns> columns;
    private final Map<SourcePartition, Long> positions;

    public WriteBatch(List<Mutation> mutations, Map<SourcePartition, Long> positions) {
        this(mutations, List.of(), positions);
    }

    public WriteBatch(List<Mutation> mutations, List<TableColumns> columns, Map<SourcePartition, Long> positions) {
        this.mutations = Collections.unmodifiableList(new ArrayList<>(mutations));
        this.columns = List.copyOf(columns);
        this.positions = Collections.unmodifiableMap(new TreeMap<>(positions));
    }

    /** One table's rows in columns, with no positions. */
    public static WriteBatch of(TableColumns columns) {
        return new WriteBatch(List.of(), List.of(columns), Map.of());
    }

    public static WriteBatch of(String table, Row row) {
        return new WriteBatch(List.of(new Mutation(table, row)), Map.of());
    }

    public List<Mutation> mutations() {
        return mutations;
    }

    /** Rows in columns, applied after {@link #mutations}, in this order. */
    public List<TableColumns> columns() {
        return columns;
    }

    /** Rows in the batch: mutations and the rows of every column batch. */
    public int rowCount() {
        int n = mutations.size();
        for (TableColumns c : columns) {
            n += c.rows();
        }
        return n;
    }

    /** Next offset per source partition once this batch is applied. */
    public Map<SourcePartition, Long> positions() {
        return positions;
    }

    public boolean isEmpty() {
        return mutations.isEmpty() && columns.isEmpty() && positions.isEmpty();
    }

    /** Collects mutations and positions. Not thread-safe. */
    public static final class Builder {
        private final List<Mutation> mutations = new ArrayList<>();
        private final List<TableColumns> columns = new ArrayList<>();
        private final Map<SourcePartition, Long> positions = new TreeMap<>();

        public Builder add(String table, Row row) {
            mutations.add(new Mutation(table, row));
            return this;
        }

        /** Adds rows in columns (applied after every mutation of the batch). */
        public Builder add(TableColumns rows) {
            columns.add(rows);
            return this;
        }

        public Builder position(SourcePartition partition, long nextOffset) {
            positions.merge(partition, nextOffset, Math::max);
            return this;
        }

        /** Rows added: mutations and the rows of every column batch. */
        public int size() {
            int n = mutations.size();
            for (TableColumns c : columns) {
                n += c.rows();
            }
            return n;
        }

        public WriteBatch build() {
            return new WriteBatch(mutations, columns, positions);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "WriteBatch{" + mutations.size() + " mutations, " + columns.size() + " column batches, positions="
                + positions + "}";
    }
}
