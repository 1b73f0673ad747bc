package io.river.engine.lsm;

import io.river.engine.memtable.Memtable;
import io.river.engine.memtable.MemtableView;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.ScanVectors;
import io.river.engine.scan.StringDictionary;
import io.river.engine.scan.TableSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * A {@link TableSnapshot} over one acquired {@link TableVersion}: memtable rows are taken as
 * zero-copy slices when the snapshot is made, segment blocks are decoded lazily by the splits.
 * Upsert tables are de-duplicated newest-first: a row is live when it is not a delete and no newer
 * source (memtable, newer L0 file, shallower level) holds its key. That pass reads only the
 * {@code _pk}/{@code _deleted} columns and keeps the keys seen in memory, so its cost grows with
 * the table; append tables skip it (their keys are unique by construction). Rows expired by the
 * table's {@link Retention} at the moment the snapshot is made are left out of every selection after
 * de-duplication (so an expired newest version hides its key); blocks whose zone map puts every row
 * below the cutoff are not read. Thread-safe after construction; close releases the version and any
 * slices not handed out.
 */
final class LsmSnapshot implements TableSnapshot {
    private static final int MIN_SPLITS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final LsmTable table;
    private final TableVersion version;
    private final TableSchema schema;
    private final BufferAllocator allocator;
    private final long cutoff;
    private final List<MemtableView> views = new ArrayList<>();
    private final List<SegmentHandle> segments = new ArrayList<>();
    private boolean closed;
    private boolean splitsTaken;

    LsmSnapshot(LsmTable table, TableVersion version, BufferAllocator allocator) {
        this.table = table;
        this.version = version;
        this.schema = table.schema();
        this.allocator = allocator;
        this.cutoff = table.retention().cutoff();
        boolean upsert = table.mode() == TableMode.UPSERT;
        views.add(version.active().view(allocator, upsert));
        for (Memtable m : version.immutables()) {
            views.add(m.view(allocator, upsert));
        }
        for (List<SegmentHandle> level : version.levels()) {
            segments.addAll(level);
        }
    }

