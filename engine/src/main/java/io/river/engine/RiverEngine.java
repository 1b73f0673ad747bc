package io.river.engine;

import io.river.config.RiverConfig;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The River engine over one data directory: tables, the shared WAL, manifest, checkpoints and the
 * LSM tree of each table. Opening it takes the directory's LOCK and recovers (manifest, then the
 * newest checkpoint, then WAL replay after its LSN, cutting a torn tail). Thread-safe: writes are
 * serialized per engine through group commit; reads run on immutable versions. Closing syncs
 * the WAL, stops background work and releases every Arrow buffer and the LOCK.
 */
public final class RiverEngine implements Closeable {

    /** Opens (creating if needed) and recovers the engine on {@code river.data.dir}. */
    public static RiverEngine open(RiverConfig config) throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    public Path dataDir() {
        throw new UnsupportedOperationException("in progress");
    }

    public RiverConfig config() {
        throw new UnsupportedOperationException("in progress");
    }

    /** True once recovery has finished and the engine serves reads and writes. */
    public boolean isReady() {
        throw new UnsupportedOperationException("in progress");
    }

    /** The table, creating it with this mode if absent (durably, in the manifest). */
    public Table createTable(String name, TableMode mode) throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    public Optional<Table> table(String name) {
        throw new UnsupportedOperationException("in progress");
    }

    public List<Table> tables() {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Writes a batch atomically and returns once it is as durable as {@code river.wal.sync}
     * promises. Every table named must exist. Throws {@link io.river.engine.model.RowRejectedException}
     * (nothing written) when a row cannot fit its table's schema.
     */
    public WriteResult write(WriteBatch batch) throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Writes a batch to the WAL and memtables without waiting for fsync; it becomes durable at the
     * next {@link #sync()} (or interval sync). Used by the Connect sink, which reports offsets only
     * after a sync.
     */
    public WriteResult writeDeferred(WriteBatch batch) throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    /** Fsyncs the WAL; returns the LSN up to which everything is durable. */
    public long sync() throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    /** Next offset per source partition as of the last durable LSN. */
    public Map<SourcePartition, Long> durablePositions() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Next offset per source partition as applied (perhaps not yet durable). */
    public Map<SourcePartition, Long> positions() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Flushes every memtable to L0 segments and waits. */
    public void flush() throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    /** Writes a checkpoint now and waits. */
    public void checkpoint() throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    /** Runs compactions until no level needs one, and waits. */
    public void compact() throws IOException {
        throw new UnsupportedOperationException("in progress");
    }

    /** Figures for /stats: memtable, WAL, checkpoint, levels, compaction, cache, ingest, positions. */
    public Map<String, Object> stats() {
        throw new UnsupportedOperationException("in progress");
    }

    public EngineMetrics metrics() {
        throw new UnsupportedOperationException("in progress");
    }

    /** The engine's root allocator; query results and scan batches come from children of it. */
    public BufferAllocator allocator() {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("in progress");
    }
}
