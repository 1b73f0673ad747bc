package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import java.util.Arrays;

/**
 * The literals of an IN list, ready for membership tests against vector rows: integers sorted for
 * binary search (linear scan for up to 8), doubles with DuckDB's equality, strings as UTF-8 bytes.
 * NULL members only make a miss NULL ({@link #hasNull()}). Immutable.
 */
final class InListSet {
    private final boolean hasNull;
    private final long[] longs;
    private final double[] doubles;
    private final byte[][] bytes;
    private final boolean[] bools;

    InListSet(java.util.List<Expr.Literal> values) {
        boolean nul = false;
        java.util.List<Expr.Literal> nonNull = new java.util.ArrayList<>();
        for (Expr.Literal l : values) {
            if (l.isNull()) {
                nul = true;
            } else {
                nonNull.add(l);
            }
        }
        hasNull = nul;
        ColumnType t = values.get(0).type();
        int m = nonNull.size();
        longs = SqlTypes.isLong(t) ? new long[m] : null;
        doubles = t == ColumnType.FLOAT64 ? new double[m] : null;
        bytes = SqlTypes.isBytes(t) ? new byte[m][] : null;
        bools = t == ColumnType.BOOLEAN ? new boolean[m] : null;
        for (int j = 0; j < m; j++) {
            Expr.Literal l = nonNull.get(j);
            if (longs != null) {
                longs[j] = (Long) l.value();
            } else if (doubles != null) {
                doubles[j] = (Double) l.value();
            } else if (bytes != null) {
                bytes[j] = VectorEvaluator.literalBytes(l);
            } else {
                bools[j] = (Boolean) l.value();
            }
        }
        if (longs != null) {
            Arrays.sort(longs);
        }
    }

    boolean contains(Vec a, int i) {
        if (longs != null) {
            long v = ((LongVec) a).values[i];
            return longs.length <= 8 ? linear(v) : Arrays.binarySearch(longs, v) >= 0;
        } else if (doubles != null) {
            double v = ((DoubleVec) a).values[i];
            for (double d : doubles) {
                if (ValueOrder.compareDoubles(v, d) == 0) {
                    return true;
                }
            }
            return false;
        } else if (bytes != null) {
            BytesVec b = (BytesVec) a;
            b.load(i);
            for (byte[] x : bytes) {
                if (Arrays.equals(b.buf, b.off, b.off + b.len, x, 0, x.length)) {
                    return true;
                }
            }
            return false;
        }
        boolean v = ((BoolVec) a).values[i];
        for (boolean x : bools) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private boolean linear(long v) {
        for (long x : longs) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    boolean hasNull() {
        return hasNull;
    }
}
