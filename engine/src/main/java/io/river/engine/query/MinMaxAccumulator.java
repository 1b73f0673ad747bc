package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.util.Arrays;

/**
 * MIN and MAX per group over long-backed values (integers, timestamps, booleans as 0/1), doubles
 * (DuckDB order: NaN above everything) and bytes (unsigned lexicographic, which is code-point order
 * for UTF-8). NULLs are skipped; a group with no value gives NULL. Not thread-safe.
 */
abstract class MinMaxAccumulator extends Accumulator {
    final boolean max;
    boolean[] seen = new boolean[0];

    MinMaxAccumulator(boolean max) {
        this.max = max;
    }

    static MinMaxAccumulator create(ColumnType type, boolean max) {
        if (type == ColumnType.FLOAT64) {
            return new Doubles(max);
        } else if (SqlTypes.isBytes(type)) {
            return new Bytes(type, max);
        }
        return new Longs(type, max);
    }

    void ensureSeen(int cap) {
        seen = Arrays.copyOf(seen, cap);
    }

    boolean[] resultNulls(int groups) {
        boolean[] nulls = new boolean[groups];
        for (int g = 0; g < groups; g++) {
            nulls[g] = !seen[g];
        }
        return nulls;
    }

    static final class Longs extends MinMaxAccumulator {
        private final ColumnType type;
        private long[] best = new long[0];

        Longs(ColumnType type, boolean max) {
            super(max);
            this.type = type;
        }

        @Override
        void ensure(int groups) {
            if (best.length < groups) {
                int cap = grow(best.length, groups);
                best = Arrays.copyOf(best, cap);
                ensureSeen(cap);
            }
        }

        @Override
        void update(Vec arg, int[] sel, int n, int[] gids) {
            long[] v;
            if (arg instanceof Vec.BoolVec) {
                boolean[] b = ((Vec.BoolVec) arg).values;
                v = new long[b.length];
                for (int k = 0; k < n; k++) {
                    v[sel[k]] = b[sel[k]] ? 1 : 0;
                }
            } else {
                v = ((Vec.LongVec) arg).values;
            }
            boolean[] nulls = arg.nulls;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (nulls != null && nulls[i]) {
                    continue;
                }
                offer(gids[k], v[i]);
            }
        }

        private void offer(int g, long x) {
            if (!seen[g]) {
                seen[g] = true;
                best[g] = x;
            } else if (max ? x > best[g] : x < best[g]) {
                best[g] = x;
            }
        }

        @Override
        void merge(Accumulator other, int[] map, int otherGroups) {
            Longs o = (Longs) other;
            for (int g = 0; g < otherGroups; g++) {
                if (o.seen[g]) {
                    offer(map[g], o.best[g]);
                }
            }
        }

        @Override
        Vec result(int groups) {
            boolean[] nulls = resultNulls(groups);
            if (type == ColumnType.BOOLEAN) {
                boolean[] b = new boolean[groups];
                for (int g = 0; g < groups; g++) {
                    b[g] = best[g] != 0;
                }
                return new Vec.BoolVec(b, nulls);
            }
            return new Vec.LongVec(type, Arrays.copyOf(best, groups), nulls);
        }
    }

    static final class Doubles extends MinMaxAccumulator {
        private double[] best = new double[0];

        Doubles(boolean max) {
            super(max);
        }

        @Override
        void ensure(int groups) {
            if (best.length < groups) {
                int cap = grow(best.length, groups);
                best = Arrays.copyOf(best, cap);
                ensureSeen(cap);
            }
        }

        @Override
        void update(Vec arg, int[] sel, int n, int[] gids) {
            double[] v = ((Vec.DoubleVec) arg).values;
            boolean[] nulls = arg.nulls;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (nulls == null || !nulls[i]) {
                    offer(gids[k], v[i]);
                }
            }
        }

        private void offer(int g, double x) {
            if (!seen[g]) {
                seen[g] = true;
                best[g] = x;
            } else {
                int c = ValueOrder.compareDoubles(x, best[g]);
                if (max ? c > 0 : c < 0) {
                    best[g] = x;
                }
            }
        }

        @Override
        void merge(Accumulator other, int[] map, int otherGroups) {
            Doubles o = (Doubles) other;
            for (int g = 0; g < otherGroups; g++) {
                if (o.seen[g]) {
                    offer(map[g], o.best[g]);
                }
            }
        }

        @Override
        Vec result(int groups) {
            return new Vec.DoubleVec(Arrays.copyOf(best, groups), resultNulls(groups));
        }
    }

    static final class Bytes extends MinMaxAccumulator {
        private final ColumnType type;
        private byte[][] best = new byte[0][];

        Bytes(ColumnType type, boolean max) {
            super(max);
            this.type = type;
        }

        @Override
        void ensure(int groups) {
            if (best.length < groups) {
                int cap = grow(best.length, groups);
                best = Arrays.copyOf(best, cap);
                ensureSeen(cap);
            }
        }

        @Override
        void update(Vec arg, int[] sel, int n, int[] gids) {
            Vec.BytesVec b = (Vec.BytesVec) arg;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (b.isNull(i)) {
                    continue;
                }
                int g = gids[k];
                b.load(i);
                byte[] cur = best[g];
                if (cur == null) {
                    best[g] = Arrays.copyOfRange(b.buf, b.off, b.off + b.len);
                    seen[g] = true;
                } else {
                    int c = Arrays.compareUnsigned(b.buf, b.off, b.off + b.len, cur, 0, cur.length);
                    if (max ? c > 0 : c < 0) {
                        best[g] = Arrays.copyOfRange(b.buf, b.off, b.off + b.len);
                    }
                }
            }
        }

        @Override
        void merge(Accumulator other, int[] map, int otherGroups) {
            Bytes o = (Bytes) other;
            for (int g = 0; g < otherGroups; g++) {
                byte[] x = o.best[g];
                if (x == null) {
                    continue;
                }
                int t = map[g];
                byte[] cur = best[t];
                if (cur == null || (max ? Arrays.compareUnsigned(x, cur) > 0 : Arrays.compareUnsigned(x, cur) < 0)) {
                    best[t] = x;
                    seen[t] = true;
                }
            }
        }

        @Override
        Vec result(int groups) {
            return new Vec.ArrayBytesVec(type, Arrays.copyOf(best, groups));
        }
    }
}
