package io.river.engine;

import io.river.engine.checkpoint.CheckpointSection;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.TableVersion;
import io.river.engine.manifest.Manifest;
import io.river.engine.memtable.Memtable;
import io.river.engine.model.TableSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * What a checkpoint holds: every non-empty memtable of every table, oldest first per table, as
 * sorted rows with the table's schema, at the WAL's last LSN. Stateless.
 */
final class Checkpoints {
    private Checkpoints() {}

    /** The memtables' contents at {@code lsn}. */
    record Snapshot(long lsn, List<CheckpointSection> sections) {}

    /**
     * Snapshots the tables' memtables at {@code lastLsn}; null when the previous checkpoint is at the
     * same LSN (nothing new to save). The caller holds the engine's write lock.
     */
    static Snapshot snapshot(long lastLsn, Manifest.CheckpointRef previous, Collection<LsmTable> tables) {
        if (previous != null && previous.lsn() == lastLsn) {
            return null;
        }
        List<CheckpointSection> sections = new ArrayList<>();
        for (LsmTable t : tables) {
            TableVersion v = t.acquire();
            try {
                TableSchema schema = t.schema();
                List<Memtable> memtables = new ArrayList<>(v.immutables());
                Collections.reverse(memtables);
                memtables.add(v.active());
                for (Memtable m : memtables) {
                    if (!m.isEmpty()) {
                        sections.add(new CheckpointSection(
                                t.name(), schema, m.firstLsn(), m.lastLsn(), m.sortedRows(schema)));
                    }
                }
            } finally {
                v.release();
            }
        }
        return new Snapshot(lastLsn, sections);
    }
}
