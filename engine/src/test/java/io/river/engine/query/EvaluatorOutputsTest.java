package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.ColumnType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An evaluator reuses a node's result arrays from one batch to the next (one evaluator per worker, a
 * batch's results read before the next batch): each batch still gets its own right answers, NULLs
 * included, whatever the previous batch left in the arrays.
 */
class EvaluatorOutputsTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void dateTruncGivesEachBatchItsOwnAnswersInOneReusedArray() {
        VectorEvaluator ev = new VectorEvaluator();
        Expr trunc = new Expr.DateTrunc(HOUR, "hour", new Expr.ColumnRef(0, "ts", ColumnType.TIMESTAMP));
        Random random = new Random(7);
        long[] first = null;
        for (int batch = 0; batch < 20; batch++) {
            int rows = 1 + random.nextInt(500);
            long[] ts = new long[rows];
            boolean[] nulls = new boolean[rows];
            boolean anyNull = false;
            for (int i = 0; i < rows; i++) {
                ts[i] = 1_700_000_000_000L + random.nextLong(-10 * HOUR, 10 * HOUR);
                nulls[i] = random.nextInt(10) == 0;
                anyNull |= nulls[i];
            }
            Vec.LongVec column = new Vec.LongVec(ColumnType.TIMESTAMP, ts, anyNull ? nulls : null);
            int[] sel = new int[rows];
            int n = 0;
            for (int i = 0; i < rows; i++) {
                if (random.nextInt(3) > 0) {
                    sel[n++] = i;
                }
            }
            Vec.LongVec out = (Vec.LongVec) ev.eval(trunc, Input.of(rows, new Vec[] {column}), sel, n);
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                assertEquals(nulls[i], out.isNull(i), "NULL flag of row " + i + " in batch " + batch);
                if (!nulls[i]) {
                    assertEquals(Math.floorDiv(ts[i], HOUR) * HOUR, out.values[i], "row " + i + " in batch " + batch);
                }
            }
            if (!anyNull) {
                assertNull(out.nulls, "a batch without NULLs has no NULL flags, even after one with them");
            }
            if (first == null) {
                first = out.values;
            } else if (rows <= first.length) {
                assertSame(first, out.values, "a batch that fits reuses the node's array");
            } else {
                first = out.values;
            }
            assertTrue(out.values.length >= rows);
        }
    }
}