    @Override
    public String table() {
        return table.name();
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public TableMode mode() {
        return table.mode();
    }

    @Override
    public long estimatedRows() {
        long n = 0;
        for (MemtableView v : views) {
            for (MemtableView.Slice s : v.slices()) {
                n += s.rows();
            }
        }
        for (SegmentHandle h : segments) {
            n += h.entry().rows();
        }
        return n;
    }

    /** A unit of scan work: a memtable slice or one segment block, with its live-row selection. */
    private interface Part {
        BlockStats stats();

        ScanBatch read(ScanRequest request);

        void discard();
    }

    @Override
    public synchronized List<ScanSplit> splits(ScanRequest request, ScanMetrics metrics) {
        if (closed || splitsTaken) {
            throw new IllegalStateException(closed ? "snapshot closed" : "splits() may be called once per snapshot");
        }
        splitsTaken = true;
        List<Part> parts = new ArrayList<>();
        Set<String> seen = table.mode() == TableMode.UPSERT ? new HashSet<>() : null;
        for (MemtableView view : views) {
            // Newest memtable first: each one hides the keys of those before it in this loop.
            for (MemtableView.Slice slice : view.slices()) {
                int[] live = seen == null ? slice.selection() : dedupe(slice, seen);
                parts.add(memtablePart(
                        slice, Retention.select(slice.column(table.retention().column()), slice.rows(), live, cutoff)));
            }
            if (seen != null && view.keys() != null) {
                seen.addAll(view.keys());
            }
        }
        // Which segments need de-duplication work at all: a segment can hold a superseded version
        // only if a newer source's key range overlaps its own, and its keys matter to older sources
        // only if an older segment's range overlaps it. Leveled trees after compaction mostly need
        // neither, and then no key column is read.
        List<String[]> newerRanges = new ArrayList<>();
        if (seen != null) {
            for (MemtableView view : views) {
                String[] r = keyRange(view.keys());
                if (r != null) {
                    newerRanges.add(r);
                }
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            SegmentHandle h = segments.get(i);
            int blocks = h.reader().blockCount();
            String lo = h.entry().minKey();
            String hi = h.entry().maxKey();
            boolean shadowed = seen != null && overlapsAny(newerRanges, lo, hi);
            boolean shadows = seen != null && overlapsOlder(i, lo, hi);
            boolean tombstones = h.entry().tombstones() > 0;
            Set<String> segmentKeys = shadows ? new HashSet<>() : null;
            for (int b = 0; b < blocks; b++) {
                int[] selection = null;
                if (seen != null && (shadowed || shadows || tombstones)) {
                    selection = segmentSelection(h, b, shadowed ? seen : Set.of(), segmentKeys);
                }
                selection = table.retention().selectBlock(h, b, selection, cutoff, schema, allocator);
                if (selection != null && selection.length == 0) {
                    metrics.blocksSkipped.increment();
                    continue;
                }
                parts.add(segmentPart(h, b, selection));
            }
            if (segmentKeys != null) {
                seen.addAll(segmentKeys);
            }
            if (seen != null) {
                newerRanges.add(new String[] {lo, hi});
            }
        }
        views.clear();
        int n = Math.max(1, Math.min(MIN_SPLITS * 2, parts.size()));
        List<List<Part>> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < parts.size(); i++) {
            groups.get(i % n).add(parts.get(i));
        }
        List<ScanSplit> splits = new ArrayList<>();
        for (List<Part> group : groups) {
            splits.add(new PartSplit(group, request, metrics));
        }
        return splits;
    }

    /** Memtable slices were already reduced to their newest versions; hide keys newer memtables hold. */
    private static int[] dedupe(MemtableView.Slice slice, Set<String> newerKeys) {
        if (newerKeys.isEmpty()) {
            return slice.selection();
        }
        VarCharVector pk = (VarCharVector) slice.pk();
        int[] base = slice.selection();
        int count = base == null ? slice.rows() : base.length;
        int[] out = new int[count];
        int k = 0;
        for (int j = 0; j < count; j++) {
            int r = base == null ? j : base[j];
            if (!newerKeys.contains(new String(pk.get(r), StandardCharsets.UTF_8))) {
                out[k++] = r;
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static String[] keyRange(Set<String> keys) {
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        String lo = null;
        String hi = null;
        for (String k : keys) {
            if (lo == null || k.compareTo(lo) < 0) {
                lo = k;
            }
            if (hi == null || k.compareTo(hi) > 0) {
                hi = k;
            }
        }
        return new String[] {lo, hi};
    }

    private static boolean overlapsAny(List<String[]> ranges, String lo, String hi) {
        for (String[] r : ranges) {
            if (!(r[1].compareTo(lo) < 0 || r[0].compareTo(hi) > 0)) {
                return true;
            }
        }
        return false;
    }

    private boolean overlapsOlder(int i, String lo, String hi) {
        for (int j = i + 1; j < segments.size(); j++) {
            if (segments.get(j).entry().overlaps(lo, hi)) {
                return true;
            }
        }
        return false;
    }

    private int[] segmentSelection(SegmentHandle h, int block, Set<String> newer, Set<String> segmentKeys) {
        // read in place (the cache's vectors, pinned until the batch closes): the keys are only looked at
        try (ScanBatch batch = h.reader()
                .scanBlock(block, List.of(SystemColumns.PK, SystemColumns.DELETED), schema, allocator, null, false)) {
            VectorSchemaRoot keys = batch.root();
            VarCharVector pk = (VarCharVector) keys.getVector(SystemColumns.PK);
            BitVector deleted = (BitVector) keys.getVector(SystemColumns.DELETED);
            int rows = keys.getRowCount();
            int[] sel = new int[rows];
            int k = 0;
            for (int r = 0; r < rows; r++) {
                boolean dead = deleted.get(r) != 0;
                if (segmentKeys == null && newer.isEmpty()) {
                    if (!dead) {
                        sel[k++] = r;
                    }
                    continue;
                }
                String key = new String(pk.get(r), StandardCharsets.UTF_8);
                if (segmentKeys != null) {
                    segmentKeys.add(key);
                }
                if (!dead && !newer.contains(key)) {
                    sel[k++] = r;
                }
            }
            return k == rows ? null : java.util.Arrays.copyOf(sel, k);
        }
    }

    private Part memtablePart(MemtableView.Slice slice, int[] selection) {
        return new Part() {
            @Override
            public BlockStats stats() {
                return new UnknownStats(slice.rows());
            }

            @Override
            public ScanBatch read(ScanRequest request) {
                List<String> columns = request.columns();
                List<FieldVector> out = new ArrayList<>(columns.size());
                for (String name : columns) {
                    Column col = schema.column(name);
                    if (col == null) {
                        throw new IllegalArgumentException("unknown column " + name + " in " + table.name());
                    }
                    FieldVector v = slice.column(name);
                    if (v == null) {
                        out.add(ScanVectors.nulls(col, slice.rows(), allocator));
                    } else {
                        ColumnType stored = slice.schema().column(name).type();
                        if (stored != col.type()) {
                            out.add(ScanVectors.widen(v, stored, col, allocator));
                        } else {
                            TransferPair tp = v.getTransferPair(allocator);
                            tp.splitAndTransfer(0, slice.rows());
                            out.add((FieldVector) tp.getTo());
                        }
                    }
                }
                slice.close();
                VectorSchemaRoot root = new VectorSchemaRoot(out);
                root.setRowCount(slice.rows());
                return new ScanBatch(root, selection, root);
            }

            @Override
            public void discard() {
                slice.close();
            }
        };
    }

    private Part segmentPart(SegmentHandle h, int block, int[] selection) {
        return new Part() {
            @Override
            public BlockStats stats() {
                return h.reader().blockStats(block);
            }

            @Override
            public ScanBatch read(ScanRequest request) {
                if (request.readOnly()) {
                    return h.reader()
                            .scanBlock(
                                    block, request.columns(), schema, allocator, selection, request.dictionaryCodes());
                }
                StringDictionary[] dictionaries = request.dictionaryCodes()
                        ? new StringDictionary[request.columns().size()]
                        : null;
                VectorSchemaRoot root = h.reader().readBlock(block, request.columns(), schema, allocator, dictionaries);
                return new ScanBatch(root, selection, root, dictionaries);
            }

            @Override
            public void discard() {}
        };
    }

    /** Stats of a memtable slice: nothing known but the row count, so it is never skipped. */
    private record UnknownStats(long rowCount) implements BlockStats {
        @Override
        public String minKey() {
            return null;
        }

        @Override
        public String maxKey() {
            return null;
        }

        @Override
        public ColumnStats column(String name) {
            return null;
        }

        @Override
        public boolean lacksColumn(String name) {
            return false;
        }
    }

    /** Reads its parts in order, skipping those the request's block filter rejects. */
    private static final class PartSplit implements ScanSplit {
        private final List<Part> parts;
        private final ScanRequest request;
        private final ScanMetrics metrics;
        private int next;

        PartSplit(List<Part> parts, ScanRequest request, ScanMetrics metrics) {
            this.parts = parts;
            this.request = request;
            this.metrics = metrics;
        }

        @Override
        public synchronized ScanBatch next() {
            while (next < parts.size()) {
                Part p = parts.get(next);
                parts.set(next, null);
                next++;
                if (!request.accepts(p.stats())) {
                    metrics.blocksSkipped.increment();
                    p.discard();
                    continue;
                }
                ScanBatch batch = p.read(request);
                metrics.blocksScanned.increment();
                metrics.rowsScanned.add(batch.root().getRowCount());
                return batch;
            }
            return null;
        }

        @Override
        public synchronized void close() {
            for (int i = next; i < parts.size(); i++) {
                if (parts.get(i) != null) {
                    parts.get(i).discard();
                }
            }
            next = parts.size();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MemtableView v : views) {
            v.close();
        }
        views.clear();
        version.release();
    }
}
