package io.river.engine;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.cache.BlockCache;
import io.river.engine.checkpoint.CheckpointStore;
import io.river.engine.io.DataDir;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.Retention;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.memtable.Memtable;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableExistsException;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import io.river.engine.wal.WalOptions;
import io.river.engine.wal.WalSyncPolicy;
import io.river.engine.wal.WalWriter;
import io.river.engine.wal.WriteBatchCodec;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's mutable core: its tables, the WAL, the source positions and the version set, with
 * the operations that change them: append, flush, checkpoint. Recovery ({@link EngineRecovery}),
 * figures ({@link EngineStats}) and level edits ({@link VersionSet#logAndApply}, used by flush and
 * compaction) live apart. Locks: {@code writeLock} orders appends (schema evolution, WAL append
 * and memtable apply happen under it, in LSN order); the version set's structure lock orders
 * manifest updates with version installs. Background scheduling lives in {@link EngineBackground}.
 */
final class EngineState implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineState.class);

    private final RiverConfig config;
    private final DataDir dataDir;
    private final BufferAllocator allocator;
    private final EngineMetrics metrics;
    private final VersionSet versions;
    private final CheckpointStore checkpoints;
    private final SegmentFiles segments;
    private final Flusher flusher;
    private final Checkpoints checkpointer;
    private final TableLifecycle lifecycle;
    private final BlockCache cache;
    private final WalSyncPolicy syncPolicy;
    private final long memtableMaxBytes;
    private final int chunkRows;
    private final Clock clock;
    private final long retentionMillis;
    private final ConcurrentHashMap<String, LsmTable> tables = new ConcurrentHashMap<>();
    private final SourcePositions positions = new SourcePositions();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong nextMemtableId = new AtomicLong(1);
    private WalWriter wal;
    private Runnable flushSignal = () -> {};
    private volatile long recoveredEntries;
    private volatile long recoveryMillis;

    EngineState(
            RiverConfig config,
            DataDir dataDir,
            BufferAllocator allocator,
            EngineMetrics metrics,
            ManifestStore manifests,
            Clock clock)
            throws IOException {
        this.config = config;
        this.clock = clock;
        this.retentionMillis = config.get(RiverConfigKeys.RETENTION_MS);
        this.dataDir = dataDir;
        this.allocator = allocator;
        this.metrics = metrics;
        this.versions = new VersionSet(manifests);
        this.checkpoints = new CheckpointStore(dataDir.checkpointDir());
        this.cache = new BlockCache(config.get(RiverConfigKeys.CACHE_MAX_BYTES), metrics);
        this.segments = new SegmentFiles(config, dataDir, versions, allocator, cache);
        this.checkpointer = new Checkpoints(this);
        this.lifecycle = new TableLifecycle(this);
        this.flusher = new Flusher(this);
        this.syncPolicy = WalSyncPolicy.parse(config.get(RiverConfigKeys.WAL_SYNC));
        this.memtableMaxBytes = config.get(RiverConfigKeys.MEMTABLE_MAX_BYTES);
        this.chunkRows = (int) Math.max(64, Math.min(4096, memtableMaxBytes / 4096));
    }

    // ---------------------------------------------------------------- recovery hooks (EngineRecovery)

    /**
     * Adds a table recovered from the manifest (or just created), with its segments opened per level,
     * its retention setting and the cutoff the manifest records (null: none).
     */
    void addTable(
            String name,
            TableMode mode,
            TableConstraints constraints,
            TableRetention retention,
            Long retentionCutoff,
            TableSchema schema,
            long flushedLsn,
            List<List<SegmentHandle>> levels) {
        tables.put(
                name,
                new LsmTable(
                        name,
                        mode,
                        constraints,
                        schema,
                        flushedLsn,
                        newMemtable(name, mode),
                        levels,
                        allocator,
                        metrics,
                        new Retention(retention, retentionMillis, clock, retentionCutoff, metrics)));
    }

    /** Opens the WAL for writing; {@link WalWriter#open} fsyncs what a crashed process left. */
    void openWal(long nextLsn) throws IOException {
        wal = WalWriter.open(
                dataDir.walDir(),
                new WalOptions(
                        syncPolicy,
                        config.get(RiverConfigKeys.WAL_SYNC_INTERVAL_MS),
                        config.get(RiverConfigKeys.WAL_FILE_MAX_BYTES),
                        metrics),
                nextLsn);
        metrics.syncedLsn.set(nextLsn - 1);
    }

    void recovered(long millis, long walEntries) {
        this.recoveryMillis = millis;
        this.recoveredEntries = walEntries;
    }

    // ---------------------------------------------------------------- tables

    LsmTable table(String name) {
        return tables.get(name);
    }

    Collection<LsmTable> tables() {
        return tables.values();
    }

    Table createTable(String name, TableMode mode) throws IOException {
        return lifecycle.create(name, mode, TableRetention.NONE);
    }

    /** The table, created with this mode and retention if absent (an existing table keeps its own). */
    Table createTable(String name, TableMode mode, TableRetention retention) throws IOException {
        return lifecycle.create(name, mode, retention);
    }

    /** Creates a declared table; throws {@link TableExistsException} (nothing changed) if the name is taken. */
    Table createTable(TableDefinition definition) throws IOException {
        return lifecycle.create(definition);
    }

    /** Changes a table's own retention (see {@link TableLifecycle#setRetention}); false when there is no such table. */
    boolean setRetention(String name, TableRetention retention) throws IOException {
        return lifecycle.setRetention(name, retention);
    }

    /** Drops a table (see {@link TableLifecycle#drop}); false when there is no such table. */
    boolean dropTable(String name) throws IOException {
        return lifecycle.drop(name);
    }

    /** Takes a table out of the table map (a drop; the manifest already lacks it). */
    LsmTable removeTable(String name) {
        return tables.remove(name);
    }

    Memtable newMemtable(String table, TableMode mode) {
        return new Memtable(table, mode, nextMemtableId.getAndIncrement(), allocator, chunkRows);
    }

    // ---------------------------------------------------------------- writes

    void setFlushSignal(Runnable signal) {
        this.flushSignal = signal;
    }

    /**
     * Validates, logs and applies a batch; returns its LSN. Nothing is written if a row is refused.
     * The batch's rows become columns ({@link ColumnEvolution#columns}) and each table's schema evolves
     * once per column batch before the write lock, against the tables' schemas as they are now, so
     * concurrent writers do it in parallel; under the lock the evolution is reused when no table it
     * read has changed meanwhile, and worked out again otherwise (and whenever it refused a row: that
     * verdict is the lock's). The WAL entry holds the columns; memtables append them column by column.
     */
    long append(WriteBatch batch) throws IOException {
        ColumnEvolution.Converted converted;
        ColumnEvolution pre;
        try {
            converted = ColumnEvolution.columns(batch, tables);
            pre = ColumnEvolution.of(converted, batch.mutations().size(), tables);
        } catch (RuntimeException decidedUnderTheLock) {
            converted = null;
            pre = null;
        }
        byte[] payload = pre == null ? null : WriteBatchCodec.encode(pre.logged(batch));
        writeLock.lock();
        try {
            ColumnEvolution ev = pre;
            if (ev == null || !ev.unchanged(tables)) {
                if (converted == null) {
                    converted = ColumnEvolution.columns(batch, tables);
                }
                ev = ColumnEvolution.of(converted, batch.mutations().size(), tables);
                payload = payload == null ? WriteBatchCodec.encode(ev.logged(batch)) : payload;
            }
            long lsn = wal.append(payload);
            for (TableColumns cols : ev.batches()) {
                LsmTable t = tables.get(cols.table());
                t.apply(cols, ev.schemas().get(cols.table()), lsn);
                rotateIfFull(t);
            }
            positions.onAppend(lsn, batch.positions());
            metrics.batchesWritten.increment();
            metrics.rowsWritten.add(batch.rowCount());
            metrics.bytesWritten.add(payload.length);
            return lsn;
        } finally {
            writeLock.unlock();
        }
    }

    /** Freezes the table's memtable when it is full; caller holds writeLock or is recovering. */
    void rotateIfFull(LsmTable t) {
        if (t.peek().active().sizeBytes() >= memtableMaxBytes) {
            t.rotate(() -> newMemtable(t.name(), t.mode()));
            flushSignal.run();
        }
    }

    /** Freezes every non-empty active memtable (for a flush on time or on demand). */
    void rotateAll(long minAgeNanos) {
        writeLock.lock();
        try {
            for (LsmTable t : tables.values()) {
                Memtable active = t.peek().active();
                if (!active.isEmpty() && active.ageNanos() >= minAgeNanos) {
                    t.rotate(() -> newMemtable(t.name(), t.mode()));
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Waits until the entry is as durable as the policy promises; true if it is fsynced. */
    boolean awaitDurable(long lsn) throws IOException {
        if (syncPolicy == WalSyncPolicy.INTERVAL) {
            return false;
        }
        wal.awaitDurable(lsn);
        advanceDurable(wal.syncedLsn());
        return true;
    }

    long sync() throws IOException {
        long s = wal.sync();
        advanceDurable(s);
        return s;
    }

    private void advanceDurable(long syncedLsn) {
        metrics.syncedLsn.accumulateAndGet(syncedLsn, Math::max);
        positions.onSynced(syncedLsn);
    }

    Map<SourcePartition, Long> durablePositions() {
        if (wal != null) {
            advanceDurable(wal.syncedLsn());
        }
        return positions.durable();
    }

    Map<SourcePartition, Long> appliedPositions() {
        return positions.applied();
    }

    // ---------------------------------------------------------------- flush

    /** Flushes the oldest frozen memtable of the table, if any; returns true if it flushed one. */
    boolean flushOldest(LsmTable t) throws IOException {
        return flusher.flushOldest(t);
    }

    /** Deletes WAL files whose every entry is in segments or in the checkpoint. */
    void deleteObsoleteWal() throws IOException {
        long bound = wal.lastLsn();
        for (LsmTable t : tables.values()) {
            TableVersion v = t.peek();
            List<Memtable> imm = v.immutables();
            if (!imm.isEmpty()) {
                bound = Math.min(bound, imm.get(imm.size() - 1).firstLsn() - 1);
            } else if (!v.active().isEmpty()) {
                bound = Math.min(bound, v.active().firstLsn() - 1);
            }
        }
        Manifest.CheckpointRef ckpt = versions.current().checkpoint();
        if (ckpt != null) {
            bound = Math.max(bound, Math.min(ckpt.lsn(), wal.lastLsn()));
        }
        wal.deleteFilesUpTo(bound);
    }

    // ---------------------------------------------------------------- checkpoint

    /** Snapshots every memtable to a checkpoint file and points the manifest at it. */
    void checkpoint() throws IOException {
        checkpointer.checkpoint();
    }

    /** Runs {@code action} under the write lock: no append is half-applied meanwhile. */
    <T> T underWriteLock(VersionSet.IoSupplier<T> action) throws IOException {
        writeLock.lock();
        try {
            return action.get();
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- accessors

    Map<String, Object> stats() {
        return EngineStats.of(this);
    }

    DataDir dataDir() {
        return dataDir;
    }

    VersionSet versions() {
        return versions;
    }

    SegmentFiles segments() {
        return segments;
    }

    CheckpointStore checkpoints() {
        return checkpoints;
    }

    SourcePositions positions() {
        return positions;
    }

    WalWriter wal() {
        return wal;
    }

    long nextLsn() {
        return wal.lastLsn() + 1;
    }

    WalSyncPolicy syncPolicy() {
        return syncPolicy;
    }

    long memtableMaxBytes() {
        return memtableMaxBytes;
    }

    long recoveryMillis() {
        return recoveryMillis;
    }

    long recoveredEntries() {
        return recoveredEntries;
    }

    BufferAllocator allocator() {
        return allocator;
    }

    EngineMetrics metrics() {
        return metrics;
    }

    BlockCache blockCache() {
        return cache;
    }

    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- close

    /** Syncs and closes the WAL, then releases the tables and the cache; throws the first failure. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        if (wal != null) {
            try {
                sync();
            } catch (IOException e) {
                failure = e;
            }
            try {
                wal.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        releaseTables();
        if (failure != null) {
            throw failure;
        }
    }

    /** Releases everything without syncing, logging failures (after a failed recovery). */
    void closeQuietly() {
        try {
            if (wal != null) {
                wal.close();
            }
        } catch (IOException e) {
            LOG.warn("closing WAL after failed recovery: {}", e.toString());
        }
        releaseTables();
    }

    private void releaseTables() {
        for (LsmTable t : tables.values()) {
            t.close();
        }
        tables.clear();
        cache.close();
    }
}
