package io.river.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The unit of a write and of a WAL entry: mutations applied atomically, plus the source positions
 * (next offset per source partition) that become durable together with them. Immutable once
 * built.
 */
public final class WriteBatch {
    private final List<Mutation> mutations;
    private final Map<SourcePartition, Long> positions;

    public WriteBatch(List<Mutation> mutations, Map<SourcePartition, Long> positions) {
        this.mutations = Collections.unmodifiableList(new ArrayList<>(mutations));
        this.positions = Collections.unmodifiableMap(new TreeMap<>(positions));
    }

    public static WriteBatch of(String table, Row row) {
        return new WriteBatch(List.of(new Mutation(table, row)), Map.of());
    }

    public List<Mutation> mutations() {
        return mutations;
    }

    /** Next offset per source partition once this batch is applied. */
    public Map<SourcePartition, Long> positions() {
        return positions;
    }

    public boolean isEmpty() {
        return mutations.isEmpty() && positions.isEmpty();
    }

    /** Collects mutations and positions. Not thread-safe. */
    public static final class Builder {
        private final List<Mutation> mutations = new ArrayList<>();
        private final Map<SourcePartition, Long> positions = new TreeMap<>();

        public Builder add(String table, Row row) {
            mutations.add(new Mutation(table, row));
            return this;
        }

        public Builder position(SourcePartition partition, long nextOffset) {
            positions.merge(partition, nextOffset, Math::max);
            return this;
        }

        public int size() {
            return mutations.size();
        }

        public WriteBatch build() {
            return new WriteBatch(mutations, positions);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "WriteBatch{" + mutations.size() + " mutations, positions=" + positions + "}";
    }
}
