package io.river.engine.lsm;

import io.river.engine.memtable.Memtable;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableColumns;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upsert table's versions resolved at write time: a dead-row bitmap (a deletion vector) per
 * source — each memtable, by {@link Memtable#apply} ordinal, and each segment, by row number in the
 * file — and a {@link PrimaryKeyIndex} from every live key to the one row that holds its newest
 * version. Invariant: every key has at most one row not marked dead across the sources of the
 * current version, and it is the key's newest version unless that is a delete (delete rows are
 * always dead, and their key leaves the index).
 *
 * <p>How each change keeps it:
 *
 * <ol>
 *   <li>A write ({@link #apply}) marks dead the row the index held for each key (an overwrite or a
 *       delete) and points the key at the new row.
 *   <li>An install ({@link #install}: a flush or a compaction) reads the keys of each new segment;
 *       a row stays live only if the index still points into the edit's inputs for its key (so a
 *       key overwritten or deleted while the flush or compaction ran is dead in the output, never
 *       revived), and the key is pointed at the output row. A move keeps its file's bitmap.
 *   <li>Opening the table ({@link #rebuild}) derives it all from the segments, oldest first; the
 *       memtables are then refilled through {@link #apply} by checkpoint load and WAL replay. The
 *       bitmaps are never written to disk, so they cannot disagree with the rows after a crash.
 * </ol>
 *
 * All methods hold this object's monitor; the table takes it around a memtable write with its
 * {@link #apply}, around a version install with its {@link #install}, and while a scan takes its
 * memtable views and bitmap copies, so a scan sees rows and bitmaps of one instant.
 */
final class DeletionVectors {
    private static final Logger LOG = LoggerFactory.getLogger(DeletionVectors.class);
    private static final List<String> KEY_COLUMNS = List.of(SystemColumns.PK, SystemColumns.DELETED);

    /**
     * One source's dead rows, how many index entries point into it, and its file (null for a
     * memtable).
     */
    private static final class Source {
        final int code;
        final RoaringBitmap dead = new RoaringBitmap();
        final SegmentHandle file;
        long indexed;
        /** A copy of {@code dead} handed to snapshots, which only read it; null once a row dies after it. */
        private SegmentDeadRows published;

        Source(int code, SegmentHandle file) {
            this.code = code;
            this.file = file;
        }

        void kill(int row) {
            if (dead.checkedAdd(row)) {
                published = null;
            }
        }

        /** The dead rows as of now, read-only; one copy serves every snapshot until another row dies. */
        SegmentDeadRows published() {
            if (published == null) {
                published = new SegmentDeadRows(dead.clone());
            }
            return published;
        }
    }

    private final PrimaryKeyIndex index = new PrimaryKeyIndex();
    private final Map<Integer, Source> byCode = new HashMap<>();
    private final Map<Long, Source> segments = new HashMap<>();
    private final Map<Memtable, Source> memtables = new IdentityHashMap<>();
    private final BufferAllocator allocator;
    private int nextCode;
    /**
     * Set for good once some segment's keys could not be read (it is marked damaged): the index may
     * then name an older version of a key that file holds, so it no longer locates rows for reads.
     */
    private boolean keysMissing;

    DeletionVectors(BufferAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * Derives the index and bitmaps from the segments of {@code levels} (L0 newest first, deeper
     * levels older), reading only their {@code _pk} and {@code _deleted} columns.
     */
    synchronized void rebuild(List<List<SegmentHandle>> levels) {
        for (int level = levels.size() - 1; level >= 0; level--) {
            List<SegmentHandle> files = levels.get(level);
            for (int i = files.size() - 1; i >= 0; i--) {
                SegmentHandle h = files.get(i);
                Source s = newSource(h);
                segments.put(h.entry().id(), s);
                forEachKey(h, (key, deleted, row) -> {
                    if (deleted) {
                        markDead(moved(index.remove(key), null));
                        s.kill(row);
                    } else {
                        markDead(moved(index.put(key, location(s, row)), s));
                    }
                });
            }
        }
    }

    /** Records rows just appended to {@code memtable} at {@code ordinals} (caller holds this monitor). */
    synchronized void apply(Memtable memtable, TableColumns rows, int[] ordinals) {
        Source s = memtables.computeIfAbsent(memtable, m -> newSource(null));
        for (int i = 0; i < ordinals.length; i++) {
            if (rows.isDelete(i)) {
                markDead(moved(index.remove(rows.pk(i)), null));
                s.kill(ordinals[i]);
            } else {
                markDead(moved(index.put(rows.pk(i), location(s, ordinals[i])), s));
            }
        }
    }

    /**
     * Carries the bitmaps and the index across a level edit about to be installed: (1) the edit's
     * inputs are its removed files and its flushed memtable, (2) each new file's rows are marked
     * live or dead and its live keys re-pointed, (3) keys still pointing into a removed file (a
     * retention drop, or rows compaction left out as expired) leave the index, (4) the inputs'
     * bitmaps are dropped.
     */
    synchronized void install(LevelEdit edit) {
        Set<Integer> inputs = new HashSet<>();
        for (Long id : edit.removed()) {
            Source s = segments.get(id);
            if (s != null) {
                inputs.add(s.code);
            }
        }
        Memtable flushed = edit.flushedMemtable();
        if (flushed != null && memtables.containsKey(flushed)) {
            inputs.add(memtables.get(flushed).code);
        }
        for (SegmentHandle h : edit.added()) {
            if (!edit.removed().contains(h.entry().id())) {
                segments.put(h.entry().id(), indexOutput(h, inputs));
            }
        }
        for (Long id : edit.removed()) {
            if (!isAdded(edit, id)) {
                Source gone = segments.remove(id);
                unindexRemaining(gone);
                forget(gone);
            }
        }
        if (flushed != null) {
            forget(memtables.remove(flushed));
        }
    }

    private Source indexOutput(SegmentHandle h, Set<Integer> inputs) {
        Source out = newSource(h);
        forEachKey(h, (key, deleted, row) -> {
            if (deleted) {
                out.kill(row);
                return;
            }
            long location = index.get(key);
            if (location != PrimaryKeyIndex.NONE && inputs.contains(code(location))) {
                moved(index.put(key, location(out, row)), out);
            } else {
                out.kill(row); // overwritten or deleted since the inputs were read
            }
        });
        return out;
    }

    private static boolean isAdded(LevelEdit edit, long id) {
        for (SegmentHandle h : edit.added()) {
            if (h.entry().id() == id) {
                return true;
            }
        }
        return false;
    }

    /** The memtable's dead rows, live (read only under this monitor), or an empty bitmap. */
    synchronized RoaringBitmap memtableDeadRows(Memtable memtable) {
        Source s = memtables.get(memtable);
        return s == null ? new RoaringBitmap() : s.dead;
    }

    /**
     * The segment's dead rows as of now, or null when none is dead; shared by snapshots until a row
     * of the segment dies, so the caller must not modify it.
     */
    synchronized SegmentDeadRows segmentDeadRows(long fileId) {
        Source s = segments.get(fileId);
        if (s == null) {
            throw new IllegalStateException("segment " + fileId + " has no deletion vector");
        }
        return s.dead.isEmpty() ? null : s.published();
    }

    /**
     * True when the index points {@code key} at a segment row: its newest version is durable in the
     * segments, which every recovery keeps (a row in a memtable is not, should a damaged WAL be cut
     * short before it). False for a deleted key, whose delete may be in a memtable.
     */
    synchronized boolean newestInSegment(String key) {
        long location = index.get(key);
        if (location == PrimaryKeyIndex.NONE) {
            return false;
        }
        Source s = byCode.get(code(location));
        return s != null && s.file != null;
    }

    /** A segment and a row number in it. */
    record SegmentRow(SegmentHandle file, int row) {}

    /**
     * Where {@code key}'s newest version is when it is a segment row (the index's location), else
     * null (the key is absent, deleted, or newest in a memtable; or some segment's keys could not be
     * read, so the index may name a version that file supersedes: readers must search the levels,
     * where the damaged file fails the read naming itself).
     */
    synchronized SegmentRow segmentRow(String key) {
        if (keysMissing) {
            return null;
        }
        long location = index.get(key);
        if (location == PrimaryKeyIndex.NONE) {
            return null;
        }
        Source s = byCode.get(code(location));
        return s == null || s.file == null ? null : new SegmentRow(s.file, (int) location);
    }

    /** Live keys. */
    synchronized int liveKeys() {
        return index.size();
    }

    /** Bytes of the key index. */
    synchronized long indexBytes() {
        return index.memoryBytes();
    }

    /** Rows marked dead across every source. */
    synchronized long deadRows() {
        long n = 0;
        for (Source s : byCode.values()) {
            n += s.dead.getLongCardinality();
        }
        return n;
    }

    /**
     * Removes the keys that still point into a file leaving the version with no output taking them:
     * its rows are gone (a retention drop, or left out by compaction), so the keys are too. Reads the
     * file's keys only when some entry still points into it.
     */
    private void unindexRemaining(Source gone) {
        if (gone == null || gone.indexed == 0 || gone.file == null) {
            return;
        }
        forEachKey(gone.file, (key, deleted, row) -> {
            long location = index.get(key);
            if (location != PrimaryKeyIndex.NONE && code(location) == gone.code) {
                moved(index.remove(key), null);
            }
        });
    }

    /**
     * Counts an index change: the key moved from {@code previous} (NONE if it was absent) to a row of
     * {@code to} (null if it was removed); returns {@code previous}.
     */
    private long moved(long previous, Source to) {
        if (to != null) {
            to.indexed++;
        }
        if (previous != PrimaryKeyIndex.NONE) {
            Source from = byCode.get(code(previous));
            if (from != null) {
                from.indexed--;
            }
        }
        return previous;
    }

    private Source newSource(SegmentHandle file) {
        Source s = new Source(nextCode++, file);
        byCode.put(s.code, s);
        return s;
    }

    private void forget(Source s) {
        if (s != null) {
            byCode.remove(s.code);
        }
    }

    /** Marks the row at {@code location} dead; a location in a source already gone is ignored. */
    private void markDead(long location) {
        if (location == PrimaryKeyIndex.NONE) {
            return;
        }
        Source s = byCode.get(code(location));
        if (s != null) {
            s.kill((int) location);
        }
    }

    private static long location(Source s, int row) {
        return ((long) s.code << 32) | (row & 0xffffffffL);
    }

    private static int code(long location) {
        return (int) (location >>> 32);
    }

    /** Receives one segment row's key. */
    private interface KeyVisitor {
        void visit(byte[] key, boolean deleted, int row);
    }

    /**
     * Visits every row's key in file order. A file whose keys cannot be read (a damaged block) is
     * marked damaged instead, so every later read of it fails naming it: no answer is computed from
     * it, and opening the table or installing the edit still succeeds, as it did before the keys were
     * needed here.
     */
    private void forEachKey(SegmentHandle h, KeyVisitor visitor) {
        if (h.damage() != null) {
            keysMissing = true;
            return;
        }
        try {
            readKeys(h, visitor);
        } catch (RuntimeException e) {
            keysMissing = true;
            LOG.error("segment {}: its keys cannot be read, so it is marked damaged: {}", h.path(), e.toString());
            h.markDamaged("its keys cannot be read: " + e.getMessage());
        }
    }

    private void readKeys(SegmentHandle h, KeyVisitor visitor) {
        int blocks = h.reader().blockCount();
        int row = 0;
        for (int b = 0; b < blocks; b++) {
            try (VectorSchemaRoot keys = h.reader().readStoredUncached(b, KEY_COLUMNS, allocator)) {
                VarCharVector pk = (VarCharVector) keys.getVector(SystemColumns.PK);
                BitVector deleted = (BitVector) keys.getVector(SystemColumns.DELETED);
                int rows = keys.getRowCount();
                for (int r = 0; r < rows; r++) {
                    visitor.visit(pk.get(r), deleted.get(r) != 0, row++);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "DeletionVectors[keys=" + index.size() + ", sources=" + byCode.size() + "]";
    }
}
