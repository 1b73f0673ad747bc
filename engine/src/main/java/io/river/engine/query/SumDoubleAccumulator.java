package io.river.engine.query;

import java.util.Arrays;

/** SUM and AVG of DOUBLE: a plain double sum and a count per group, as DuckDB sums. Not thread-safe. */
final class SumDoubleAccumulator extends Accumulator {
    private final boolean average;
    private double[] sums = new double[0];
    private long[] counts = new long[0];

    SumDoubleAccumulator(boolean average) {
        this.average = average;
    }

    @Override
    void ensure(int groups) {
        if (sums.length < groups) {
            int cap = grow(sums.length, groups);
            sums = Arrays.copyOf(sums, cap);
            counts = Arrays.copyOf(counts, cap);
        }
    }

    @Override
    void update(Vec arg, int[] sel, int n, int[] gids) {
        double[] v = ((Vec.DoubleVec) arg).values;
        boolean[] nulls = arg.nulls;
        double[] s = sums;
        long[] c = counts;
        if (nulls == null) {
            for (int k = 0; k < n; k++) {
                int g = gids[k];
                s[g] += v[sel[k]];
                c[g]++;
            }
            return;
        }
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (!nulls[i]) {
                int g = gids[k];
                s[g] += v[i];
                c[g]++;
            }
        }
    }

    @Override
    void merge(Accumulator other, int[] map, int otherGroups) {
        SumDoubleAccumulator o = (SumDoubleAccumulator) other;
        for (int g = 0; g < otherGroups; g++) {
            sums[map[g]] += o.sums[g];
            counts[map[g]] += o.counts[g];
        }
    }

    @Override
    Vec result(int groups) {
        double[] out = new double[groups];
        boolean[] nulls = new boolean[groups];
        for (int g = 0; g < groups; g++) {
            if (counts[g] == 0) {
                nulls[g] = true;
            } else {
                out[g] = average ? sums[g] / counts[g] : sums[g];
            }
        }
        return new Vec.DoubleVec(out, nulls);
    }
}
