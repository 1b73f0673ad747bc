package io.river.engine.query;

import io.river.engine.query.LogicalPlan.SortKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Materializes result rows from evaluated batches and applies ORDER BY, OFFSET and LIMIT. Each
 * row holds the output values followed by any sort keys that are not outputs. With ORDER BY and
 * LIMIT it keeps only the best {@code offset + limit} rows in a bounded heap (top-N, no full
 * sort), and builds a row's outputs only when its sort keys beat the heap's worst. Not
 * thread-safe: one per worker; partial collectors are merged with {@link #addAll}.
 */
final class RowCollector {
    private final List<Expr> outputs;
    private final List<Expr> hidden = new ArrayList<>();
    private final int[] keyPositions;
    private final Comparator<Object[]> order;
    private final SortKey firstKey;
    private final long needed;
    private final List<Object[]> rows = new ArrayList<>();
    private final PriorityQueue<Object[]> heap;
    private final TopNBound bound;
    // The heap's worst first sort key as a primitive (see refreshBar); valid while barSet.
    private boolean barSet;
    private double dBar;
    private long lBar;

    RowCollector(List<Expr> outputs, List<SortKey> orderBy, long limit, long offset) {
        this(outputs, orderBy, limit, offset, null);
    }

    /** {@code bound}: where to publish the heap's worst first key for block skipping, or null. */
    RowCollector(List<Expr> outputs, List<SortKey> orderBy, long limit, long offset, TopNBound bound) {
        this.outputs = outputs;
        this.bound = bound;
        keyPositions = new int[orderBy.size()];
        for (int k = 0; k < orderBy.size(); k++) {
            Expr e = orderBy.get(k).expr();
            int pos = outputs.indexOf(e);
            if (pos < 0) {
                pos = outputs.size() + hidden.size();
                hidden.add(e);
            }
            keyPositions[k] = pos;
        }
        order = orderBy.isEmpty() ? null : ValueOrder.rows(orderBy, keyPositions);
        firstKey = orderBy.isEmpty() ? null : orderBy.get(0);
        needed = limit < 0 ? -1 : limit + offset;
        heap = order != null && needed >= 0 && needed < Integer.MAX_VALUE
                ? new PriorityQueue<>((int) Math.min(needed + 1, 1 << 16), order.reversed())
                : null;
    }

    /** True when no more rows can change the answer (LIMIT reached without ORDER BY). */
    boolean full() {
        return order == null && needed >= 0 && rows.size() >= needed;
    }

    int size() {
        return heap != null ? heap.size() : rows.size();
    }

    void add(VectorEvaluator ev, Input in, int[] sel, int n) {
        if (n == 0) {
            return;
        }
        int width = outputs.size() + hidden.size();
        // Columns are read lazily: with a top-N heap most rows lose on the first sort key alone, and
        // the other outputs are only needed for the rows that enter.
        Vec[] outs = new Vec[outputs.size()];
        Vec[] hid = new Vec[hidden.size()];
        Batch b = new Batch(ev, in, sel, n, outs, hid);
        if (heap == null) {
            b.all();
            for (int k = 0; k < n && !full(); k++) {
                rows.add(row(outs, hid, sel[k], width));
            }
            return;
        }
        if (needed == 0) {
            return;
        }
        int kp = keyPositions[0];
        Vec first = kp < outs.length ? b.out(kp) : b.hidden(kp - outs.length);
        boolean firstDesc = firstKey.descending();
        // The heap's worst first key as a primitive, refreshed whenever the heap changes: a row
        // strictly worse on it is rejected with one comparison (NaN never is: it takes the full path).
        double[] dv = first instanceof Vec.DoubleVec ? ((Vec.DoubleVec) first).values : null;
        long[] lv = first instanceof Vec.LongVec ? ((Vec.LongVec) first).values : null;
        boolean[] nulls = first.nulls;
        refreshBar(dv != null, lv != null);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (barSet && (nulls == null || !nulls[i])) {
                if (dv != null) {
                    double x = dv[i];
                    if (firstDesc ? x < dBar : x > dBar) {
                        continue;
                    }
                } else if (firstDesc ? lv[i] < lBar : lv[i] > lBar) {
                    continue;
                }
            }
            if (heap.size() < needed) {
                b.all();
                heap.add(row(outs, hid, i, width));
            } else {
                Object[] worst = heap.peek();
                // cheap pre-check on the first sort key as a primitive: most rows lose right here
                int quick = quickCompare(first, i, worst[kp], firstDesc);
                if (quick > 0) {
                    continue;
                }
                b.all();
                if (quick == 0) {
                    // tie or NULL on the first key: compare on all sort keys; build the row only if it enters
                    Object[] probe = new Object[width];
                    for (int p : keyPositions) {
                        probe[p] = p < outs.length ? outs[p].get(i) : hid[p - outs.length].get(i);
                    }
                    if (order.compare(probe, worst) >= 0) {
                        continue;
                    }
                }
                heap.poll();
                heap.add(row(outs, hid, i, width));
            }
            if (bound != null && heap.size() >= needed) {
                bound.offer(heap.peek()[kp]);
            }
            refreshBar(dv != null, lv != null);
        }
    }

    /**
     * Sets the primitive bar from the heap's worst first sort key once the heap is full: a row
     * strictly worse than it cannot enter. TIMESTAMP keys are whole epoch millis in a LongVec (and
     * Instants in rows). Unset while the heap is not full, or for a NULL or NaN worst key.
     */
    private void refreshBar(boolean doubles, boolean longs) {
        barSet = false;
        if (heap.size() < needed) {
            return;
        }
        Object w = heap.peek()[keyPositions[0]];
        if (doubles && w instanceof Double && !((Double) w).isNaN()) {
            dBar = (Double) w;
            barSet = true;
        } else if (longs && w != null) {
            lBar = SqlTypes.asLong(w);
            barSet = true;
        }
    }

    /** The evaluated outputs and hidden sort keys of one batch, each computed on first use. */
    private final class Batch {
        private final VectorEvaluator ev;
        private final Input in;
        private final int[] sel;
        private final int n;
        private final Vec[] outs;
        private final Vec[] hid;

        Batch(VectorEvaluator ev, Input in, int[] sel, int n, Vec[] outs, Vec[] hid) {
            this.ev = ev;
            this.in = in;
            this.sel = sel;
            this.n = n;
            this.outs = outs;
            this.hid = hid;
        }

        Vec out(int j) {
            if (outs[j] == null) {
                outs[j] = ev.eval(outputs.get(j), in, sel, n);
            }
            return outs[j];
        }

        Vec hidden(int j) {
            if (hid[j] == null) {
                hid[j] = ev.eval(hidden.get(j), in, sel, n);
            }
            return hid[j];
        }

        void all() {
            for (int j = 0; j < outs.length; j++) {
                out(j);
            }
            for (int j = 0; j < hid.length; j++) {
                hidden(j);
            }
        }
    }

    /**
     * Row i's first sort key against the heap's worst: negative if better, positive if worse, 0
     * when equal, NULL on either side, or not a number (decided by the full comparison).
     */
    private static int quickCompare(Vec v, int i, Object worst, boolean descending) {
        if (worst == null || v.isNull(i)) {
            return 0;
        }
        int c;
        if (v instanceof Vec.LongVec) {
            long w = SqlTypes.asLong(worst);
            c = Long.compare(((Vec.LongVec) v).values[i], w);
        } else if (v instanceof Vec.DoubleVec) {
            c = ValueOrder.compareDoubles(((Vec.DoubleVec) v).values[i], (Double) worst);
        } else {
            return 0;
        }
        return descending ? -c : c;
    }

    private static Object[] row(Vec[] outs, Vec[] hid, int i, int width) {
        Object[] r = new Object[width];
        for (int j = 0; j < outs.length; j++) {
            r[j] = outs[j].get(i);
        }
        for (int j = 0; j < hid.length; j++) {
            r[outs.length + j] = hid[j].get(i);
        }
        return r;
    }

    void addAll(RowCollector other) {
        List<Object[]> src = other.heap != null ? new ArrayList<>(other.heap) : other.rows;
        for (Object[] r : src) {
            if (heap != null) {
                if (heap.size() < needed) {
                    heap.add(r);
                } else if (order.compare(r, heap.peek()) < 0) {
                    heap.poll();
                    heap.add(r);
                }
            } else if (!full()) {
                rows.add(r);
            }
        }
    }

    /** The final rows: sorted, OFFSET and LIMIT applied, sort-only columns removed. */
    List<Object[]> finish(long limit, long offset) {
        List<Object[]> all = heap != null ? new ArrayList<>(heap) : rows;
        if (order != null) {
            all.sort(order);
        }
        int from = (int) Math.min(offset, all.size());
        int to = limit < 0 ? all.size() : (int) Math.min(all.size(), offset + limit);
        List<Object[]> out = new ArrayList<>(Math.max(0, to - from));
        int width = outputs.size();
        for (int r = from; r < to; r++) {
            Object[] row = all.get(r);
            out.add(row.length == width ? row : java.util.Arrays.copyOf(row, width));
        }
        return out;
    }
}
