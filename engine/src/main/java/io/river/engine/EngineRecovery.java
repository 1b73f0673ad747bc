package io.river.engine;

import io.river.config.RiverConfig;
import io.river.engine.checkpoint.CheckpointFormat;
import io.river.engine.checkpoint.CheckpointSection;
import io.river.engine.io.DataDir;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.manifest.TableEntry;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.Mutation;
import io.river.engine.model.Row;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.wal.WalEntry;
import io.river.engine.wal.WalReader;
import io.river.engine.wal.WriteBatchCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds an engine's state from its data directory, in this order:
 *
 * <ol>
 *   <li>read the manifest and delete the orphan files it does not name ({@link OrphanFiles});</li>
 *   <li>open every segment it lists, per table and level, and take its source positions;</li>
 *   <li>load the checkpoint it names into the memtables (sections a flush already covers skipped);</li>
 *   <li>replay the WAL after the lowest LSN not yet in a segment or the checkpoint, cutting a torn
 *       or corrupt tail, applying each entry to the tables that lack it and taking its positions;</li>
 *   <li>open the WAL for writing at the next LSN (everything replayed is durable).</li>
 * </ol>
 *
 * Confined to the opening thread.
 */
final class EngineRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRecovery.class);

    private final EngineState state;
    private long replayed;

    private EngineRecovery(EngineState state) {
        this.state = state;
    }

    static EngineState recover(
            RiverConfig config, Path root, BufferAllocator allocator, EngineMetrics metrics, Clock clock)
            throws IOException {
        long start = System.nanoTime();
        DataDir dir = new DataDir(root);
        Files.createDirectories(dir.tablesDir());
        Files.createDirectories(dir.walDir());
        EngineState state = new EngineState(config, dir, allocator, metrics, ManifestStore.open(root), clock);
        EngineRecovery recovery = new EngineRecovery(state);
        boolean ok = false;
        try {
            recovery.run();
            ok = true;
        } finally {
            if (!ok) {
                state.closeQuietly();
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        state.recovered(millis, recovery.replayed);
        LOG.info(
                "River engine recovered {} in {} ms: {} tables, {} WAL entries replayed, next LSN {}",
                root,
                millis,
                state.tables().size(),
                recovery.replayed,
                state.nextLsn());
        return state;
    }

    private void run() throws IOException {
        Manifest m = state.versions().current();
        removeOrphans(m);
        openTables(m);
        for (Manifest.PositionEntry p : m.positions()) {
            state.positions().recovered(Map.of(new SourcePartition(p.stream(), p.partition()), p.next()));
        }
        long checkpointLsn = loadCheckpoint(m);
        long lastLsn = Math.max(checkpointLsn, maxFlushedLsn());
        WalReader.ReplayResult result = WalReader.replay(
                state.dataDir().walDir(), replayFrom(checkpointLsn), entry -> replay(entry, checkpointLsn));
        if (result.truncated()) {
            state.metrics().walTailsTruncated.increment();
        }
        state.positions().recoveryDone();
        state.openWal(Math.max(result.nextLsn(), lastLsn + 1));
    }

    private void removeOrphans(Manifest m) throws IOException {
        for (Path f : OrphanFiles.find(state.dataDir(), m)) {
            LOG.info("removing orphan file {}", f);
            Files.deleteIfExists(f);
        }
    }

    private void openTables(Manifest m) throws IOException {
        for (TableEntry te : m.tables().values()) {
            List<List<SegmentHandle>> levels = new ArrayList<>();
            for (List<FileEntry> level : te.levels()) {
                List<SegmentHandle> handles = new ArrayList<>();
                for (FileEntry fe : level) {
                    handles.add(state.segments().open(te.name(), fe));
                    state.versions().markUsed(fe.id());
                }
                levels.add(handles);
            }
            while (levels.size() < TableEntry.LEVELS) {
                levels.add(new ArrayList<>());
            }
            state.addTable(
                    te.name(),
                    te.mode(),
                    te.constraints(),
                    te.retention(),
                    te.retentionCutoff(),
                    te.schema(),
                    te.flushedLsn(),
                    levels);
        }
    }

    /** Loads the manifest's checkpoint into the memtables; returns its LSN (0 without one). */
    private long loadCheckpoint(Manifest m) throws IOException {
        if (m.checkpoint() == null) {
            return 0;
        }
        CheckpointFormat.Checkpoint ckpt =
                state.checkpoints().read(m.checkpoint().file());
        for (CheckpointSection sec : ckpt.sections()) {
            LsmTable t = state.table(sec.table());
            if (t == null || sec.lastLsn() <= t.flushedLsn()) {
                continue;
            }
            TableSchema schema = sec.schema().version() >= t.schema().version() ? sec.schema() : t.schema();
            apply(t, sec.rows(), schema, sec.lastLsn());
        }
        return ckpt.lsn();
    }

    private long replayFrom(long checkpointLsn) {
        long from = Long.MAX_VALUE;
        for (LsmTable t : state.tables()) {
            from = Math.min(from, Math.max(checkpointLsn, t.flushedLsn()));
        }
        return from == Long.MAX_VALUE ? 0 : from;
    }

    private void replay(WalEntry entry, long checkpointLsn) {
        WriteBatch batch;
        try {
            batch = WriteBatchCodec.decode(entry.payload());
        } catch (RuntimeException | IOException e) {
            throw new IllegalStateException("WAL entry " + entry.lsn() + " passed its CRC but does not decode", e);
        }
        replayed++;
        List<TableColumns> batches = new ArrayList<>();
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        for (Mutation mu : batch.mutations()) {
            byTable.computeIfAbsent(mu.table(), k -> new ArrayList<>()).add(mu.row());
        }
        for (Map.Entry<String, List<Row>> e : byTable.entrySet()) {
            batches.add(TableColumns.of(e.getKey(), e.getValue()));
        }
        batches.addAll(batch.columns());
        for (TableColumns cols : batches) {
            LsmTable t = state.table(cols.table());
            if (t == null) {
                LOG.warn("WAL entry {} names table {} that the manifest lacks; skipped", entry.lsn(), cols.table());
            } else if (entry.lsn() > Math.max(checkpointLsn, t.flushedLsn())) {
                apply(t, cols, t.schema(), entry.lsn());
            }
        }
        state.positions().recovered(batch.positions());
    }

    /** Applies rows whose schema evolves from {@code base}: once per column, as the write path does. */
    private void apply(LsmTable t, TableColumns cols, TableSchema base, long lsn) {
        t.apply(cols, base.evolve(cols), lsn);
        state.rotateIfFull(t);
    }

    private long maxFlushedLsn() {
        long max = 0;
        for (LsmTable t : state.tables()) {
            max = Math.max(max, t.flushedLsn());
        }
        return max;
    }
}
