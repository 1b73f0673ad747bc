package io.river.engine.query;

import io.river.engine.query.Expr.CmpOp;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.DictVec;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;

/**
 * Selection kernels: each narrows a selection vector {@code sel[0..n)} in place to the rows that
 * pass, writing them to its front in their original order, and returns how many remain. NULL rows
 * never pass. Unlike the comparison kernels ({@link ComparisonKernels}) they produce no BOOLEAN
 * vector. Stateless.
 */
final class SelectionKernels {
    private SelectionKernels() {}

    /**
     * A numeric column compared with a non-NULL constant, as a filter: narrows the selection in one
     * branch-free loop per operator, with no BOOLEAN vector in between. Returns the rows left, or
     * -1 when the predicate is not of that form (or the constant is a NaN).
     */
    static int columnAgainstConstant(Expr predicate, Input in, int[] sel, int n) {
        if (!(predicate instanceof Expr.Compare)) {
            return -1;
        }
        Expr.Compare c = (Expr.Compare) predicate;
        Expr left = c.left();
        Expr right = c.right();
        CmpOp op = c.op();
        if (left instanceof Expr.Literal) {
            Expr t = left;
            left = right;
            right = t;
            op = op.flip();
        }
        if (!(left instanceof Expr.ColumnRef) || !(right instanceof Expr.Literal) || ((Expr.Literal) right).isNull()) {
            return -1;
        }
        Object cst = ((Expr.Literal) right).value();
        Vec a = in.slot(((Expr.ColumnRef) left).slot());
        boolean[] nulls = a.nulls;
        if (a instanceof LongVec && cst instanceof Long) {
            return narrow(op, ((LongVec) a).values, (Long) cst, nulls, sel, n);
        }
        if (a instanceof DoubleVec && cst instanceof Double && !Double.isNaN((Double) cst)) {
            return narrow(op, ((DoubleVec) a).values, (Double) cst, nulls, sel, n);
        }
        return -1;
    }

    private static int narrow(CmpOp op, long[] a, long c, boolean[] nulls, int[] sel, int n) {
        int m = 0;
        if (nulls != null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                sel[m] = i;
                m += !nulls[i] && op.test(Long.compare(a[i], c)) ? 1 : 0;
            }
            return m;
        }
        switch (op) {
            case EQ:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] == c ? 1 : 0;
                }
                return m;
            case NE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] != c ? 1 : 0;
                }
                return m;
            case LT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] < c ? 1 : 0;
                }
                return m;
            case LE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] <= c ? 1 : 0;
                }
                return m;
            case GT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] > c ? 1 : 0;
                }
                return m;
            default:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] >= c ? 1 : 0;
                }
                return m;
        }
    }

    /** As {@link #narrow(CmpOp, long[], long, boolean[], int[], int)}; NaN values sort above c. */
    private static int narrow(CmpOp op, double[] a, double c, boolean[] nulls, int[] sel, int n) {
        int m = 0;
        if (nulls != null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                sel[m] = i;
                m += !nulls[i] && op.test(ValueOrder.compareDoubles(a[i], c)) ? 1 : 0;
            }
            return m;
        }
        switch (op) {
            case EQ:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] == c ? 1 : 0;
                }
                return m;
            case NE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] != c ? 1 : 0;
                }
                return m;
            case LT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] < c ? 1 : 0;
                }
                return m;
            case LE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] <= c ? 1 : 0;
                }
                return m;
            case GT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += !(a[i] <= c) ? 1 : 0;
                }
                return m;
            default:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += !(a[i] < c) ? 1 : 0;
                }
                return m;
        }
    }

    /** Keeps the rows of a dictionary-encoded column whose code's answer is TRUE (1); NULL rows go. */
    static int byCodeAnswers(DictVec coded, byte[] answers, int[] sel, int n) {
        int[] codes = coded.codes;
        boolean[] nulls = coded.nulls;
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (answers[codes[i]] == 1 && (nulls == null || !nulls[i])) {
                sel[m++] = i;
            }
        }
        return m;
    }

    /** Keeps the rows where {@code b} is TRUE (not FALSE, not NULL). */
    static int trueRows(BoolVec b, int[] sel, int n) {
        int m = 0;
        if (b.nulls == null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (b.values[i]) {
                    sel[m++] = i;
                }
            }
        } else {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (b.values[i] && !b.nulls[i]) {
                    sel[m++] = i;
                }
            }
        }
        return m;
    }
}
