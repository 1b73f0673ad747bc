package io.river.engine.memtable;

import io.river.engine.model.GatheredRows;
import io.river.engine.model.Row;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.TransferPair;
import org.roaringbitmap.RoaringBitmap;

/**
 * A table's in-memory write buffer: rows appended to fixed-capacity Arrow chunks plus a hash key
 * index (primary key → newest version, sorted on demand for flushes). One writer at a time (the engine's write path);
 * readers take a short shared lock, and scans get zero-copy slices of the chunks (retained
 * buffers), so a later write, freeze or close never changes what a scan already holds. Once
 * frozen, the memtable is immutable and waits for its flush. Owns a child allocator; close
 * releases it (slices handed out keep their own references).
 */
public final class Memtable implements AutoCloseable {
    private final String table;
    private final TableMode mode;
    private final BufferAllocator allocator;
    private final int chunkRows;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<MemtableChunk> chunks = new ArrayList<>();
    /**
     * pk → (chunk index << 32 | row index) of the newest version. A hash index: puts and point reads
     * are O(1); the key order that flushes and checkpoints need is made once, by sorting, when
     * they ask for it. Iterates in the order keys first arrived, so keys written in key order (a bulk
     * load) are sorted in one linear pass. A plain map: every access holds {@code lock} (or the
     * memtable is frozen).
     */
    private final LinkedHashMap<String, Long> index = new LinkedHashMap<>(1 << 12);

    private volatile long firstLsn = -1;
    private volatile long lastLsn = -1;
    private volatile long versions;
    private volatile boolean frozen;
    /** Buffer capacity of full chunks, and of the chunk being filled; written under the write lock. */
    private volatile long sealedBytes;

    private volatile long currentChunkBytes;
    private final long createdNanos = System.nanoTime();
    /** References: one for the table that owns it, one per {@code TableVersion} listing it. */
    private final java.util.concurrent.atomic.AtomicInteger refs = new java.util.concurrent.atomic.AtomicInteger(1);

    public Memtable(String table, TableMode mode, long id, BufferAllocator parent, int chunkRows) {
        this.table = table;
        this.mode = mode;
        // Chunks allocate from the engine's allocator directly (no child allocator): scans hold
        // zero-copy slices that may outlive this memtable, and Arrow accounts a transferred slice to
        // the allocator it came from, so a per-memtable allocator could not be closed under them.
        this.allocator = parent;
        this.chunkRows = chunkRows;
    }

    public String table() {
        return table;
    }

    /** Applies rows written at {@code lsn} (see {@link #apply(TableColumns, TableSchema, long)}). */
    public int[] apply(List<Row> rows, TableSchema schema, long lsn) {
        return apply(TableColumns.of(table, rows), schema, lsn);
    }

