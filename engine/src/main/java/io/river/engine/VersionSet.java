package io.river.engine;

import io.river.engine.lsm.LevelEdit;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.manifest.TableEntry;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The manifest on disk and the versions readers see, changed together: {@link #logAndApply} is the
 * only place a level edit is both persisted and installed (LevelDB's {@code VersionSet::LogAndApply}).
 * Under the structure lock it (1) writes the next manifest atomically, then (2) installs the next
 * version of the table, then (3) marks replaced inputs obsolete; a crash before (1) completes leaves
 * the old manifest and the new files as orphans, after it the new files are live. Also hands out
 * file ids (the manifest records the next one). A level edit of a table that DROP TABLE removed is
 * not persisted: its new files are deleted once released. Thread-safe.
 */
final class VersionSet {
    private final ManifestStore manifests;
    private final ReentrantLock structureLock = new ReentrantLock();
    private final AtomicLong nextFileId;

    VersionSet(ManifestStore manifests) {
        this.manifests = manifests;
        this.nextFileId = new AtomicLong(manifests.current().nextFileId());
    }

    Manifest current() {
        return manifests.current();
    }

    long allocateFileId() {
        return nextFileId.getAndIncrement();
    }

    /** Makes sure ids at or below {@code usedId} are never handed out again (recovery). */
    void markUsed(long usedId) {
        nextFileId.accumulateAndGet(usedId + 1, Math::max);
    }

    /**
     * Persists and installs a level edit of one table. {@code schema} (may be null) is recorded with
     * a flush; {@code manifestExtras} adds what else must be durable with it (source positions).
     * {@code obsoleteInputs}: the replaced files are deleted once no reader holds them (a compaction,
     * not a move, whose output is the same file).
     */
    void logAndApply(
            LsmTable table,
            LevelEdit edit,
            TableSchema schema,
            UnaryOperator<Manifest> manifestExtras,
            List<SegmentHandle> obsoleteInputs)
            throws IOException {
        structureLock.lock();
        try {
            if (table.isDropped()) {
                // DROP TABLE won: the manifest no longer lists the table, so its new files are never live.
                for (SegmentHandle h : edit.added()) {
                    h.markObsolete();
                }
                return;
            }
            manifests.update(mf ->
                    manifestExtras.apply(mf.withTable(tableAfter(mf.tables().get(table.name()), edit, schema))
                            .withNextFileId(nextFileId.get())));
            table.install(edit);
            if (edit.flushedLsn() > 0) {
                table.setFlushedLsn(edit.flushedLsn());
            }
            for (SegmentHandle h : obsoleteInputs) {
                h.markObsolete();
            }
        } finally {
            structureLock.unlock();
        }
    }

    private static TableEntry tableAfter(TableEntry te, LevelEdit edit, TableSchema schema) {
        TableEntry next = te.withLevels(edit.applyTo(te.levels()), Math.max(te.flushedLsn(), edit.flushedLsn()));
        return schema == null ? next : next.withSchema(schema);
    }

    /** Any other manifest change (a new table, a checkpoint), ordered with level edits. */
    void update(UnaryOperator<Manifest> change) throws IOException {
        structureLock.lock();
        try {
            manifests.update(change);
        } finally {
            structureLock.unlock();
        }
    }

    /** Runs {@code action} under the structure lock (creating a table: manifest and table map together). */
    <T> T locked(IoSupplier<T> action) throws IOException {
        structureLock.lock();
        try {
            return action.get();
        } finally {
            structureLock.unlock();
        }
    }

    /** A supplier that may fail with an IOException. */
    interface IoSupplier<T> {
        T get() throws IOException;
    }
}
