package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;

/**
 * Numeric scalar functions with DuckDB's rules: {@code abs} keeps its argument's type (the most
 * negative integer fails with {@code out_of_range}); {@code round(x)} and {@code round(x, p)} round
 * half away from zero, keep an integer argument's type (a negative {@code p} rounds to tens,
 * hundreds, ..., failing on overflow) and give DOUBLE for DOUBLE (a result that is not finite gives
 * {@code x} back, or 0 for a negative {@code p}); {@code floor} and {@code ceil} give DOUBLE. NULL
 * in, NULL out. Stateless.
 */
final class MathKernels {
    private MathKernels() {}

    static Vec abs(Vec a, int rows, int[] sel, int n) {
        if (a instanceof DoubleVec) {
            double[] av = ((DoubleVec) a).values;
            DoubleVec out = new DoubleVec(rows);
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = Math.abs(av[i]);
            }
            out.nulls = a.nulls;
            return out;
        }
        LongVec la = (LongVec) a;
        LongVec out = new LongVec(a.type, rows);
        long min = a.type == ColumnType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            long v = la.values[i];
            if (v == min && !a.isNull(i)) {
                throw new QueryException(QueryException.OUT_OF_RANGE, "Overflow on abs(" + v + ")");
            }
            out.values[i] = Math.abs(v);
        }
        out.nulls = a.nulls;
        return out;
    }

    static Vec floor(Vec a, int rows, int[] sel, int n) {
        return roundToDouble(a, rows, sel, n, true);
    }

    static Vec ceil(Vec a, int rows, int[] sel, int n) {
        return roundToDouble(a, rows, sel, n, false);
    }

    private static Vec roundToDouble(Vec a, int rows, int[] sel, int n, boolean down) {
        DoubleVec out = new DoubleVec(rows);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            double v = a instanceof DoubleVec ? ((DoubleVec) a).values[i] : ((LongVec) a).values[i];
            out.values[i] = down ? Math.floor(v) : Math.ceil(v);
        }
        out.nulls = a.nulls;
        return out;
    }

    /** {@code round(a, p)}; {@code precision} is null for {@code round(a)}. */
    static Vec round(Vec a, Vec precision, int rows, int[] sel, int n) {
        boolean[] nulls = precision == null ? a.nulls : BooleanKernels.orNulls(a.nulls, precision.nulls, rows, sel, n);
        long[] p = precision == null ? null : ((LongVec) precision).values;
        if (a instanceof DoubleVec) {
            double[] av = ((DoubleVec) a).values;
            DoubleVec out = new DoubleVec(rows);
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = p == null ? roundDouble(av[i]) : roundDouble(av[i], p[i]);
            }
            out.nulls = nulls;
            return out;
        }
        LongVec la = (LongVec) a;
        LongVec out = new LongVec(a.type, rows);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            boolean isNull = nulls != null && nulls[i];
            out.values[i] = p == null || isNull ? la.values[i] : roundInteger(la.values[i], p[i], a.type);
        }
        out.nulls = nulls;
        return out;
    }

    /** C's {@code round}: half away from zero; NaN and infinities unchanged. */
    static double roundHalfAway(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        double t = Math.floor(Math.abs(x));
        if (Math.abs(x) - t >= 0.5) {
            t += 1;
        }
        return Math.copySign(t, x);
    }

    private static double roundDouble(double x) {
        return roundHalfAway(x);
    }

    private static double roundDouble(double x, long precision) {
        if (precision < 0) {
            double modifier = Math.pow(10, -precision);
            double r = roundHalfAway(x / modifier) * modifier;
            return Double.isNaN(r) || Double.isInfinite(r) ? 0 : r;
        }
        double modifier = Math.pow(10, precision);
        double r = roundHalfAway(x * modifier) / modifier;
        return Double.isNaN(r) || Double.isInfinite(r) ? x : r;
    }

    /** An integer rounded half away from zero to a multiple of 10^-precision (unchanged for precision >= 0). */
    private static long roundInteger(long x, long precision, ColumnType type) {
        if (precision >= 0) {
            return x;
        }
        if (precision <= -19) {
            return 0;
        }
        long power = 1;
        for (long d = 0; d < -precision; d++) {
            power *= 10;
        }
        long rem = x % power;
        long down = x - rem;
        long r = down;
        try {
            if (Math.abs(rem) * 2 >= power) {
                r = Math.addExact(down, x < 0 ? -power : power);
            }
        } catch (ArithmeticException e) {
            throw overflow();
        }
        if (type == ColumnType.INT32 && r != (int) r) {
            throw overflow();
        }
        return r;
    }

    private static QueryException overflow() {
        return new QueryException(QueryException.OUT_OF_RANGE, "Overflow in ROUND of integer");
    }
}
