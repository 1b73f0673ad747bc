package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.util.Arrays;

/** COUNT(*) and COUNT(expr): a long per group. Not thread-safe. */
final class CountAccumulator extends Accumulator {
    private final boolean star;
    private long[] counts = new long[0];

    CountAccumulator(boolean star) {
        this.star = star;
    }

    @Override
    void ensure(int groups) {
        if (counts.length < groups) {
            counts = Arrays.copyOf(counts, grow(counts.length, groups));
        }
    }

    @Override
    void update(Vec arg, int[] sel, int n, int[] gids) {
        long[] c = counts;
        if (star || arg.nulls == null) {
            for (int k = 0; k < n; k++) {
                c[gids[k]]++;
            }
        } else {
            boolean[] nulls = arg.nulls;
            for (int k = 0; k < n; k++) {
                if (!nulls[sel[k]]) {
                    c[gids[k]]++;
                }
            }
        }
    }

    @Override
    void merge(Accumulator other, int[] map, int otherGroups) {
        long[] o = ((CountAccumulator) other).counts;
        for (int g = 0; g < otherGroups; g++) {
            counts[map[g]] += o[g];
        }
    }

    @Override
    Vec result(int groups) {
        return new Vec.LongVec(ColumnType.INT64, Arrays.copyOf(counts, groups), null);
    }
}
