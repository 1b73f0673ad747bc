package io.river.engine.model;

import java.util.Objects;

/**
 * An opaque position source: (stream, partition). The connector fills it with (topic, partition);
 * the engine only stores it. Immutable.
 */
public record SourcePartition(String stream, int partition) implements Comparable<SourcePartition> {
    public SourcePartition {
        Objects.requireNonNull(stream, "stream");
    }

    @Override
    public int compareTo(SourcePartition o) {
        int c = stream.compareTo(o.stream);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
        return stream + "-" + partition;
    }
}
