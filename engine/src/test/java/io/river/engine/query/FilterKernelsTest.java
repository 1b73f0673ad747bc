package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.model.ColumnType;
import org.junit.jupiter.api.Test;

/**
 * Kernels with fast paths checked against their plain definitions: double comparisons with a
 * constant follow DuckDB's double order ({@link VectorEvaluator#compareDoubles}: -0.0 equals 0.0,
 * NaN equals NaN and is above everything) for every operator, with the special values on both
 * sides, and the primitive filter loops keep exactly the rows the comparison calls TRUE; date_trunc, which reuses the
 * previous
 * row's bucket when it can, equals floor division on ordered, shuffled and extreme timestamps.
 */
class FilterKernelsTest {
    private static final double[] SPECIAL = {
        Double.NaN, Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, 1e-300, 2.5, Double.MAX_VALUE, Double.POSITIVE_INFINITY
    };

    @Test
    void doubleComparisonsWithAConstantFollowDuckDbOrder() {
        int rows = SPECIAL.length;
        int[] sel = new int[rows];
        for (int i = 0; i < rows; i++) {
            sel[i] = i;
        }
        Vec.DoubleVec column = new Vec.DoubleVec(SPECIAL.clone(), null);
        VectorEvaluator ev = new VectorEvaluator();
        Expr ref = new Expr.ColumnRef(0, "d", ColumnType.FLOAT64);
        for (Expr.CmpOp op : Expr.CmpOp.values()) {
            for (double c : SPECIAL) {
                Expr e = new Expr.Compare(op, ref, new Expr.Literal(c, ColumnType.FLOAT64));
                Vec out = ev.eval(e, Input.of(rows, new Vec[] {column}), sel, rows);
                for (int i = 0; i < rows; i++) {
                    boolean want = op.test(ValueOrder.compareDoubles(SPECIAL[i], c));
                    assertEquals(want, out.get(i), SPECIAL[i] + " " + op + " " + c);
                }
            }
        }
    }

    @Test
    void dateTruncEqualsFloorDivisionInAnyOrder() {
        java.util.Random r = new java.util.Random(9);
        int rows = 5000;
        long[] ts = new long[rows];
        for (int i = 0; i < rows; i++) {
            ts[i] = i < 2000
                    ? 1_700_000_000_000L + i * 7_777L // ordered, many rows per bucket
                    : i < 4000
                            ? r.nextLong() / 1000 // shuffled, any sign
                            : new long[] {Long.MAX_VALUE, Long.MIN_VALUE / 2, -1, 0, 3_599_999, 3_600_000}[i % 6];
        }
        int[] sel = new int[rows];
        for (int i = 0; i < rows; i++) {
            sel[i] = i;
        }
        VectorEvaluator ev = new VectorEvaluator();
        Expr ref = new Expr.ColumnRef(0, "ts", ColumnType.TIMESTAMP);
        for (String unit : new String[] {"minute", "hour", "day"}) {
            long millis = switch (unit) {
                case "minute" -> 60_000L;
                case "hour" -> 3_600_000L;
                default -> 86_400_000L;
            };
            Expr e = new Expr.DateTrunc(millis, unit, ref);
            Vec.LongVec out = (Vec.LongVec) ev.eval(
                    e, Input.of(rows, new Vec[] {new Vec.LongVec(ColumnType.TIMESTAMP, ts.clone(), null)}), sel, rows);
            for (int i = 0; i < rows; i++) {
                assertEquals(Math.floorDiv(ts[i], millis) * millis, out.values[i], unit + " of " + ts[i]);
            }
        }
    }

    @Test
    void filteringByAConstantKeepsExactlyTheRowsTheComparisonCallsTrue() {
        java.util.Random r = new java.util.Random(3);
        int rows = 3000;
        long[] longs = new long[rows];
        double[] doubles = new double[rows];
        boolean[] nulls = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            longs[i] = r.nextInt(21) - 10;
            doubles[i] = i % 50 == 0 ? Double.NaN : SPECIAL[r.nextInt(SPECIAL.length)];
            nulls[i] = r.nextInt(9) == 0;
        }
        VectorEvaluator ev = new VectorEvaluator();
        for (boolean withNulls : new boolean[] {false, true}) {
            Vec lv = new Vec.LongVec(ColumnType.INT64, longs, withNulls ? nulls : null);
            Vec dv = new Vec.DoubleVec(doubles, withNulls ? nulls : null);
            Input in = Input.of(rows, new Vec[] {lv, dv});
            Expr l = new Expr.ColumnRef(0, "l", ColumnType.INT64);
            Expr d = new Expr.ColumnRef(1, "d", ColumnType.FLOAT64);
            for (Expr.CmpOp op : Expr.CmpOp.values()) {
                java.util.List<Expr> preds = new java.util.ArrayList<>();
                for (long c : new long[] {-11, -3, 0, 7, 10}) {
                    preds.add(new Expr.Compare(op, l, new Expr.Literal(c, ColumnType.INT64)));
                    preds.add(new Expr.Compare(op, new Expr.Literal(c, ColumnType.INT64), l));
                }
                for (double c : SPECIAL) {
                    preds.add(new Expr.Compare(op, d, new Expr.Literal(c, ColumnType.FLOAT64)));
                    preds.add(new Expr.Compare(op, new Expr.Literal(c, ColumnType.FLOAT64), d));
                }
                for (Expr p : preds) {
                    int[] sel = new int[rows];
                    int n = 0;
                    for (int i = 0; i < rows; i++) {
                        if (r.nextInt(3) > 0) {
                            sel[n++] = i;
                        }
                    }
                    int[] base = java.util.Arrays.copyOf(sel, n);
                    Vec.BoolVec b = (Vec.BoolVec) ev.eval(p, in, base, n);
                    java.util.List<Integer> want = new java.util.ArrayList<>();
                    for (int i : base) {
                        if (b.isTrue(i)) {
                            want.add(i);
                        }
                    }
                    int m = ev.filter(p, in, sel, n);
                    java.util.List<Integer> got = new java.util.ArrayList<>();
                    for (int k = 0; k < m; k++) {
                        got.add(sel[k]);
                    }
                    assertEquals(want, got, p + (withNulls ? " with NULLs" : ""));
                }
            }
        }
    }
}
