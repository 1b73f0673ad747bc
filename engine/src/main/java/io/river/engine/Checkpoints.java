package io.river.engine;

import io.river.engine.checkpoint.CheckpointSection;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.TableVersion;
import io.river.engine.manifest.Manifest;
import io.river.engine.memtable.Memtable;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Checkpoints of an engine, in steps: (1) under the write lock, snapshot every non-empty memtable of
 * every table, oldest first per table, as its newest rows in key order in columns, with the table's
 * schema, at the WAL's last LSN (nothing to do when the previous checkpoint is at that LSN); (2)
 * fsync the WAL, so the
 * durable positions cover the snapshot; (3) write the checkpoint file (temp, fsync, rename); (4)
 * point the manifest at it with the durable positions; (5) delete the previous file and the WAL
 * files no longer needed. One checkpoint at a time.
 */
final class Checkpoints {
    private final EngineState state;
    private final ReentrantLock lock = new ReentrantLock();

    Checkpoints(EngineState state) {
        this.state = state;
    }

    void checkpoint() throws IOException {
        lock.lock();
        try {
            VersionSet versions = state.versions();
            Snapshot snapshot = state.underWriteLock(
                    () -> snapshot(state.wal().lastLsn(), versions.current().checkpoint(), state.tables()));
            if (snapshot == null) {
                return;
            }
            state.sync();
            String file = state.checkpoints().write(snapshot.lsn(), snapshot.sections());
            Manifest.CheckpointRef old = versions.current().checkpoint();
            versions.update(mf -> mf.withCheckpoint(new Manifest.CheckpointRef(file, snapshot.lsn()))
                    .withPositions(state.positions().durableEntries()));
            if (old != null && !old.file().equals(file)) {
                Files.deleteIfExists(state.checkpoints().dir().resolve(old.file()));
            }
            state.metrics().checkpoints.increment();
            state.deleteObsoleteWal();
        } finally {
            lock.unlock();
        }
    }

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
                                t.name(), schema, m.firstLsn(), m.lastLsn(), m.sortedColumns(schema)));
                    }
                }
            } finally {
                v.release();
            }
        }
        return new Snapshot(lastLsn, sections);
    }
}
