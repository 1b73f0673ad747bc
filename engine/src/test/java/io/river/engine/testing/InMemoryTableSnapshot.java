package io.river.engine.testing;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.TableSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A test-only {@link TableSnapshot} over rows held in memory, shaped like the engine's scans so that
 * the query executor meets every case it must handle: rows cut into blocks with zone maps
 * (min/max/null count over every physical row), some blocks without stats (like a memtable),
 * blocks that lack a column entirely, several splits, and "dead" rows (superseded versions or
 * deletes: values mixed from the block's live rows, or extreme ones) that sit in the Arrow vectors
 * but are left out of the batch's selection vector.
 * Each scan builds fresh Arrow vectors from {@code allocator} (the batch owns them). Rows are
 * Object[] in column order with the Java types of {@link ColumnType}. Closing does nothing but count,
 * so one snapshot serves many queries. Thread-safe: splits may be read in parallel.
 */
public final class InMemoryTableSnapshot implements TableSnapshot {
    private final String table;
    private final TableSchema schema;
    private final List<Block> blocks;
    private final int splitCount;
    private final BufferAllocator allocator;
    private final AtomicInteger closes = new AtomicInteger();

    private InMemoryTableSnapshot(Builder b) {
        this.table = b.table;
        this.schema = new TableSchema(1, b.columns);
        this.splitCount = b.splits;
        this.allocator = b.allocator;
        this.blocks = new ArrayList<>();
        Random random = new Random(b.seed);
        int blockNo = 0;
        for (int from = 0; from < b.rows.size(); from += b.blockRows) {
            List<Object[]> live = b.rows.subList(from, Math.min(b.rows.size(), from + b.blockRows));
            List<Object[]> physical = new ArrayList<>();
            List<Integer> selection = new ArrayList<>();
            for (Object[] row : live) {
                if (b.deadEvery > 0 && random.nextInt(b.deadEvery) == 0) {
                    physical.add(b.wildDeadRows ? deadRow(random) : mixedRow(live, random));
                }
                selection.add(physical.size());
                physical.add(row);
            }
            boolean withStats = b.noStatsEvery <= 0 || blockNo % b.noStatsEvery != b.noStatsEvery - 1;
            blocks.add(new Block(
                    physical,
                    selection.size() == physical.size()
                            ? null
                            : selection.stream().mapToInt(Integer::intValue).toArray(),
                    withStats));
            blockNo++;
        }
    }

    public static Builder builder(String table, List<Column> columns, BufferAllocator allocator) {
        return new Builder(table, columns, allocator);
    }

    /** Options of the snapshot's layout. */
    public static final class Builder {
        private final String table;
        private final List<Column> columns;
        private final BufferAllocator allocator;
        private List<Object[]> rows = List.of();
        private int blockRows = 1024;
        private int splits = 3;
        private int deadEvery = 0;
        private boolean wildDeadRows;
        private int noStatsEvery = 0;
        private long seed = 1;

        private Builder(String table, List<Column> columns, BufferAllocator allocator) {
            this.table = table;
            this.columns = List.copyOf(columns);
            this.allocator = allocator;
        }

        public Builder rows(List<Object[]> rows) {
            this.rows = rows;
            return this;
        }

        public Builder blockRows(int n) {
            this.blockRows = n;
            return this;
        }

        public Builder splits(int n) {
            this.splits = n;
            return this;
        }

        /** Roughly one dead (unselected) row per {@code n} live rows; 0 for none. */
        public Builder deadRowEvery(int n) {
            this.deadEvery = n;
            return this;
        }

        /**
         * Dead rows hold extreme values (so any that leaks into a result shows, but zone maps of
         * their blocks become wide) instead of values mixed from the block's live rows.
         */
        public Builder wildDeadRows(boolean wild) {
            this.wildDeadRows = wild;
            return this;
        }

        /** Every n-th block has no zone maps; 0 for stats on every block. */
        public Builder noStatsEvery(int n) {
            this.noStatsEvery = n;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public InMemoryTableSnapshot build() {
            return new InMemoryTableSnapshot(this);
        }
    }

    /** A dead row made of values of random live rows of the block: stays inside the zone maps. */
    private Object[] mixedRow(List<Object[]> live, Random r) {
        Object[] row = new Object[schema.columns().size()];
        for (int c = 0; c < row.length; c++) {
            row[c] = live.get(r.nextInt(live.size()))[c];
        }
        return row;
    }

    private Object[] deadRow(Random r) {
        Object[] row = new Object[schema.columns().size()];
        for (int c = 0; c < row.length; c++) {
            switch (schema.columns().get(c).type()) {
                case BOOLEAN:
                    row[c] = r.nextBoolean();
                    break;
                case INT32:
                    row[c] = r.nextBoolean() ? Integer.MAX_VALUE : -7777;
                    break;
                case INT64:
                    row[c] = r.nextBoolean() ? Long.MAX_VALUE / 2 : -777_777L;
                    break;
                case FLOAT64:
                    row[c] = r.nextBoolean() ? 1e300 : -0.5;
                    break;
                case STRING:
                    row[c] = "DEAD-" + r.nextInt(1000);
                    break;
                case BYTES:
                    row[c] = new byte[] {(byte) 0xde, (byte) 0xad};
                    break;
                case TIMESTAMP:
                    row[c] = Instant.ofEpochMilli(r.nextBoolean() ? 4_000_000_000_000L : 0L);
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
        return row;
    }

    /** How many times the executor closed this snapshot. */
    public int closeCount() {
        return closes.get();
    }

    public int blockCount() {
        return blocks.size();
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public TableMode mode() {
        return TableMode.UPSERT;
    }

    @Override
    public long estimatedRows() {
        return blocks.stream().mapToLong(b -> b.rows.size()).sum();
    }

    @Override
    public List<ScanSplit> splits(ScanRequest request, ScanMetrics metrics) {
        List<ScanSplit> out = new ArrayList<>();
        int n = Math.max(1, splitCount);
        for (int s = 0; s < n; s++) {
            List<Block> mine = new ArrayList<>();
            for (int i = s; i < blocks.size(); i += n) {
                mine.add(blocks.get(i));
            }
            out.add(new Split(mine, request, metrics));
        }
        return out;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    private final class Split implements ScanSplit {
        private final List<Block> mine;
        private final ScanRequest request;
        private final ScanMetrics metrics;
        private int next;

        Split(List<Block> mine, ScanRequest request, ScanMetrics metrics) {
            this.mine = mine;
            this.request = request;
            this.metrics = metrics;
        }

        @Override
        public ScanBatch next() {
            while (next < mine.size()) {
                Block b = mine.get(next++);
                if (!request.accepts(b)) {
                    metrics.blocksSkipped.increment();
                    continue;
                }
                metrics.blocksScanned.increment();
                metrics.rowsScanned.add(b.rows.size());
                VectorSchemaRoot root = b.toArrow(request.columns());
                return new ScanBatch(root, b.selection == null ? null : b.selection.clone(), root);
            }
            return null;
        }

        @Override
        public void close() {
            next = mine.size();
        }
    }

    private final class Block implements BlockStats {
        final List<Object[]> rows;
        final int[] selection;
        final Map<String, ColumnStats> stats = new HashMap<>();
        final Map<String, Boolean> allNull = new HashMap<>();
        final boolean withStats;

        Block(List<Object[]> rows, int[] selection, boolean withStats) {
            this.rows = rows;
            this.selection = selection;
            this.withStats = withStats;
            List<Column> cols = schema.columns();
            for (int c = 0; c < cols.size(); c++) {
                Object min = null;
                Object max = null;
                long nulls = 0;
                for (Object[] row : rows) {
                    Object v = statValue(row[c]);
                    if (v == null) {
                        nulls++;
                        continue;
                    }
                    if (min == null || compare(v, min) < 0) {
                        min = v;
                    }
                    if (max == null || compare(v, max) > 0) {
                        max = v;
                    }
                }
                stats.put(cols.get(c).name(), new ColumnStats(min, max, nulls));
                allNull.put(cols.get(c).name(), nulls == rows.size());
            }
        }

        @Override
        public long rowCount() {
            return rows.size();
        }

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
            return withStats ? stats.get(name) : null;
        }

        @Override
        public boolean lacksColumn(String name) {
            return withStats && allNull.getOrDefault(name, true);
        }

        VectorSchemaRoot toArrow(List<String> columns) {
            List<FieldVector> vectors = new ArrayList<>();
            for (String name : columns) {
                Column col = schema.column(name);
                int c = schema.indexOf(name);
                FieldVector v = ArrowTypes.field(col).createVector(allocator);
                v.allocateNew();
                for (int i = 0; i < rows.size(); i++) {
                    set(v, col.type(), i, rows.get(i)[c]);
                }
                v.setValueCount(rows.size());
                vectors.add(v);
            }
            VectorSchemaRoot root = new VectorSchemaRoot(vectors);
            root.setRowCount(rows.size());
            return root;
        }
    }

    private static Object statValue(Object v) {
        return v instanceof Instant ? (Object) ((Instant) v).toEpochMilli() : v;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof String) {
            return Arrays.compareUnsigned(
                    ((String) a).getBytes(StandardCharsets.UTF_8), ((String) b).getBytes(StandardCharsets.UTF_8));
        }
        if (a instanceof byte[]) {
            return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        }
        if (a instanceof Double) {
            return Double.compare((Double) a, (Double) b);
        }
        return ((Comparable) a).compareTo(b);
    }

    private static void set(FieldVector v, ColumnType type, int i, Object x) {
        if (x == null) {
            v.setNull(i);
            return;
        }
        switch (type) {
            case BOOLEAN:
                ((BitVector) v).setSafe(i, (Boolean) x ? 1 : 0);
                break;
            case INT32:
                ((IntVector) v).setSafe(i, (Integer) x);
                break;
            case INT64:
                ((BigIntVector) v).setSafe(i, (Long) x);
                break;
            case FLOAT64:
                ((Float8Vector) v).setSafe(i, (Double) x);
                break;
            case STRING:
                ((VarCharVector) v).setSafe(i, ((String) x).getBytes(StandardCharsets.UTF_8));
                break;
            case BYTES:
                ((VarBinaryVector) v).setSafe(i, (byte[]) x);
                break;
            case TIMESTAMP:
                ((TimeStampMilliTZVector) v).setSafe(i, ((Instant) x).toEpochMilli());
                break;
            default:
                throw new IllegalStateException(type.name());
        }
    }
}
