package io.river.engine.query;

import io.river.engine.query.Vec.BoolVec;

/**
 * SQL's three-valued logic over BOOLEAN vectors: AND is FALSE when either side is FALSE, else NULL
 * when either is NULL; OR is TRUE when either side is TRUE, else NULL when either is NULL; NOT keeps
 * NULL. Results cover the selected rows only. Stateless.
 */
final class BooleanKernels {
    private BooleanKernels() {}

    static BoolVec and(Vec av, Vec bv, int rows, int[] sel, int n) {
        BoolVec a = (BoolVec) av;
        BoolVec b = (BoolVec) bv;
        BoolVec out = new BoolVec(rows);
        if (a.nulls == null && b.nulls == null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = a.values[i] & b.values[i];
            }
            return out;
        }
        boolean[] nulls = new boolean[rows];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            boolean an = a.isNull(i);
            boolean bn = b.isNull(i);
            boolean aFalse = !an && !a.values[i];
            boolean bFalse = !bn && !b.values[i];
            if (aFalse || bFalse) {
                out.values[i] = false;
            } else if (an || bn) {
                nulls[i] = true;
            } else {
                out.values[i] = true;
            }
        }
        out.nulls = nulls;
        return out;
    }

    static BoolVec or(Vec av, Vec bv, int rows, int[] sel, int n) {
        BoolVec a = (BoolVec) av;
        BoolVec b = (BoolVec) bv;
        BoolVec out = new BoolVec(rows);
        if (a.nulls == null && b.nulls == null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = a.values[i] | b.values[i];
            }
            return out;
        }
        boolean[] nulls = new boolean[rows];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            boolean an = a.isNull(i);
            boolean bn = b.isNull(i);
            boolean aTrue = !an && a.values[i];
            boolean bTrue = !bn && b.values[i];
            if (aTrue || bTrue) {
                out.values[i] = true;
            } else if (an || bn) {
                nulls[i] = true;
            }
        }
        out.nulls = nulls;
        return out;
    }

    /** The union of two NULL masks over the selected rows (either may be null: no NULLs). */
    static boolean[] orNulls(boolean[] a, boolean[] b, int rows, int[] sel, int n) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        boolean[] out = new boolean[rows];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            out[i] = a[i] | b[i];
        }
        return out;
    }

    static BoolVec not(BoolVec a, int rows, int[] sel, int n) {
        BoolVec out = new BoolVec(rows);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            out.values[i] = !a.values[i];
        }
        out.nulls = a.nulls;
        return out;
    }
}
