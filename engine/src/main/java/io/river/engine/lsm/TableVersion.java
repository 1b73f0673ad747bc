package io.river.engine.lsm;

import io.river.engine.memtable.Memtable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One immutable state of a table's LSM tree: the active memtable, the frozen memtables waiting for
 * flush (newest first), and the segment files of levels L0 (newest first, overlapping) to L6
 * (sorted by key, non-overlapping). Readers {@link #acquire()} a version and {@link #release()}
 * it when done; a version holds one reference on each of its memtables and segments, dropped when the version
 * itself is released by its last reader and the table has moved on. Thread-safe.
 */
public final class TableVersion {
    private final Memtable active;
    private final List<Memtable> immutables;
    private final List<List<SegmentHandle>> levels;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Set<SegmentHandle> segments = Collections.newSetFromMap(new IdentityHashMap<>());

    TableVersion(Memtable active, List<Memtable> immutables, List<List<SegmentHandle>> levels) {
        this.active = active;
        this.immutables = Collections.unmodifiableList(new ArrayList<>(immutables));
        List<List<SegmentHandle>> copy = new ArrayList<>();
        for (List<SegmentHandle> level : levels) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(level)));
        }
        this.levels = Collections.unmodifiableList(copy);
        active.retain();
        for (Memtable m : this.immutables) {
            m.retain();
        }
        for (List<SegmentHandle> level : this.levels) {
            for (SegmentHandle h : level) {
                h.retain();
                segments.add(h);
            }
        }
    }

    public Memtable active() {
        return active;
    }

    /** Frozen memtables, newest first. */
    public List<Memtable> immutables() {
        return immutables;
    }

    /** Levels 0..6; L0 newest first, others sorted by min key. */
    public List<List<SegmentHandle>> levels() {
        return levels;
    }

    /** True when {@code h} is one of this version's segments (so the version keeps it open). */
    public boolean holds(SegmentHandle h) {
        return segments.contains(h);
    }

    public List<SegmentHandle> level(int i) {
        return levels.get(i);
    }

    /** Takes a reference; false if the version is already gone (the caller retries with a newer one). */
    boolean tryAcquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one releases the segments. */
    public void release() {
        int after = refs.decrementAndGet();
        if (after == 0) {
            active.release();
            for (Memtable m : immutables) {
                m.release();
            }
            for (List<SegmentHandle> level : levels) {
                for (SegmentHandle h : level) {
                    h.release();
                }
            }
        } else if (after < 0) {
            throw new IllegalStateException("table version released too often");
        }
    }

    public long segmentCount() {
        long n = 0;
        for (List<SegmentHandle> level : levels) {
            n += level.size();
        }
        return n;
    }
}
