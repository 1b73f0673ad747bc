package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.AggregateCall.Function;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * COUNT/SUM/AVG(DISTINCT x): the exact set of distinct non-NULL values per group (longs, double
 * bits or byte strings), merged by union; the aggregate is computed from the set at the end. Not
 * thread-safe.
 */
final class DistinctAccumulator extends Accumulator {
    private final Function function;
    private final ColumnType argType;
    private final ColumnType resultType;
    private final boolean bytes;
    private Object[] sets = new Object[0];

    DistinctAccumulator(Function function, ColumnType argType, ColumnType resultType) {
        this.function = function;
        this.argType = argType;
        this.resultType = resultType;
        this.bytes = SqlTypes.isBytes(argType);
    }

    @Override
    void ensure(int groups) {
        if (sets.length < groups) {
            sets = Arrays.copyOf(sets, grow(sets.length, groups));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void update(Vec arg, int[] sel, int n, int[] gids) {
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (arg.isNull(i)) {
                continue;
            }
            int g = gids[k];
            if (bytes) {
                Set<ByteBuffer> s = (Set<ByteBuffer>) sets[g];
                if (s == null) {
                    s = new HashSet<>();
                    sets[g] = s;
                }
                Vec.BytesVec b = (Vec.BytesVec) arg;
                b.load(i);
                ByteBuffer probe = ByteBuffer.wrap(b.buf, b.off, b.len);
                if (!s.contains(probe)) {
                    s.add(ByteBuffer.wrap(Arrays.copyOfRange(b.buf, b.off, b.off + b.len)));
                }
            } else {
                LongHashSet s = (LongHashSet) sets[g];
                if (s == null) {
                    s = new LongHashSet();
                    sets[g] = s;
                }
                s.add(ValueHashes.longKey(arg, i));
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void merge(Accumulator other, int[] map, int otherGroups) {
        Object[] o = ((DistinctAccumulator) other).sets;
        for (int g = 0; g < otherGroups; g++) {
            if (o[g] == null) {
                continue;
            }
            int t = map[g];
            if (sets[t] == null) {
                sets[t] = o[g];
            } else if (bytes) {
                ((Set<ByteBuffer>) sets[t]).addAll((Set<ByteBuffer>) o[g]);
            } else {
                ((LongHashSet) sets[t]).addAll((LongHashSet) o[g]);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    Vec result(int groups) {
        if (function == Function.COUNT) {
            long[] out = new long[groups];
            for (int g = 0; g < groups; g++) {
                Object s = sets[g];
                out[g] = s == null ? 0 : bytes ? ((Set<ByteBuffer>) s).size() : ((LongHashSet) s).size();
            }
            return new Vec.LongVec(ColumnType.INT64, out, null);
        }
        boolean[] nulls = new boolean[groups];
        if (resultType == ColumnType.INT64) {
            long[] out = new long[groups];
            for (int g = 0; g < groups; g++) {
                LongHashSet s = (LongHashSet) sets[g];
                if (s == null) {
                    nulls[g] = true;
                    continue;
                }
                BigInteger[] sum = {BigInteger.ZERO};
                s.forEach(v -> sum[0] = sum[0].add(BigInteger.valueOf(v)));
                if (sum[0].bitLength() > 63) {
                    throw new QueryException(QueryException.OUT_OF_RANGE, "SUM " + sum[0] + " is out of BIGINT range");
                }
                out[g] = sum[0].longValue();
            }
            return new Vec.LongVec(ColumnType.INT64, out, nulls);
        }
        double[] out = new double[groups];
        boolean isDouble = argType == ColumnType.FLOAT64;
        for (int g = 0; g < groups; g++) {
            LongHashSet s = (LongHashSet) sets[g];
            if (s == null) {
                nulls[g] = true;
                continue;
            }
            double[] sum = {0};
            BigInteger[] exact = {BigInteger.ZERO};
            s.forEach(v -> {
                if (isDouble) {
                    sum[0] += Double.longBitsToDouble(v);
                } else {
                    exact[0] = exact[0].add(BigInteger.valueOf(v));
                }
            });
            double total = isDouble ? sum[0] : exact[0].doubleValue();
            out[g] = function == Function.AVG ? total / s.size() : total;
        }
        return new Vec.DoubleVec(out, nulls);
    }
}
