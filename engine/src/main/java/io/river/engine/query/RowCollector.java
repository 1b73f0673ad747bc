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

    RowCollector(List<Expr> outputs, List<SortKey> orderBy, long limit, long offset) {
        this.outputs = outputs;
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
                ? new PriorityQueue<>((int) Math.min(needed + 1, 1 << 16), order.reversed()) : null;
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
        Vec[] outs = new Vec[outputs.size()];
        for (int j = 0; j < outs.length; j++) {
            outs[j] = ev.eval(outputs.get(j), in, sel, n);
        }
        Vec[] hid = new Vec[hidden.size()];
        for (int j = 0; j < hid.length; j++) {
            hid[j] = ev.eval(hidden.get(j), in, sel, n);
        }
        if (heap == null) {
            for (int k = 0; k < n && !full(); k++) {
                rows.add(row(outs, hid, sel[k], width));
            }
            return;
        }
        if (needed == 0) {
            return;
        }
        Vec first = keyPositions[0] < outs.length ? outs[keyPositions[0]] : hid[keyPositions[0] - outs.length];
        boolean firstDesc = firstKey.descending();
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (heap.size() < needed) {
                heap.add(row(outs, hid, i, width));
                continue;
            }
            // cheap pre-check on the first sort key as a primitive: most rows lose right here
            int quick = quickCompare(first, i, heap.peek()[keyPositions[0]], firstDesc);
            if (quick > 0) {
                continue;
            }
            if (quick == 0) {
                // tie or NULL on the first key: compare on all sort keys; build the row only if it enters
                Object[] probe = new Object[width];
                for (int p : keyPositions) {
                    probe[p] = p < outs.length ? outs[p].get(i) : hid[p - outs.length].get(i);
                }
                if (order.compare(probe, heap.peek()) >= 0) {
                    continue;
                }
            }
            heap.poll();
            heap.add(row(outs, hid, i, width));
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
            long w = worst instanceof java.time.Instant ? ((java.time.Instant) worst).toEpochMilli() : ((Number) worst).longValue();
            c = Long.compare(((Vec.LongVec) v).values[i], w);
        } else if (v instanceof Vec.DoubleVec) {
            c = VectorEvaluator.compareDoubles(((Vec.DoubleVec) v).values[i], (Double) worst);
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
