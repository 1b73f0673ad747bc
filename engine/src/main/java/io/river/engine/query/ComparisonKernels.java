package io.river.engine.query;

import io.river.engine.query.Expr.CmpOp;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import java.util.Arrays;

/**
 * Comparison kernels: a BOOLEAN vector of {@code a op b} (or {@code a op constant}) for the
 * selected rows, NULL where an operand is NULL. Numbers compare by value (doubles in DuckDB's order,
 * {@link ValueOrder#compareDoubles}), strings and bytes as unsigned bytes, false before true. Both
 * operands share one type. Stateless.
 */
final class ComparisonKernels {
    private ComparisonKernels() {}

    /** {@code a op constant} for a non-NULL constant (a Java value of a's type, bytes for STRING/BYTES). */
    static BoolVec compareToConstant(CmpOp op, Vec a, Object constant, int rows, int[] sel, int n) {
        BoolVec out = new BoolVec(rows);
        out.nulls = a.nulls;
        if (a instanceof LongVec) {
            compareConst(op, ((LongVec) a).values, (Long) constant, out.values, sel, n);
        } else if (a instanceof DoubleVec) {
            double cst = (Double) constant;
            double[] av = ((DoubleVec) a).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(ValueOrder.compareDoubles(av[i], cst));
            }
        } else if (a instanceof BytesVec) {
            BytesVec bv = (BytesVec) a;
            byte[] cst = (byte[]) constant;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (!bv.isNull(i)) {
                    bv.load(i);
                    out.values[i] =
                            op.test(Arrays.compareUnsigned(bv.buf, bv.off, bv.off + bv.len, cst, 0, cst.length));
                }
            }
        } else {
            boolean cst = (Boolean) constant;
            boolean[] av = ((BoolVec) a).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(Boolean.compare(av[i], cst));
            }
        }
        return out;
    }

    /** {@code a op b}, row by row. */
    static BoolVec compare(CmpOp op, Vec a, Vec b, int rows, int[] sel, int n) {
        BoolVec out = new BoolVec(rows);
        out.nulls = BooleanKernels.orNulls(a.nulls, b.nulls, rows, sel, n);
        if (a instanceof LongVec) {
            long[] av = ((LongVec) a).values;
            long[] bv = ((LongVec) b).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(Long.compare(av[i], bv[i]));
            }
        } else if (a instanceof DoubleVec) {
            double[] av = ((DoubleVec) a).values;
            double[] bv = ((DoubleVec) b).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(ValueOrder.compareDoubles(av[i], bv[i]));
            }
        } else if (a instanceof BytesVec) {
            BytesVec av = (BytesVec) a;
            BytesVec bv = (BytesVec) b;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (!av.isNull(i) && !bv.isNull(i)) {
                    av.load(i);
                    bv.load(i);
                    out.values[i] = op.test(
                            Arrays.compareUnsigned(av.buf, av.off, av.off + av.len, bv.buf, bv.off, bv.off + bv.len));
                }
            }
        } else {
            boolean[] av = ((BoolVec) a).values;
            boolean[] bv = ((BoolVec) b).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(Boolean.compare(av[i], bv[i]));
            }
        }
        return out;
    }

    /** The hot filter kernel: one loop per operator so the JIT sees a plain compare. */
    private static void compareConst(CmpOp op, long[] a, long c, boolean[] out, int[] sel, int n) {
        switch (op) {
            case EQ:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] == c;
                }
                break;
            case NE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] != c;
                }
                break;
            case LT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] < c;
                }
                break;
            case LE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] <= c;
                }
                break;
            case GT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] > c;
                }
                break;
            default:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] >= c;
                }
        }
    }
}