    /**
     * Applies rows written at {@code lsn}, column by column into the chunks; values must already fit
     * {@code schema}. Returns each row's ordinal: its position in this memtable, stable for the
     * memtable's life (the row numbers that {@link #view(BufferAllocator, RoaringBitmap)} reads a
     * dead-row bitmap by).
     */
    public int[] apply(TableColumns rows, TableSchema schema, long lsn) {
        lock.writeLock().lock();
        try {
            if (frozen) {
                throw new IllegalStateException("memtable of " + table + " is frozen");
            }
            int n = rows.rows();
            int[] ordinals = new int[n];
            int from = 0;
            while (from < n) {
                MemtableChunk chunk = chunkFor(schema);
                int c = chunks.size() - 1;
                int first = chunk.rows();
                int count = Math.min(n - from, chunk.free());
                chunk.append(rows, from, count);
                for (int i = 0; i < count; i++) {
                    index.put(rows.pk(from + i), ((long) c << 32) | (first + i));
                    ordinals[from + i] = ordinal(c, first + i);
                }
                from += count;
            }
            versions += n;
            currentChunkBytes =
                    chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).capacityBytes();
            if (firstLsn < 0) {
                firstLsn = lsn;
            }
            lastLsn = Math.max(lastLsn, lsn);
            return ordinals;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The chunk to append to: the last one, or a new one when it is full or of another schema. */
    private MemtableChunk chunkFor(TableSchema schema) {
        MemtableChunk chunk = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (chunk == null
                || chunk.isFull()
                || chunk.schema().version() != schema.version()
                || !chunk.schema().equals(schema)) {
            if (chunk != null) {
                sealedBytes += chunk.capacityBytes();
            }
            chunk = new MemtableChunk(schema, chunkRows, allocator);
            chunks.add(chunk);
        }
        return chunk;
    }

    private int ordinal(int chunk, int row) {
        return Math.toIntExact((long) chunk * chunkRows + row);
    }

    /** The newest version of the key here (a tombstone included), or null if this memtable lacks it. */
    public Row get(String pk, TableSchema target) {
        lock.readLock().lock();
        try {
            Long ref = index.get(pk);
            if (ref == null) {
                return null;
            }
            return chunks.get((int) (ref >>> 32)).read((int) (long) ref, target);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes of Arrow memory held (capacity of every chunk's buffers). */
    public long sizeBytes() {
        return sealedBytes + currentChunkBytes;
    }

    public boolean isEmpty() {
        return index.isEmpty();
    }

    /** Distinct keys held. */
    public int keyCount() {
        return index.size();
    }

    /** Row versions appended. */
    public long versions() {
        return versions;
    }

    public long firstLsn() {
        return firstLsn;
    }

    public long lastLsn() {
        return lastLsn;
    }

    public long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    /** Stops writes; from now on the memtable is immutable. */
    public void freeze() {
        lock.writeLock().lock();
        try {
            frozen = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isFrozen() {
        return frozen;
    }

    /**
     * The newest version of every key, tombstones included, in ascending key order, widened to
     * {@code target}. Materializes under the read lock, so it is a consistent cut.
     */
    public List<Row> sortedRows(TableSchema target) {
        lock.readLock().lock();
        try {
            List<Row> out = new ArrayList<>(index.size());
            for (Map.Entry<String, Long> e : sortedEntries()) {
                long ref = e.getValue();
                out.add(chunks.get((int) (ref >>> 32)).read((int) ref, target));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Feeds {@code sink} every non-NULL value of STRING column {@code column} this memtable holds,
     * superseded versions included (a superset of what {@link #frozenColumns} yields), straight from
     * the chunk vectors, until {@code sink} returns false; only for a frozen memtable.
     */
    public void forEachString(String column, Predicate<String> sink) {
        if (!frozen) {
            throw new IllegalStateException("not frozen");
        }
        for (MemtableChunk chunk : chunks) {
            if (!(chunk.column(column) instanceof VarCharVector strings)) {
                continue;
            }
            int n = chunk.rows();
            for (int i = 0; i < n; i++) {
                if (!strings.isNull(i) && !sink.test(new String(strings.get(i), StandardCharsets.UTF_8))) {
                    return;
                }
            }
        }
    }

    /**
     * Feeds {@code sink} each chunk's vector of column {@code column} with the number of rows it
     * holds, superseded versions included (a superset of what {@link #frozenColumns} yields), for
     * reading only; only for a frozen memtable.
     */
    public void forEachVector(String column, ObjIntConsumer<FieldVector> sink) {
        if (!frozen) {
            throw new IllegalStateException("not frozen");
        }
        for (MemtableChunk chunk : chunks) {
            FieldVector v = chunk.column(column);
            if (v != null) {
                sink.accept(v, chunk.rows());
            }
        }
    }

    /**
     * The newest version of every key, tombstones included, in ascending key order, as positions in
     * the chunks' vectors (one {@link GatheredRows.Source} per chunk, in chunk order): what a flush
     * writes a segment from. Only for a frozen memtable; the vectors stay valid while the caller holds
     * a reference ({@link #retain}).
     */
    public GatheredRows frozenColumns() {
        if (!frozen) {
            throw new IllegalStateException("not frozen");
        }
        return gather();
    }

    /**
     * The newest version of every key, tombstones included, in ascending key order, copied out of
     * the chunks column by column and widened to {@code target}: what a checkpoint saves. Copies under
     * the read lock, so it is a consistent cut.
     */
    public TableColumns sortedColumns(TableSchema target) {
        lock.readLock().lock();
        try {
            return GatheredColumns.copy(table, gather(), target);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The newest version of every key in key order, as positions in the chunks; the caller holds the lock. */
    private GatheredRows gather() {
        String[] keys = index.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        int[] source = new int[keys.length];
        int[] row = new int[keys.length];
        for (int p = 0; p < keys.length; p++) {
            long ref = index.get(keys[p]);
            source[p] = (int) (ref >>> 32);
            row[p] = (int) ref;
        }
        List<GatheredRows.Source> sources = new ArrayList<>(chunks.size());
        for (MemtableChunk chunk : chunks) {
            sources.add(new GatheredRows.Source(chunk.schema(), chunk.deletedVector(), chunk.columns()));
        }
        return new GatheredRows(sources, keys, source, row);
    }

    private List<Map.Entry<String, Long>> sortedEntries() {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(index.size());
        for (Map.Entry<String, Long> e : index.entrySet()) {
            entries.add(Map.entry(e.getKey(), e.getValue()));
        }
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }

    /**
     * A zero-copy view of the rows present now, for a scan: each chunk's vectors sliced to its
     * current row count and transferred to {@code target} (the caller owns and closes the slices),
     * with the live rows selected. With {@code deadRows} (an upsert table's deletion vector, by
     * {@link #apply} ordinals) a row is live when its ordinal is not in it, and no key is read;
     * without it, when it is the newest version of its key here and not a delete.
     */
    public MemtableView view(BufferAllocator target, RoaringBitmap deadRows) {
        lock.readLock().lock();
        try {
            List<MemtableView.Slice> slices = new ArrayList<>(chunks.size());
            for (int c = 0; c < chunks.size(); c++) {
                MemtableChunk chunk = chunks.get(c);
                int n = chunk.rows();
                if (n == 0) {
                    continue;
                }
                int[] selection = deadRows == null ? selectLive(c, chunk, n) : selectNotDead(c, n, deadRows);
                if (selection != null && selection.length == 0) {
                    continue;
                }
                List<FieldVector> sliced = new ArrayList<>();
                for (FieldVector v : chunk.allVectors()) {
                    TransferPair tp = v.getTransferPair(target);
                    tp.splitAndTransfer(0, n);
                    sliced.add((FieldVector) tp.getTo());
                }
                slices.add(new MemtableView.Slice(chunk.schema(), sliced, n, selection));
            }
            return new MemtableView(slices);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Rows [0, n) of chunk {@code c} whose ordinals {@code dead} lacks; null = all. */
    private int[] selectNotDead(int c, int n, RoaringBitmap dead) {
        long first = ordinal(c, 0);
        return dead.rangeCardinality(first, first + n) == 0 ? null : LiveRows.select(dead, first, n);
    }

    /** Rows of chunk {@code c} that are the newest version of their key and not deletes; null = all. */
    private int[] selectLive(int c, MemtableChunk chunk, int n) {
        int[] sel = new int[n];
        int k = 0;
        for (int r = 0; r < n; r++) {
            if (chunk.isDeleted(r)) {
                continue;
            }
            if (mode == TableMode.UPSERT) {
                Long ref = index.get(chunk.pk(r));
                if (ref == null || ref != (((long) c << 32) | r)) {
                    continue;
                }
            }
            sel[k++] = r;
        }
        if (k == n) {
            return null;
        }
        int[] out = new int[k];
        System.arraycopy(sel, 0, out, 0, k);
        return out;
    }

    /** Takes a reference (a version that lists this memtable). */
    public void retain() {
        if (refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("memtable of " + table + " already closed");
        }
    }

    /** Drops a reference; the last one frees the Arrow memory. */
    public void release() {
        int after = refs.decrementAndGet();
        if (after == 0) {
            free();
        } else if (after < 0) {
            throw new IllegalStateException("memtable of " + table + " released too often");
        }
    }

    /** Drops the owner's reference: same as {@link #release()}. */
    @Override
    public void close() {
        release();
    }

    private void free() {
        lock.writeLock().lock();
        try {
            for (MemtableChunk chunk : chunks) {
                chunk.close();
            }
            chunks.clear();
            index.clear();
            sealedBytes = 0;
            currentChunkBytes = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
