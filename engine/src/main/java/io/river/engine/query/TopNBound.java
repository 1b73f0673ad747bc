package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.LogicalPlan.SortKey;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running bound of a top-N query ({@code ORDER BY <numeric or timestamp column> [ASC|DESC]
 * LIMIT n}, no aggregation): once some worker holds {@code offset + limit} rows, the first sort key
 * of its worst row is a bar no row below it can pass, so a block whose zone map puts every value of
 * that column strictly below the bar (above, for ASC), or that holds only NULLs in it (NULLS LAST),
 * cannot change the answer and is skipped before it is decoded. With later sort keys the bar is
 * strict, which keeps ties (decided by those keys) exact; with the first key alone, SQL leaves the
 * choice among rows tied at the bar open, so a block whose values all equal the bar or fall below
 * it is skipped too (the workers already hold enough rows at least as good). WHERE filters and
 * upsert selections only remove rows, so a skipped block never held a winner. The scan reads the
 * blocks whose zone maps promise the best values first ({@link #readRank}), so the bar is high after
 * a few blocks whatever the table's row order. The bound only tightens, shared by all workers of one
 * query. Thread-safe.
 */
final class TopNBound {
    private final String column;
    private final boolean descending;
    /** True when ties at the bar are decided by later sort keys (so blocks reaching the bar are kept). */
    private final boolean strict;

    private final AtomicReference<Number> bar = new AtomicReference<>();

    private TopNBound(String column, boolean descending, boolean strict) {
        this.column = column;
        this.descending = descending;
        this.strict = strict;
    }

    /** The bound for this plan, or null when the plan is not a top-N on a column zone maps know. */
    static TopNBound of(LogicalPlan plan) {
        if (plan.aggregate() || !plan.hasLimit() || plan.orderBy().isEmpty() || plan.limit() + plan.offset() <= 0) {
            return null;
        }
        SortKey first = plan.orderBy().get(0);
        if (first.nullsFirst() || !(first.expr() instanceof Expr.ColumnRef)) {
            return null;
        }
        Expr.ColumnRef ref = (Expr.ColumnRef) first.expr();
        ColumnType t = ref.type();
        if (t != ColumnType.INT32 && t != ColumnType.INT64 && t != ColumnType.FLOAT64 && t != ColumnType.TIMESTAMP) {
            return null;
        }
        return new TopNBound(ref.name(), first.descending(), plan.orderBy().size() > 1);
    }

    /**
     * A worker's heap is full and its worst row's first sort key is {@code worst}: no row worse than
     * that can be in the answer. Null or NaN tell nothing and are ignored.
     */
    void offer(Object worst) {
        Number w = worst == null || worst instanceof Number ? (Number) worst : (Number) SqlTypes.asLong(worst);
        if (w == null || w instanceof Double && ((Double) w).isNaN()) {
            return;
        }
        // A timestamp bar is floored to millis like the zone maps, which keeps skipping conservative.
        while (true) {
            Number current = bar.get();
            if (current != null && !(descending ? less(current, w) : less(w, current))) {
                return;
            }
            if (bar.compareAndSet(current, w)) {
                return;
            }
        }
    }

    /** False when no row of the block can enter the answer any more. */
    boolean mayHold(BlockStats stats) {
        Number w = bar.get();
        if (w == null) {
            return true;
        }
        if (stats.lacksColumn(column)) {
            return false; // only NULLs there, and NULLs sort last
        }
        ColumnStats cs = stats.column(column);
        if (cs == null) {
            return true; // unknown (a memtable slice)
        }
        Object edge = descending ? cs.max() : cs.min();
        if (edge == null) {
            return cs.nullCount() < stats.rowCount(); // only NULLs: out; otherwise unknown: keep
        }
        if (!(edge instanceof Number)) {
            return true;
        }
        Number e = (Number) edge;
        if (strict) {
            return descending ? !less(e, w) : !less(w, e);
        }
        return descending ? less(w, e) || unordered(e, w) : less(e, w) || unordered(e, w);
    }

    /**
     * How promising a block is, lower first: the negated largest value of the column for DESC, the
     * smallest for ASC, so the blocks read first set a high bar early. A block without known values
     * of the column (a memtable slice, no zone map, only NULLs) ranks last; so does NaN.
     */
    double readRank(BlockStats stats) {
        ColumnStats cs = stats.column(column);
        Object edge = cs == null ? null : descending ? cs.max() : cs.min();
        if (!(edge instanceof Number)) {
            return Double.POSITIVE_INFINITY;
        }
        double v = ((Number) edge).doubleValue();
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : descending ? -v : v;
    }

    /** True when either is NaN (nothing is known, so the block is kept). */
    private static boolean unordered(Number a, Number b) {
        return a instanceof Double && ((Double) a).isNaN() || b instanceof Double && ((Double) b).isNaN();
    }

    /** Strictly a < b; false when either is NaN. Integral values compare exactly. */
    private static boolean less(Number a, Number b) {
        if (integral(a) && integral(b)) {
            return a.longValue() < b.longValue();
        }
        return a.doubleValue() < b.doubleValue();
    }

    private static boolean integral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }
}
