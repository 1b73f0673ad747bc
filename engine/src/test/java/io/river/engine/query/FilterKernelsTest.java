package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.model.ColumnType;
import org.junit.jupiter.api.Test;

/**
 * The primitive double-against-constant filter loops agree with DuckDB's double order
 * ({@link VectorEvaluator#compareDoubles}: -0.0 equals 0.0, NaN equals NaN and is above everything)
 * for every operator, with the special values on both sides.
 */
class FilterKernelsTest {
    private static final double[] SPECIAL = {Double.NaN, Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, 1e-300, 2.5,
        Double.MAX_VALUE, Double.POSITIVE_INFINITY};

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
                    boolean want = op.test(VectorEvaluator.compareDoubles(SPECIAL[i], c));
                    assertEquals(want, out.get(i), SPECIAL[i] + " " + op + " " + c);
                }
            }
        }
    }
}
