package io.river.engine;

import io.river.engine.manifest.Manifest;
import io.river.engine.model.SourcePartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The source positions (next offset per source partition) the engine holds, in two views:
 * <em>applied</em> (every appended batch, durable or not; what a writer checks against) and
 * <em>durable</em> (only batches whose WAL entry is fsynced; what the sink reports to Kafka and the
 * manifest records). Positions only grow. Thread-safe: {@link #applied} and {@link #durable} are
 * immutable snapshots; {@link #onAppend} runs under the engine's write lock.
 */
final class SourcePositions {
    /** Guarded by the engine's write lock (or confined to recovery). */
    private final Map<SourcePartition, Long> applied = new TreeMap<>();

    private volatile Map<SourcePartition, Long> appliedView = Map.of();
    /** Positions of appended but not yet durable batches, by LSN; guarded by itself. */
    private final TreeMap<Long, Map<SourcePartition, Long>> pending = new TreeMap<>();

    private volatile Map<SourcePartition, Long> durable = Map.of();

    /** Recovery: positions found in the manifest or a replayed WAL entry (all durable). */
    void recovered(Map<SourcePartition, Long> positions) {
        positions.forEach((k, v) -> applied.merge(k, v, Math::max));
    }

    /** Recovery is over: everything recovered is durable. */
    void recoveryDone() {
        durable = Collections.unmodifiableMap(new TreeMap<>(applied));
        appliedView = durable;
    }

    /** A batch was appended at {@code lsn}; its positions are applied now and durable once synced. */
    void onAppend(long lsn, Map<SourcePartition, Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        positions.forEach((k, v) -> applied.merge(k, v, Math::max));
        appliedView = Collections.unmodifiableMap(new TreeMap<>(applied));
        synchronized (pending) {
            pending.put(lsn, positions);
        }
    }

    /** Everything up to {@code syncedLsn} is fsynced: its positions become durable. */
    void onSynced(long syncedLsn) {
        synchronized (pending) {
            if (pending.isEmpty() || pending.firstKey() > syncedLsn) {
                return;
            }
            Map<SourcePartition, Long> next = new TreeMap<>(durable);
            while (!pending.isEmpty() && pending.firstKey() <= syncedLsn) {
                pending.pollFirstEntry().getValue().forEach((k, v) -> next.merge(k, v, Math::max));
            }
            durable = Collections.unmodifiableMap(next);
        }
    }

    Map<SourcePartition, Long> applied() {
        return appliedView;
    }

    Map<SourcePartition, Long> durable() {
        return durable;
    }

    /** The durable positions as manifest entries. */
    List<Manifest.PositionEntry> durableEntries() {
        List<Manifest.PositionEntry> out = new ArrayList<>();
        for (Map.Entry<SourcePartition, Long> e : durable.entrySet()) {
            out.add(new Manifest.PositionEntry(e.getKey().stream(), e.getKey().partition(), e.getValue()));
        }
        return out;
    }
}
