package io.river.engine;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.cache.BlockCache;
import io.river.engine.io.DataDir;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.EngineClosedException;
import io.river.engine.model.Names;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableExistsException;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The River engine over one data directory: tables, the shared WAL, manifest, checkpoints and the
 * LSM tree of each table. Opening it takes the directory's LOCK and recovers (manifest, then the
 * newest checkpoint, then WAL replay after its LSN, cutting a torn tail). Thread-safe: writes are
 * serialized through one write lock (schema evolution, WAL append, memtable apply happen in LSN
 * order) and wait for durability outside it, so concurrent writers share fsyncs (group commit);
 * reads run on immutable versions. Background work (flush, checkpoint, compaction) runs on named
 * executors owned by {@link EngineBackground}. Closing syncs the WAL, stops background work and
 * releases every Arrow buffer and the LOCK.
 *
 * <p>On-disk layout: {@code LOCK}, {@code manifest.json}, {@code wal/wal-<first lsn>.log},
 * {@code checkpoint/checkpoint-<lsn>.ckpt}, {@code tables/<table>/<file id>.arrow}.
 */
public final class RiverEngine implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RiverEngine.class);
    /** The table the key-value routes use when none is named; every engine has it (upsert mode). */
    public static final String DEFAULT_TABLE = "default";

    private final RiverConfig config;
    private final Path dataDir;
    private final DataDirLock lock;
    private final BufferAllocator allocator;
    private final EngineMetrics metrics = new EngineMetrics();
    private final EngineState state;
    private final EngineBackground background;
    private final Backup backup;
    private final Scrubber scrubber;
    private final RetentionTask retention;
    private volatile boolean ready;
    private volatile boolean closed;

    private RiverEngine(RiverConfig config, Path dataDir, DataDirLock lock, BufferAllocator allocator, Clock clock)
            throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        this.lock = lock;
        this.allocator = allocator;
        this.state = EngineRecovery.recover(config, dataDir, allocator, metrics, clock);
        this.background = new EngineBackground(state, config);
        this.backup = new Backup(state);
        this.scrubber = new Scrubber(state, config);
        this.retention = new RetentionTask(state, config);
        if (state.table(DEFAULT_TABLE) == null) {
            state.createTable(DEFAULT_TABLE, TableMode.UPSERT);
        }
        this.ready = true;
    }

    /** Opens (creating if needed) and recovers the engine on {@code river.data.dir}. */
    public static RiverEngine open(RiverConfig config) throws IOException {
        return open(config, Clock.systemUTC());
    }

    /**
     * Opens the engine with the clock retention reads "now" from (tests drive time with their own
     * clock; everything else uses the system clock).
     */
    public static RiverEngine open(RiverConfig config, Clock clock) throws IOException {
        String configured = config.get(RiverConfigKeys.DATA_DIR);
        if (configured == null || configured.isBlank()) {
            throw new io.river.config.ConfigException(RiverConfigKeys.DATA_DIR.name(), "is required to open an engine");
        }
        Path dir = Paths.get(configured).toAbsolutePath();
        Backup.refuseIfIncomplete(new DataDir(dir));
        Files.createDirectories(dir);
        DataDirLock lock = DataDirLock.acquire(dir);
        RootAllocator root = new RootAllocator(Long.MAX_VALUE);
        try {
            return new RiverEngine(config, dir, lock, root, clock);
        } catch (IOException | RuntimeException | Error e) {
            try {
                root.close();
            } catch (RuntimeException leak) {
                e.addSuppressed(leak);
            }
            lock.close();
            throw e;
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public RiverConfig config() {
        return config;
    }

    /** True once recovery has finished and the engine serves reads and writes. */
    public boolean isReady() {
        return ready && !closed;
    }

    /** The table, creating it with this mode if absent (durably, in the manifest). */
    public Table createTable(String name, TableMode mode) throws IOException {
        checkOpen();
        return state.createTable(Names.checkTable(name), mode);
    }

    /**
     * The table, creating it with this mode and its own retention if absent (durably, in the
     * manifest); a table that exists keeps its setting.
     */
    public Table createTable(String name, TableMode mode, TableRetention retention) throws IOException {
        checkOpen();
        return state.createTable(Names.checkTable(name), mode, retention);
    }

    /**
     * Sets a table's own retention ({@code ALTER TABLE ... SET (retention = ...)} / {@code RESET}):
     * durable in the manifest before it applies; rows hidden before stay hidden even when the new
     * retention is longer. Throws {@link io.river.engine.model.SchemaException} when the retention
     * column is not a TIMESTAMP or DATE column of the table; false when there is no such table.
     */
    public boolean setRetention(String table, TableRetention retention) throws IOException {
        checkOpen();
        return state.setRetention(table, retention);
    }

    /**
     * Runs a retention pass now and waits: segment files whose every row is expired leave the
     * manifest and then the disk. Returns the number of files dropped.
     */
    public int enforceRetention() throws IOException {
        checkOpen();
        return retention.runNow();
    }

    /**
     * Creates a declared table ({@code CREATE TABLE}): its columns exist from the start with their
     * types, and its key column and NOT NULL columns are durable in the manifest and checked on every
     * write. Throws {@link TableExistsException} (nothing changed) when the name is taken.
     */
    public Table createTable(TableDefinition definition) throws IOException {
        checkOpen();
        return state.createTable(definition);
    }

    /**
     * Drops a table ({@code DROP TABLE}): the manifest loses it atomically, then its files are
     * deleted (any left by a crash are orphans removed at start-up); its WAL entries are never
     * replayed, also into a later table of the same name. Returns false when there is no such
     * table. The default table cannot be dropped ({@link IllegalArgumentException}).
     */
    public boolean dropTable(String name) throws IOException {
        checkOpen();
        if (DEFAULT_TABLE.equals(name)) {
            throw new IllegalArgumentException("table '" + DEFAULT_TABLE + "' cannot be dropped");
        }
        return state.dropTable(name);
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(state.table(name));
    }

    public List<Table> tables() {
        return new ArrayList<>(state.tables());
    }

    /**
     * Writes a batch atomically and returns once it is as durable as {@code river.wal.sync}
     * promises. Every table named must exist. Throws {@link RowRejectedException} (nothing
     * written) when a row cannot fit its table's schema.
     */
    public WriteResult write(WriteBatch batch) throws IOException {
        checkOpen();
        background.applyBackPressure();
        long lsn = state.append(batch);
        boolean durable = state.awaitDurable(lsn);
        background.afterWrite();
        return new WriteResult(lsn, durable);
    }

    /**
     * Writes a batch to the WAL and memtables without waiting for fsync; it becomes durable at the
     * next {@link #sync()} (or interval sync). Used by the Connect sink, which reports offsets only
     * after a sync.
     */
    public WriteResult writeDeferred(WriteBatch batch) throws IOException {
        checkOpen();
        background.applyBackPressure();
        long lsn = state.append(batch);
        background.afterWrite();
        return new WriteResult(lsn, false);
    }

    /** Fsyncs the WAL; returns the LSN up to which everything is durable. */
    public long sync() throws IOException {
        checkOpen();
        return state.sync();
    }

    /** Next offset per source partition as of the last durable LSN. */
    public Map<SourcePartition, Long> durablePositions() {
        return state.durablePositions();
    }

    /** Next offset per source partition as applied (perhaps not yet durable). */
    public Map<SourcePartition, Long> positions() {
        return state.appliedPositions();
    }

    /** Flushes every memtable to L0 segments and waits. */
    public void flush() throws IOException {
        checkOpen();
        background.flushAllAndWait();
    }

    /** Writes a checkpoint now and waits. */
    public void checkpoint() throws IOException {
        checkOpen();
        background.checkpointAndWait();
    }

    /** Runs compactions until no level needs one, and waits. */
    public void compact() throws IOException {
        checkOpen();
        background.compactAndWait();
    }

    /**
     * Takes a hot backup into {@code target} (absent or empty, outside the data directory) while
     * writes and compactions go on; the result is a data directory that {@code river serve} opens and
     * that holds every write acknowledged before the call. Returns what was written.
     */
    public Map<String, Object> backup(Path target) throws IOException {
        checkOpen();
        return backup.to(target).toMap();
    }

    /** Figures for /stats: memtable, WAL, checkpoint, levels, compaction, cache, ingest, positions. */
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataDir", dataDir.toString());
        out.put("ready", isReady());
        out.putAll(state.stats());
        out.put("compaction", background.compactionStats());
        out.put("backPressure", background.backPressureStats());
        out.put("scrub", scrubber.stats());
        out.put("retention", retentionStats());
        out.put("arrowAllocatedBytes", allocator.getAllocatedMemory());
        return out;
    }

    private Map<String, Object> retentionStats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engineMs", config.get(RiverConfigKeys.RETENTION_MS));
        out.put("checkIntervalMs", config.get(RiverConfigKeys.RETENTION_CHECK_INTERVAL_MS));
        out.put("segmentsDropped", metrics.retentionSegmentsDropped.sum());
        out.put("bytesDropped", metrics.retentionBytesDropped.sum());
        out.put("rowsDropped", metrics.retentionRowsDropped.sum());
        return out;
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    /** The engine's root allocator; query results and scan batches come from children of it. */
    public BufferAllocator allocator() {
        return allocator;
    }

    /** The block cache shared by the engine's segment readers. */
    public BlockCache blockCache() {
        return state.blockCache();
    }

    private void checkOpen() {
        if (closed) {
            throw new EngineClosedException("engine on " + dataDir + " is closed");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        IOException failure = null;
        scrubber.close();
        retention.close();
        try {
            background.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping background work failed", e);
        }
        try {
            state.close();
        } catch (IOException e) {
            failure = e;
        }
        RuntimeException leak = null;
        try {
            allocator.close();
        } catch (RuntimeException e) {
            LOG.error("Arrow memory still allocated at close: {}", e.getMessage());
            leak = e;
        }
        try {
            lock.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (leak != null) {
            // A leak is a bug in River: fail loudly (tests rely on this), after releasing the LOCK.
            throw leak;
        }
    }
}
