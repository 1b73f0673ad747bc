package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * SUM and AVG of integers, exact: each group keeps a 128-bit sum (two longs, like DuckDB's HUGEINT)
 * and a count. SUM's result is BIGINT; a sum outside BIGINT's range fails with
 * {@code out_of_range} (DuckDB would answer a HUGEINT). AVG divides the exact sum in double. Not
 * thread-safe.
 */
final class SumLongAccumulator extends Accumulator {
    private final boolean average;
    private long[] lo = new long[0];
    private long[] hi = new long[0];
    private long[] counts = new long[0];

    SumLongAccumulator(boolean average) {
        this.average = average;
    }

    @Override
    void ensure(int groups) {
        if (lo.length < groups) {
            int cap = grow(lo.length, groups);
            lo = Arrays.copyOf(lo, cap);
            hi = Arrays.copyOf(hi, cap);
            counts = Arrays.copyOf(counts, cap);
        }
    }

    @Override
    void update(Vec arg, int[] sel, int n, int[] gids) {
        long[] v = ((Vec.LongVec) arg).values;
        boolean[] nulls = arg.nulls;
        long[] l = lo;
        long[] h = hi;
        long[] c = counts;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (nulls != null && nulls[i]) {
                continue;
            }
            int g = gids[k];
            long x = v[i];
            long old = l[g];
            long sum = old + x;
            l[g] = sum;
            // 128-bit add of sign-extended x: carry out of the low word, plus x's sign word
            h[g] += (x >> 63) + (Long.compareUnsigned(sum, old) < 0 ? 1 : 0);
            c[g]++;
        }
    }

    @Override
    void merge(Accumulator other, int[] map, int otherGroups) {
        SumLongAccumulator o = (SumLongAccumulator) other;
        for (int g = 0; g < otherGroups; g++) {
            int t = map[g];
            long old = lo[t];
            long sum = old + o.lo[g];
            lo[t] = sum;
            hi[t] += o.hi[g] + (Long.compareUnsigned(sum, old) < 0 ? 1 : 0);
            counts[t] += o.counts[g];
        }
    }

    @Override
    Vec result(int groups) {
        boolean[] nulls = new boolean[groups];
        if (average) {
            double[] out = new double[groups];
            for (int g = 0; g < groups; g++) {
                if (counts[g] == 0) {
                    nulls[g] = true;
                } else if (fitsLong(g)) {
                    out[g] = (double) lo[g] / counts[g];
                } else {
                    out[g] = big(g).doubleValue() / counts[g];
                }
            }
            return new Vec.DoubleVec(out, nulls);
        }
        long[] out = new long[groups];
        for (int g = 0; g < groups; g++) {
            if (counts[g] == 0) {
                nulls[g] = true;
            } else if (fitsLong(g)) {
                out[g] = lo[g];
            } else {
                throw new QueryException(QueryException.OUT_OF_RANGE, "SUM " + big(g) + " is out of BIGINT range");
            }
        }
        return new Vec.LongVec(ColumnType.INT64, out, nulls);
    }

    private boolean fitsLong(int g) {
        return hi[g] == (lo[g] >> 63);
    }

    private BigInteger big(int g) {
        return BigInteger.valueOf(hi[g]).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo[g])));
    }
}
