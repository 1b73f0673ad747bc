package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.TableSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Runs one {@link LogicalPlan} over a snapshot: asks for only the plan's columns with a zone-map
 * block filter, then lets up to {@code parallelism} workers (the calling thread plus pool threads)
 * pull splits from a shared queue. Each worker filters every batch by narrowing its selection
 * vector conjunct by conjunct, then folds it into its own partial aggregation or row collector;
 * the calling thread merges the partials, applies HAVING, projections, ORDER BY and LIMIT. The
 * first error stops every worker; all splits and batches are closed on every path. One instance
 * per query; not thread-safe itself.
 */
final class QueryExecution {
    private final LogicalPlan plan;
    private final ColumnType[] scanTypes;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong rowsCollected = new AtomicLong();

    private static final int ROWS_BATCH = 2048;
    private final long maxResultRows;
    /** For a top-N query: the shared bar that lets the scan skip blocks that cannot hold a winner. */
    private final TopNBound topN;

    QueryExecution(LogicalPlan plan, ColumnType[] scanTypes, long maxResultRows) {
        this.plan = plan;
        this.scanTypes = scanTypes;
        this.maxResultRows = maxResultRows;
        this.topN = TopNBound.of(plan);
    }

    /** A worker's partial result: one of the two is set. */
    private static final class Partial {
        AggregationState aggregation;
        RowCollector rows;
    }

    /** Runs the plan; {@code snapshot} is null for a SELECT without FROM. */
    Result run(TableSnapshot snapshot, ExecutorService pool, int parallelism) {
        ScanMetrics metrics = new ScanMetrics();
        List<Partial> partials = new ArrayList<>();
        if (snapshot == null) {
            Partial p = newPartial();
            processWithoutTable(p, new VectorEvaluator(), new ScanInput(scanTypes));
            partials.add(p);
        } else {
            ScanRequest request = new ScanRequest(
                    plan.scanColumns(), blockFilter(), true, true, topN == null ? null : topN::readRank, true);
            List<ScanSplit> splits = snapshot.splits(request, metrics);
            ConcurrentLinkedQueue<ScanSplit> queue = new ConcurrentLinkedQueue<>(splits);
            int workers = Math.max(1, Math.min(parallelism, splits.size()));
            List<Future<Partial>> futures = new ArrayList<>();
            List<AtomicInteger> states = new ArrayList<>();
            try {
                for (int w = 1; w < workers; w++) {
                    // 0 = queued, 1 = running, 2 = abandoned (the caller finished the work first)
                    AtomicInteger state = new AtomicInteger();
                    states.add(state);
                    futures.add(pool.submit(() -> state.compareAndSet(0, 1) ? work(queue) : null));
                }
                partials.add(work(queue));
                for (int w = 0; w < futures.size(); w++) {
                    if (states.get(w).compareAndSet(0, 2)) {
                        continue;
                    }
                    Partial p = await(futures.get(w));
                    if (p != null) {
                        partials.add(p);
                    }
                }
            } finally {
                stop.set(true);
                for (int w = 0; w < futures.size(); w++) {
                    if (!states.get(w).compareAndSet(0, 2) && !futures.get(w).isDone()) {
                        awaitQuietly(futures.get(w));
                    }
                }
                for (ScanSplit s; (s = queue.poll()) != null; ) {
                    s.close();
                }
            }
            Throwable t = failure.get();
            if (t != null) {
                if (t instanceof RuntimeException) {
                    throw (RuntimeException) t;
                }
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw new IllegalStateException("query failed", t);
            }
        }
        long scanned = metrics.rowsScanned.sum() > 0 ? metrics.rowsScanned.sum() : rowsRead.get();
        return new Result(finish(partials), scanned, metrics.blocksSkipped.sum());
    }

    record Result(List<Object[]> rows, long rowsScanned, long blocksSkipped) {}

    /**
     * Runs the plan over rows already materialized (a subquery's, CTE's or UNION ALL's answer) on the
     * calling thread, {@value #ROWS_BATCH} rows at a time; scan slot {@code s} reads value
     * {@code positions[s]} of each row.
     */
    Result runRows(List<Object[]> rows, int[] positions) {
        Partial p = newPartial();
        VectorEvaluator ev = new VectorEvaluator();
        int[] sel = new int[ROWS_BATCH];
        for (int from = 0; from < rows.size() && !stop.get(); from += ROWS_BATCH) {
            int n = Math.min(ROWS_BATCH, rows.size() - from);
            Vec[] slots = new Vec[positions.length];
            for (int s = 0; s < slots.length; s++) {
                slots[s] = column(rows, from, n, positions[s], scanTypes[s]);
            }
            for (int i = 0; i < n; i++) {
                sel[i] = i;
            }
            processBatch(p, ev, Input.of(n, slots), sel, n);
        }
        return new Result(finish(List.of(p)), rows.size(), 0);
    }

