package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.util.Arrays;

/** APPROX_COUNT_DISTINCT: a {@link HyperLogLog} per group over value hashes; NULLs are not counted. Not thread-safe. */
final class ApproxDistinctAccumulator extends Accumulator {
    private HyperLogLog[] sketches = new HyperLogLog[0];

    @Override
    void ensure(int groups) {
        if (sketches.length < groups) {
            sketches = Arrays.copyOf(sketches, grow(sketches.length, groups));
        }
    }

    @Override
    void update(Vec arg, int[] sel, int n, int[] gids) {
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (arg.isNull(i)) {
                continue;
            }
            sketch(gids[k]).add(ValueHashes.hash(arg, i));
        }
    }

    private HyperLogLog sketch(int g) {
        HyperLogLog s = sketches[g];
        if (s == null) {
            s = new HyperLogLog();
            sketches[g] = s;
        }
        return s;
    }

    @Override
    void merge(Accumulator other, int[] map, int otherGroups) {
        HyperLogLog[] o = ((ApproxDistinctAccumulator) other).sketches;
        for (int g = 0; g < otherGroups; g++) {
            if (o[g] != null) {
                sketch(map[g]).merge(o[g]);
            }
        }
    }

    @Override
    Vec result(int groups) {
        long[] out = new long[groups];
        for (int g = 0; g < groups; g++) {
            out[g] = sketches[g] == null ? 0 : sketches[g].estimate();
        }
        return new Vec.LongVec(ColumnType.INT64, out, null);
    }
}
