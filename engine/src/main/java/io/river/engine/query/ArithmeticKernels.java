package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;

/**
 * Arithmetic over vectors with DuckDB's rules: DOUBLE follows IEEE-754 ({@code 1/0} is Infinity,
 * {@code %} is fmod); INTEGER and BIGINT {@code + - *} fail with {@code out_of_range} on overflow,
 * and integer {@code %} by zero fails, but only for rows that are selected and not NULL.
 * Stateless.
 */
final class ArithmeticKernels {
    private ArithmeticKernels() {}

    /** {@code a op b} for the rows in {@code sel}; integer results are checked for overflow. */
    static Vec arith(Expr.Arith e, Vec a, Vec b, int rows, int[] sel, int n) {
        boolean[] nulls = BooleanKernels.orNulls(a.nulls, b.nulls, rows, sel, n);
        if (e.type() == ColumnType.FLOAT64) {
            double[] av = ((DoubleVec) a).values;
            double[] bv = ((DoubleVec) b).values;
            DoubleVec out = new DoubleVec(rows);
            double[] o = out.values;
            switch (e.op()) {
                case ADD:
                    for (int k = 0; k < n; k++) {
                        int i = sel[k];
                        o[i] = av[i] + bv[i];
                    }
                    break;
                case SUB:
                    for (int k = 0; k < n; k++) {
                        int i = sel[k];
                        o[i] = av[i] - bv[i];
                    }
                    break;
                case MUL:
                    for (int k = 0; k < n; k++) {
                        int i = sel[k];
                        o[i] = av[i] * bv[i];
                    }
                    break;
                case DIV:
                    for (int k = 0; k < n; k++) {
                        int i = sel[k];
                        o[i] = av[i] / bv[i];
                    }
                    break;
                default:
                    for (int k = 0; k < n; k++) {
                        int i = sel[k];
                        o[i] = av[i] % bv[i];
                    }
            }
            out.nulls = nulls;
            return out;
        }
        long[] av = ((LongVec) a).values;
        long[] bv = ((LongVec) b).values;
        LongVec out = new LongVec(e.type(), rows);
        long[] o = out.values;
        boolean int32 = e.type() == ColumnType.INT32;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (nulls != null && nulls[i]) {
                continue;
            }
            long x = av[i];
            long y = bv[i];
            long r;
            switch (e.op()) {
                case ADD:
                    r = x + y;
                    if (int32 ? r != (int) r : ((x ^ r) & (y ^ r)) < 0) {
                        throw overflow(e, x, y);
                    }
                    break;
                case SUB:
                    r = x - y;
                    if (int32 ? r != (int) r : ((x ^ y) & (x ^ r)) < 0) {
                        throw overflow(e, x, y);
                    }
                    break;
                case MUL:
                    if (int32) {
                        r = x * y;
                        if (r != (int) r) {
                            throw overflow(e, x, y);
                        }
                    } else {
                        long hi = Math.multiplyHigh(x, y);
                        r = x * y;
                        if ((hi != 0 || r < 0) && (hi != -1 || r >= 0)) {
                            throw overflow(e, x, y);
                        }
                    }
                    break;
                case MOD:
                    if (y == 0) {
                        throw new QueryException(
                                QueryException.OUT_OF_RANGE, "Division by zero in expression (" + x + " % " + y + ")");
                    }
                    r = y == -1 ? 0 : x % y;
                    break;
                default:
                    throw new IllegalStateException("integer " + e.op());
            }
            o[i] = r;
        }
        out.nulls = nulls;
        return out;
    }

    private static QueryException overflow(Expr.Arith e, long x, long y) {
        String t = e.type() == ColumnType.INT32 ? "INT32" : "INT64";
        return new QueryException(
                QueryException.OUT_OF_RANGE,
                "Overflow in " + e.op().noun + " of " + t + " (" + x + " " + e.op().symbol + " " + y + ")");
    }

    static Vec negate(Vec a, int rows, int[] sel, int n) {
        if (a instanceof DoubleVec) {
            DoubleVec out = new DoubleVec(rows);
            double[] av = ((DoubleVec) a).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = -av[i];
            }
            out.nulls = a.nulls;
            return out;
        }
        LongVec out = new LongVec(a.type, rows);
        long[] av = ((LongVec) a).values;
        long min = a.type == ColumnType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (av[i] == min && !a.isNull(i)) {
                throw new QueryException(
                        QueryException.OUT_OF_RANGE,
                        "Overflow in negation of " + (a.type == ColumnType.INT32 ? "INT32" : "INT64") + " (" + av[i]
                                + ")");
            }
            out.values[i] = -av[i];
        }
        out.nulls = a.nulls;
        return out;
    }

    /** Numeric widening: INT32 to INT64 (same values, new type) or an integer to DOUBLE. */
    static Vec cast(Vec a, ColumnType target, int rows, int[] sel, int n) {
        if (a.type == target) {
            return a;
        }
        if (target != ColumnType.FLOAT64) {
            return new LongVec(target, ((LongVec) a).values, a.nulls);
        }
        DoubleVec out = new DoubleVec(rows);
        long[] av = ((LongVec) a).values;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            out.values[i] = av[i];
        }
        out.nulls = a.nulls;
        return out;
    }
}