    /** Values {@code rows[from..from+n)[position]} (result values, see {@link Vec#get}) as a vector. */
    private static Vec column(List<Object[]> rows, int from, int n, int position, ColumnType type) {
        Vec v = ResultVectors.create(type, n);
        boolean[] nulls = null;
        for (int i = 0; i < n; i++) {
            Object x = rows.get(from + i)[position];
            if (x == null) {
                if (nulls == null) {
                    nulls = new boolean[n];
                }
                nulls[i] = true;
            } else if (v instanceof Vec.LongVec) {
                ((Vec.LongVec) v).values[i] = SqlTypes.asLong(x);
            } else if (v instanceof Vec.DoubleVec) {
                ((Vec.DoubleVec) v).values[i] = ((Number) x).doubleValue();
            } else if (v instanceof Vec.BoolVec) {
                ((Vec.BoolVec) v).values[i] = (Boolean) x;
            } else {
                ((Vec.ArrayBytesVec) v).values[i] =
                        x instanceof String ? ((String) x).getBytes(StandardCharsets.UTF_8) : (byte[]) x;
            }
        }
        if (nulls != null && v instanceof Vec.ArrayBytesVec) {
            byte[][] values = ((Vec.ArrayBytesVec) v).values;
            for (int i = 0; i < n; i++) {
                values[i] = nulls[i] ? null : values[i];
            }
        }
        v.nulls = nulls;
        return v;
    }

    /** Zone maps against the WHERE conjuncts, and for a top-N query against its running bar too. */
    private Predicate<BlockStats> blockFilter() {
        Predicate<BlockStats> where = ZoneMapPruner.build(plan.filters());
        if (topN == null) {
            return where;
        }
        return where == null ? topN::mayHold : stats -> where.test(stats) && topN.mayHold(stats);
    }

    private Partial await(Future<Partial> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
            throw new IllegalStateException("interrupted while waiting for query workers", e);
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
            return null;
        }
    }

    private static void awaitQuietly(Future<Partial> f) {
        try {
            f.get();
        } catch (Exception ignored) {
            // failure already recorded by the worker
        }
    }

    private Partial work(ConcurrentLinkedQueue<ScanSplit> queue) {
        Partial p = newPartial();
        VectorEvaluator ev = new VectorEvaluator();
        ScanInput input = new ScanInput(scanTypes);
        int[] sel = new int[0];
        try {
            for (ScanSplit next; !stop.get() && (next = queue.poll()) != null; ) {
                try (ScanSplit split = next) {
                    for (ScanBatch b; !stop.get() && (b = split.next()) != null; ) {
                        try (ScanBatch batch = b) {
                            sel = processScanBatch(p, ev, input, batch, sel);
                        }
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            stop.set(true);
        }
        return p;
    }

    /** Filters and folds one batch; returns the (possibly grown) selection buffer. */
    private int[] processScanBatch(Partial p, VectorEvaluator ev, ScanInput input, ScanBatch batch, int[] sel) {
        int rows = batch.root().getRowCount();
        if (sel.length < rows) {
            sel = new int[Math.max(rows, sel.length * 2)];
        }
        int n = batch.select(sel);
        rowsRead.addAndGet(n);
        input.reset(batch);
        processBatch(p, ev, input, sel, n);
        return sel;
    }

    private Partial newPartial() {
        Partial p = new Partial();
        if (plan.aggregate()) {
            p.aggregation = new AggregationState(plan.groupKeys(), plan.aggregates());
        } else {
            p.rows = new RowCollector(plan.outputs(), plan.orderBy(), plan.limit(), plan.offset(), topN);
        }
        return p;
    }

    /** SELECT without FROM: one row with no columns. */
    private void processWithoutTable(Partial p, VectorEvaluator ev, ScanInput input) {
        input.reset(null);
        processBatch(p, ev, input, new int[] {0}, 1);
    }

    private void processBatch(Partial p, VectorEvaluator ev, Input input, int[] sel, int n) {
        for (Expr f : plan.filters()) {
            if (n == 0) {
                return;
            }
            n = ev.filter(f, input, sel, n);
        }
        if (p.aggregation != null) {
            p.aggregation.add(ev, input, sel, n);
            return;
        }
        int before = p.rows.size();
        p.rows.add(ev, input, sel, n);
        long total = rowsCollected.addAndGet(p.rows.size() - before);
        if (plan.orderBy().isEmpty() && plan.hasLimit() && total >= plan.limit() + plan.offset()) {
            stop.set(true);
        }
        checkResultSize(total);
    }

    /**
     * Fails the query once more rows are held than the engine allows; a query whose LIMIT (plus
     * OFFSET) is within the limit is never refused, whatever its workers hold for a moment.
     */
    private void checkResultSize(long held) {
        boolean bounded = plan.hasLimit() && plan.limit() + plan.offset() <= maxResultRows;
        if (!bounded && held > maxResultRows) {
            throw new QueryException(
                    QueryException.RESULT_TOO_LARGE,
                    "the result has more than " + maxResultRows + " rows; add a LIMIT or a more selective WHERE");
        }
    }

    private List<Object[]> finish(List<Partial> partials) {
        Partial first = partials.get(0);
        if (first.rows != null) {
            for (int i = 1; i < partials.size(); i++) {
                first.rows.addAll(partials.get(i).rows);
            }
            return first.rows.finish(plan.limit(), plan.offset());
        }
        AggregationState agg = first.aggregation;
        for (int i = 1; i < partials.size(); i++) {
            agg.merge(partials.get(i).aggregation);
        }
        int groups = agg.groups();
        Input post = Input.of(groups, agg.postSlots());
        int[] sel = new int[groups];
        for (int g = 0; g < groups; g++) {
            sel[g] = g;
        }
        VectorEvaluator ev = new VectorEvaluator();
        int n = groups;
        if (plan.having() != null) {
            n = ev.filter(plan.having(), post, sel, n);
        }
        RowCollector collector = new RowCollector(plan.outputs(), plan.orderBy(), plan.limit(), plan.offset());
        collector.add(ev, post, sel, n);
        checkResultSize(collector.size());
        return collector.finish(plan.limit(), plan.offset());
    }
}
