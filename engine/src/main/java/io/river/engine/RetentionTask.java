package io.river.engine;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.lsm.LevelEdit;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.Retention;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.model.TableMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention task: every {@code river.retention.check.interval.ms} (on {@code river-retention}) and
 * on demand ({@link #runNow}), for each table with a cutoff, in three steps under the structure lock:
 * (1) pick the segment files whose whole-file zone map puts every row below the cutoff ({@link
 * #droppable}), (2) remove them and record the cutoff with one {@link LevelEdit#drop} through {@link
 * VersionSet#logAndApply}, (3) count them. The files are marked obsolete by the edit and deleted once
 * no reader holds them (the task's own pinned version is released only after the edit), so only
 * after the manifest no longer lists them; a crash in between leaves orphans
 * that recovery deletes. Reads hide expired rows at once without this task; it only frees the disk
 * (rows in files that also hold live rows leave when compaction rewrites them). Thread-safe: passes
 * are serialized.
 */
final class RetentionTask implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);
    /** A cutoff is recorded at least this often (a pass that drops nothing records it only then). */
    private static final long RECORD_EVERY_MILLIS = 60_000;

    private final EngineState state;
    private final ScheduledExecutorService exec;

    RetentionTask(EngineState state, RiverConfig config) {
        this.state = state;
        this.exec = Executors.newSingleThreadScheduledExecutor(EngineBackground.named("river-retention"));
        long interval = config.get(RiverConfigKeys.RETENTION_CHECK_INTERVAL_MS);
        if (interval > 0) {
            exec.scheduleWithFixedDelay(this::passQuietly, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (IOException | RuntimeException e) {
            LOG.error("retention pass failed (will retry; expired rows stay hidden): {}", e.toString(), e);
        }
    }

    /** Runs one pass now and waits; returns the number of segment files dropped. */
    synchronized int runNow() throws IOException {
        return pass();
    }

    private synchronized int pass() throws IOException {
        int dropped = 0;
        for (LsmTable t : state.tables()) {
            dropped += enforce(t);
        }
        return dropped;
    }

    private int enforce(LsmTable t) throws IOException {
        Retention r = t.retention();
        long cutoff = r.cutoff();
        if (cutoff == Retention.NONE) {
            return 0;
        }
        return state.versions().locked(() -> {
            if (t.isDropped()) {
                return 0;
            }
            // Held until the edit is installed and the files marked obsolete: its release deletes them.
            TableVersion v = t.acquire();
            try {
                List<SegmentHandle> drop = droppable(t, v, cutoff);
                if (drop.isEmpty()) {
                    if (r.recorded() == Retention.NONE || cutoff - r.recorded() >= RECORD_EVERY_MILLIS) {
                        recordCutoff(t, cutoff);
                    }
                    return 0;
                }
                state.versions()
                        .logAndApply(
                                t,
                                LevelEdit.drop(drop),
                                null,
                                mf -> mf.withTable(mf.tables().get(t.name()).withRetentionCutoff(cutoff)),
                                drop);
                r.setRecorded(cutoff);
                for (SegmentHandle h : drop) {
                    r.segmentDropped(h.entry());
                }
                LOG.info(
                        "retention: table {} dropped {} segment file(s) below cutoff {}",
                        t.name(),
                        drop.size(),
                        cutoff);
                return drop.size();
            } finally {
                v.release();
            }
        });
    }

    /**
     * The files of the current version whose every row is expired. In an upsert table a file also
     * needs every older file overlapping its key range to go with it: otherwise an older version of
     * one of its keys, perhaps not expired, would come back. Files are ordered newest first (L0 newest
     * first, then each deeper level), so older means later in that order.
     */
    private static List<SegmentHandle> droppable(LsmTable t, TableVersion v, long cutoff) {
        List<SegmentHandle> files = new ArrayList<>();
        for (List<SegmentHandle> level : v.levels()) {
            files.addAll(level);
        }
        boolean[] drop = new boolean[files.size()];
        for (int i = files.size() - 1; i >= 0; i--) {
            SegmentHandle h = files.get(i);
            drop[i] = t.retention().fileExpired(h.entry(), cutoff, t.schema());
            if (drop[i] && t.mode() == TableMode.UPSERT) {
                for (int j = i + 1; j < files.size() && drop[i]; j++) {
                    drop[i] = drop[j]
                            || !files.get(j)
                                    .entry()
                                    .overlaps(h.entry().minKey(), h.entry().maxKey());
                }
            }
        }
        List<SegmentHandle> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (drop[i]) {
                out.add(files.get(i));
            }
        }
        return out;
    }

    /** Records the table's cutoff in the manifest (a table edit, no level edit); caller holds the structure lock. */
    private void recordCutoff(LsmTable t, long cutoff) throws IOException {
        state.versions().update(mf -> mf.withTable(mf.tables().get(t.name()).withRetentionCutoff(cutoff)));
        t.retention().setRecorded(cutoff);
    }

    /**
     * Stops the background pass, then records every table's cutoff that moved since it was last
     * recorded, so a clean restart with a longer retention returns no row hidden before it.
     */
    @Override
    public void close() {
        exec.shutdown();
        try {
            exec.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            recordCutoffs();
        } catch (IOException | RuntimeException e) {
            LOG.warn("recording retention cutoffs at close failed: {}", e.toString());
        }
    }

    private synchronized void recordCutoffs() throws IOException {
        for (LsmTable t : state.tables()) {
            long cutoff = t.retention().cutoff();
            if (cutoff != Retention.NONE && cutoff > t.retention().recorded()) {
                state.versions().locked(() -> {
                    if (!t.isDropped()) {
                        recordCutoff(t, cutoff);
                    }
                    return null;
                });
            }
        }
    }
}
