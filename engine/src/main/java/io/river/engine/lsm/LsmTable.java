package io.river.engine.lsm;

import io.river.engine.memtable.Memtable;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.Row;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.Table;
import io.river.engine.scan.TableSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A table's LSM tree: the current {@link TableVersion} (memtables + levels) and its schema. Writes
 * arrive from the engine's single write path ({@link #apply}); flushes and compactions install new
 * versions through {@link #install}; readers acquire a version and never block on either. The
 * table holds one reference on its current version. Thread-safe.
 */
public final class LsmTable implements Table {
    private final String name;
    private final TableMode mode;
    private final BufferAllocator allocator;
    private final EngineMetrics metrics;
    private final AtomicReference<TableVersion> current = new AtomicReference<>();
    private volatile TableSchema schema;
    private volatile long flushedLsn;
    private final TableConstraints constraints;
    private final Retention retention;
    private volatile boolean dropped;
    /** Upsert tables only: dead rows per source and the key index; null for append tables. */
    private final DeletionVectors deletionVectors;

    public LsmTable(
            String name,
            TableMode mode,
            TableSchema schema,
            long flushedLsn,
            Memtable active,
            List<List<SegmentHandle>> levels,
            BufferAllocator allocator,
            EngineMetrics metrics) {
        this(name, mode, TableConstraints.NONE, schema, flushedLsn, active, levels, allocator, metrics);
    }

    public LsmTable(
            String name,
            TableMode mode,
            TableConstraints constraints,
            TableSchema schema,
            long flushedLsn,
            Memtable active,
            List<List<SegmentHandle>> levels,
            BufferAllocator allocator,
            EngineMetrics metrics) {
        this(
                name,
                mode,
                constraints,
                schema,
                flushedLsn,
                active,
                levels,
                allocator,
                metrics,
                Retention.keepForever(metrics));
    }

    public LsmTable(
            String name,
            TableMode mode,
            TableConstraints constraints,
            TableSchema schema,
            long flushedLsn,
            Memtable active,
            List<List<SegmentHandle>> levels,
            BufferAllocator allocator,
            EngineMetrics metrics,
            Retention retention) {
        this.metrics = metrics;
        this.retention = retention;
        this.name = name;
        this.mode = mode;
        this.constraints = constraints;
        this.schema = schema;
        this.flushedLsn = flushedLsn;
        this.allocator = allocator;
        this.deletionVectors = mode == TableMode.UPSERT ? new DeletionVectors(allocator) : null;
        if (deletionVectors != null) {
            deletionVectors.rebuild(levels);
        }
        TableVersion v = new TableVersion(active, List.of(), levels);
        active.release(); // the version holds it now
        for (List<SegmentHandle> level : levels) {
            for (SegmentHandle h : level) {
                h.release(); // likewise: the opener's reference passes to the version
            }
        }
        current.set(v);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TableMode mode() {
        return mode;
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public TableConstraints constraints() {
        return constraints;
    }

    /** The table's retention: its setting, the cutoff every read applies, what it dropped. */
    public Retention retention() {
        return retention;
    }

    @Override
    public TableRetention retentionSetting() {
        return retention.policy();
    }

    @Override
    public long retentionMillis() {
        return retention.effectiveMillis();
    }

    /** True once DROP TABLE removed the table from the manifest; its level edits are then refused. */
    public boolean isDropped() {
        return dropped;
    }

    /**
     * Marks the table dropped (under the engine's structure lock, after the manifest lost it): every
     * segment file of its current version is deleted once no reader holds it.
     */
    public void markDropped() {
        dropped = true;
        for (List<SegmentHandle> level : current.get().levels()) {
            for (SegmentHandle h : level) {
                h.markObsolete();
            }
        }
    }

    /** LSN up to which this table's data is in segments. */
    public long flushedLsn() {
        return flushedLsn;
    }

    /** Applies rows (see {@link #apply(TableColumns, TableSchema, long)}). */
    public void apply(List<Row> rows, TableSchema newSchema, long lsn) {
        apply(TableColumns.of(name, rows), newSchema, lsn);
    }

    /**
     * Appends the rows to the active memtable column by column and, in an upsert table, updates the
     * deletion vectors per key. Called only from the engine's write path, which serializes writers.
     */
    public void apply(TableColumns rows, TableSchema newSchema, long lsn) {
        schema = newSchema;
        if (deletionVectors == null) {
            current.get().active().apply(rows, newSchema, lsn);
            return;
        }
        synchronized (deletionVectors) {
            Memtable active = current.get().active();
            deletionVectors.apply(active, rows, active.apply(rows, newSchema, lsn));
        }
    }

    /** Sets the schema (recovery) without writing rows. */
    public void setSchema(TableSchema newSchema) {
        schema = newSchema;
    }

    /** The current version, acquired: the caller must {@link TableVersion#release()} it. */
    public TableVersion acquire() {
        while (true) {
            TableVersion v = current.get();
            if (v.tryAcquire()) {
                return v;
            }
        }
    }

    /** The current version without a reference; only for the engine's own bookkeeping. */
    public TableVersion peek() {
        return current.get();
    }

    /**
     * Installs a flush's or a compaction's level edit (from {@code VersionSet.logAndApply} only);
     * an upsert table carries its deletion vectors across it in the same step, so no write or scan
     * sees the new version with the old bitmaps.
     */
    public synchronized void install(LevelEdit edit) {
        if (deletionVectors == null) {
            installVersion(edit::applyTo);
            return;
        }
        synchronized (deletionVectors) {
            deletionVectors.install(edit);
            installVersion(edit::applyTo);
        }
    }

    /**
     * Installs the version built from the current one; serialized so that concurrent flush and
     * compaction each see the other's result.
     */
    private synchronized void installVersion(java.util.function.UnaryOperator<VersionEdit> edit) {
        TableVersion old = current.get();
        VersionEdit e = edit.apply(new VersionEdit(old));
        TableVersion next = new TableVersion(e.active, e.immutables, e.levels);
        current.set(next);
        old.release();
    }

    /** Records that data up to {@code lsn} is now in segments. */
    public void setFlushedLsn(long lsn) {
        flushedLsn = Math.max(flushedLsn, lsn);
    }

    /** Freezes the active memtable and puts a fresh one in its place; returns the frozen one. */
    public synchronized Memtable rotate(Supplier<Memtable> fresh) {
        TableVersion old = current.get();
        Memtable frozen = old.active();
        frozen.freeze();
        Memtable next = fresh.get();
        installVersion(e -> {
            e.immutables.add(0, frozen);
            e.active = next;
            return e;
        });
        next.release(); // the version holds it
        return frozen;
    }

    @Override
    public Optional<Row> get(String pk) {
        TableVersion v = acquire();
        try {
            TableSchema s = schema;
            Row r = v.active().get(pk, s);
            if (r == null) {
                for (Memtable m : v.immutables()) {
                    r = m.get(pk, s);
                    if (r != null) {
                        break;
                    }
                }
            }
            if (r == null) {
                r = getLocated(v, pk, s);
            }
            if (r == null) {
                r = getFromLevels(v, pk, s, metrics);
            }
            metrics.pointReads.increment();
            boolean gone = r == null || r.isTombstone() || retention.expired(r, retention.cutoff());
            return gone ? Optional.empty() : Optional.of(r);
        } finally {
            v.release();
        }
    }

    /**
     * An upsert table's key not in {@code v}'s memtables: read straight from the segment row its key
     * index names, when that segment is in {@code v} (no bloom filter, block index or key search);
     * null otherwise (an append table, a key the index lacks, a segment installed after {@code v}),
     * and the levels are searched as for any table.
     */
    private Row getLocated(TableVersion v, String pk, TableSchema s) {
        if (deletionVectors == null) {
            return null;
        }
        DeletionVectors.SegmentRow at = deletionVectors.segmentRow(pk);
        if (at == null || !v.holds(at.file())) {
            return null;
        }
        metrics.pointReadSegmentsProbed.increment();
        return at.file().reader().getAt(at.row(), pk, s);
    }

    private static Row getFromLevels(
            TableVersion v, String pk, TableSchema s, io.river.engine.metrics.EngineMetrics metrics) {
        for (SegmentHandle h : v.level(0)) {
            if (h.entry().minKey().compareTo(pk) <= 0 && h.entry().maxKey().compareTo(pk) >= 0) {
                metrics.pointReadSegmentsProbed.increment();
                Optional<Row> r = h.reader().get(pk, s);
                if (r.isPresent()) {
                    return r.get();
                }
            }
        }
        for (int level = 1; level < v.levels().size(); level++) {
            List<SegmentHandle> files = v.level(level);
            int lo = 0;
            int hi = files.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                SegmentHandle h = files.get(mid);
                if (h.entry().maxKey().compareTo(pk) < 0) {
                    lo = mid + 1;
                } else if (h.entry().minKey().compareTo(pk) > 0) {
                    hi = mid - 1;
                } else {
                    metrics.pointReadSegmentsProbed.increment();
                    Optional<Row> r = h.reader().get(pk, s);
                    if (r.isPresent()) {
                        return r.get();
                    }
                    break;
                }
            }
        }
        return null;
    }

    @Override
    public List<Row> range(String from, String to, int limit) {
        TableVersion v = acquire();
        List<java.util.Iterator<Row>> sources = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            TableSchema s = schema;
            sources.add(inRange(v.active().sortedRows(s), from, to));
            for (Memtable m : v.immutables()) {
                sources.add(inRange(m.sortedRows(s), from, to));
            }
            for (List<SegmentHandle> level : v.levels()) {
                for (SegmentHandle h : level) {
                    if ((to != null && h.entry().minKey().compareTo(to) >= 0)
                            || (from != null && h.entry().maxKey().compareTo(from) < 0)) {
                        continue;
                    }
                    io.river.engine.segment.SegmentRowIterator it = h.reader().rows(from, to);
                    open.add(it);
                    sources.add(new java.util.Iterator<Row>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Row next() {
                            return widen(it.next(), s);
                        }
                    });
                }
            }
            List<Row> out = new ArrayList<>();
            io.river.engine.compaction.MergingIterator merged =
                    new io.river.engine.compaction.MergingIterator(sources, true);
            long cutoff = retention.cutoff();
            while (merged.hasNext() && out.size() < limit) {
                Row r = merged.next();
                if (!retention.expired(r, cutoff)) {
                    out.add(r);
                }
            }
            return out;
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing a segment iterator failed", e);
                }
            }
            v.release();
        }
    }

    private static java.util.Iterator<Row> inRange(List<Row> sorted, String from, String to) {
        List<Row> out = new ArrayList<>();
        for (Row r : sorted) {
            if ((from == null || r.pk().compareTo(from) >= 0) && (to == null || r.pk().compareTo(to) < 0)) {
                out.add(r);
            }
        }
        return out.iterator();
    }

    /** Segment rows carry the types they were written with; widen them to the current schema. */
    private static Row widen(Row r, TableSchema s) {
        if (r.isTombstone()) {
            return r;
        }
        Map<String, Object> values = null;
        for (Map.Entry<String, Object> e : r.values().entrySet()) {
            io.river.engine.model.Column c = s.column(e.getKey());
            if (c != null && e.getValue() != null && io.river.engine.model.ColumnType.of(e.getValue()) != c.type()) {
                if (values == null) {
                    values = new LinkedHashMap<>(r.values());
                }
                values.put(e.getKey(), c.type().coerce(e.getValue()));
            }
        }
        return values == null ? r : Row.of(r.pk(), values);
    }

    @Override
    public TableSnapshot snapshot() {
        if (deletionVectors == null) {
            return new LsmSnapshot(this, acquire(), allocator, null);
        }
        synchronized (deletionVectors) {
            return new LsmSnapshot(this, acquire(), allocator, deletionVectors);
        }
    }

    /**
     * The rows of segment {@code fileId} known dead now (superseded or deleted), for a compaction to
     * leave out; null for an append table or when none is. Read-only: it may be shared with scans.
     */
    public org.roaringbitmap.RoaringBitmap deadRows(long fileId) {
        SegmentDeadRows dead = deletionVectors == null ? null : deletionVectors.segmentDeadRows(fileId);
        return dead == null ? null : dead.bitmap();
    }

    /** True when {@code pk}'s newest version is in a segment (upsert tables; see {@link DeletionVectors}). */
    public boolean supersededInSegments(String pk) {
        return deletionVectors != null && deletionVectors.newestInSegment(pk);
    }

    /** Key index figures of an upsert table (live keys, index bytes, dead rows); empty otherwise. */
    public Map<String, Object> deletionVectorStats() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (deletionVectors != null) {
            out.put("liveKeys", deletionVectors.liveKeys());
            out.put("keyIndexBytes", deletionVectors.indexBytes());
            out.put("deadRows", deletionVectors.deadRows());
        }
        return out;
    }

    /** Exact for an upsert table (its live keys); an estimate for an append table. */
    @Override
    public long estimatedRows() {
        if (deletionVectors != null) {
            return deletionVectors.liveKeys();
        }
        TableVersion v = acquire();
        try {
            long n = v.active().keyCount();
            for (Memtable m : v.immutables()) {
                n += m.keyCount();
            }
            for (List<SegmentHandle> level : v.levels()) {
                for (SegmentHandle h : level) {
                    n += h.entry().rows() - h.entry().tombstones();
                }
            }
            return n;
        } finally {
            v.release();
        }
    }

    @Override
    public Map<String, Object> stats() {
        TableVersion v = acquire();
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", name);
            out.put("mode", mode.configName());
            out.put("schemaVersion", schema.version());
            out.put("estimatedRows", estimatedRows());
            out.put("flushedLsn", flushedLsn);
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("activeBytes", v.active().sizeBytes());
            mem.put("activeKeys", v.active().keyCount());
            mem.put("immutableCount", v.immutables().size());
            long immBytes = 0;
            for (Memtable m : v.immutables()) {
                immBytes += m.sizeBytes();
            }
            mem.put("immutableBytes", immBytes);
            out.put("memtable", mem);
            List<Map<String, Object>> levels = new ArrayList<>();
            for (int i = 0; i < v.levels().size(); i++) {
                long bytes = 0;
                long rows = 0;
                for (SegmentHandle h : v.level(i)) {
                    bytes += h.entry().sizeBytes();
                    rows += h.entry().rows();
                }
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("level", i);
                l.put("files", v.level(i).size());
                l.put("bytes", bytes);
                l.put("rows", rows);
                levels.add(l);
            }
            out.put("levels", levels);
            out.put("retention", retention.stats());
            if (deletionVectors != null) {
                out.put("deletionVectors", deletionVectorStats());
            }
            return out;
        } finally {
            v.release();
        }
    }

    /** Drops the table's reference on its current version (engine close). */
    public void close() {
        TableVersion v = current.getAndSet(null);
        if (v != null) {
            v.release();
        }
    }
}
