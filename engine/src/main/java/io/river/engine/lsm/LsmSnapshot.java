package io.river.engine.lsm;

import io.river.engine.memtable.Memtable;
import io.river.engine.memtable.MemtableView;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.LiveMask;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.ScanVectors;
import io.river.engine.scan.StringDictionary;
import io.river.engine.scan.TableSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * A {@link TableSnapshot} over one acquired {@link TableVersion}: memtable rows are taken as
 * zero-copy slices when the snapshot is made, segment blocks are decoded lazily by the splits.
 * Upsert tables are read like append tables minus the rows their {@link DeletionVectors} mark dead
 * (superseded versions and deletes): the snapshot is made under the deletion vectors' monitor, so
 * its memtable selections and its copies of the segments' bitmaps belong to the same instant as its
 * version, and no key is read or hashed. Rows expired by the table's {@link Retention} at the moment
 * the snapshot is made are left out of every selection after that (so an expired newest version
 * hides its key); blocks whose zone map puts every row below the cutoff are not read. Thread-safe
 * after construction; close releases the version and any slices not handed out.
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
    /** Dead rows of each segment (upsert tables; null entry = none dead); null for append tables. */
    private final List<SegmentDeadRows> segmentDeadRows;

    private boolean closed;
    private boolean splitsTaken;

    /** {@code deletionVectors}: the upsert table's, whose monitor the caller holds; null for append tables. */
    LsmSnapshot(LsmTable table, TableVersion version, BufferAllocator allocator, DeletionVectors deletionVectors) {
        this.table = table;
        this.version = version;
        this.schema = table.schema();
        this.allocator = allocator;
        this.cutoff = table.retention().cutoff();
        views.add(view(version.active(), deletionVectors));
        for (Memtable m : version.immutables()) {
            views.add(view(m, deletionVectors));
        }
        for (List<SegmentHandle> level : version.levels()) {
            segments.addAll(level);
        }
        if (deletionVectors == null) {
            segmentDeadRows = null;
        } else {
            segmentDeadRows = new ArrayList<>(segments.size());
            for (SegmentHandle h : segments) {
                segmentDeadRows.add(deletionVectors.segmentDeadRows(h.entry().id()));
            }
        }
    }

    private MemtableView view(Memtable m, DeletionVectors deletionVectors) {
        return m.view(allocator, deletionVectors == null ? null : deletionVectors.memtableDeadRows(m));
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

        /** The part's rows; null when none is live (nothing was read). */
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
        for (MemtableView view : views) {
            for (MemtableView.Slice slice : view.slices()) {
                parts.add(memtablePart(
                        slice,
                        Retention.select(
                                slice.column(table.retention().column()), slice.rows(), slice.selection(), cutoff)));
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            SegmentHandle h = segments.get(i);
            SegmentDeadRows dead = segmentDeadRows == null ? null : segmentDeadRows.get(i);
            int blocks = h.reader().blockCount();
            long firstRow = 0;
            for (int b = 0; b < blocks; b++) {
                int rows = h.reader().footer().blocks().get(b).rows();
                DeadRows deadRows = dead == null ? null : new DeadRows(dead, b, firstRow, rows);
                if (cutoff == Retention.NONE) {
                    parts.add(segmentPart(h, b, null, deadRows));
                } else {
                    int[] live = deadRows == null ? null : deadRows.liveSelection();
                    if (live == null || live.length > 0) {
                        live = table.retention().selectBlock(h, b, live, cutoff, schema, allocator);
                    }
                    if (live != null && live.length == 0) {
                        metrics.blocksSkipped.increment();
                    } else {
                        parts.add(segmentPart(h, b, live, null));
                    }
                }
                firstRow += rows;
            }
        }
        views.clear();
        if (request.readOrder() != null) {
            parts = byRank(parts, request.readOrder());
        }
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

    /**
     * The parts by ascending rank (stable; NaN ranks last), so that dealing them out in turn gives
     * each split its best-ranked parts first.
     */
    private static List<Part> byRank(List<Part> parts, ToDoubleFunction<BlockStats> rank) {
        double[] ranks = new double[parts.size()];
        Integer[] order = new Integer[parts.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = rank.applyAsDouble(parts.get(i).stats());
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(ranks[x], ranks[y]));
        List<Part> sorted = new ArrayList<>(parts.size());
        for (Integer i : order) {
            sorted.add(parts.get(i));
        }
        return sorted;
    }

    /** The dead rows of one segment block (there may be none), turned into its live rows when it is read. */
    private record DeadRows(SegmentDeadRows dead, int block, long firstRow, int rows) {
        /** The live rows, ascending; null when none is dead. */
        int[] liveSelection() {
            long[] mask = liveMask();
            return mask == null ? null : LiveMask.selection(mask);
        }

        /** The live rows as a read-only {@link LiveMask}; null when none is dead. */
        long[] liveMask() {
            return dead.liveMask(block, firstRow, rows);
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

    /**
     * Block {@code block} of a segment; its live rows are {@code selection} (null = all) less the
     * rows of {@code dead} (null = none), worked out when the block is read. At most one is set.
     */
    private Part segmentPart(SegmentHandle h, int block, int[] selection, DeadRows dead) {
        return new Part() {
            @Override
            public BlockStats stats() {
                return h.reader().blockStats(block);
            }

            @Override
            public ScanBatch read(ScanRequest request) {
                long[] live = dead == null ? null : dead.liveMask();
                if (live != null && LiveMask.count(live) == 0) {
                    return null;
                }
                return readBlock(request).withLiveMask(live);
            }

            private ScanBatch readBlock(ScanRequest request) {
                if (request.readOnly()) {
                    return h.reader()
                            .scanBlock(
                                    block,
                                    request.columns(),
                                    schema,
                                    allocator,
                                    selection,
                                    request.dictionaryCodes(),
                                    request.narrowNumbers());
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
                if (batch == null) {
                    metrics.blocksSkipped.increment();
                    continue;
                }
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
