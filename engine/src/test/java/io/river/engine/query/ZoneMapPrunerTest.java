package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Expr.CmpOp;
import io.river.engine.query.Expr.ColumnRef;
import io.river.engine.query.Expr.Literal;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZoneMapPrunerTest {
    static final ColumnRef X = new ColumnRef(0, "x", ColumnType.INT64);
    static final ColumnRef S = new ColumnRef(1, "s", ColumnType.STRING);
    static final ColumnRef GONE = new ColumnRef(2, "gone", ColumnType.INT64);

    /** x in [10, 20] with 2 NULLs of 100 rows; s in ["banana", "cherry"]; "gone" absent. */
    static final BlockStats BLOCK = new BlockStats() {
        final Map<String, ColumnStats> stats = Map.of(
                "x", new ColumnStats(10L, 20L, 2),
                "s", new ColumnStats("banana", "cherry", 0));

        public long rowCount() {
            return 100;
        }

        public String minKey() {
            return null;
        }

        public String maxKey() {
            return null;
        }

        public ColumnStats column(String name) {
            return stats.get(name);
        }

        public boolean lacksColumn(String name) {
            return name.equals("gone");
        }
    };

    static boolean may(Expr e) {
        return ZoneMapPruner.build(List.of(e)).test(BLOCK);
    }

    static Expr cmp(Expr l, CmpOp op, Object v) {
        return new Expr.Compare(op, l, new Literal(v, l.type()));
    }

    @Test
    void comparisonsAgainstMinMax() {
        assertTrue(may(cmp(X, CmpOp.EQ, 15L)));
        assertFalse(may(cmp(X, CmpOp.EQ, 21L)));
        assertFalse(may(cmp(X, CmpOp.LT, 10L)));
        assertTrue(may(cmp(X, CmpOp.LE, 10L)));
        assertFalse(may(cmp(X, CmpOp.GT, 20L)));
        assertTrue(may(cmp(X, CmpOp.GE, 20L)));
        assertTrue(may(cmp(X, CmpOp.NE, 15L)));
        // literal on the left: 25 < x is x > 25
        assertFalse(may(new Expr.Compare(CmpOp.LT, new Literal(25L, ColumnType.INT64), X)));
        // numeric cast: x > 19.5 may match, x > 20.5 cannot
        Expr cast = new Expr.Cast(X, ColumnType.FLOAT64);
        assertTrue(may(new Expr.Compare(CmpOp.GT, cast, new Literal(19.5, ColumnType.FLOAT64))));
        assertFalse(may(new Expr.Compare(CmpOp.GT, cast, new Literal(20.5, ColumnType.FLOAT64))));
        assertFalse(may(cmp(S, CmpOp.LT, "apple")));
        assertTrue(may(cmp(S, CmpOp.LT, "bz")));
    }

    @Test
    void nullsMissingColumnsInListsLikeAndLogic() {
        assertTrue(may(new Expr.IsNull(X, false)));
        assertFalse(may(new Expr.IsNull(S, false)));
        assertTrue(may(new Expr.IsNull(GONE, false)));
        assertFalse(may(new Expr.IsNull(GONE, true)));
        assertFalse(may(cmp(GONE, CmpOp.NE, 1L)));
        assertFalse(may(cmp(X, CmpOp.EQ, null)));
        assertFalse(may(new Expr.InList(
                X, List.of(new Literal(1L, ColumnType.INT64), new Literal(30L, ColumnType.INT64)), false)));
        assertTrue(may(new Expr.InList(
                X, List.of(new Literal(1L, ColumnType.INT64), new Literal(12L, ColumnType.INT64)), false)));
        assertTrue(may(new Expr.Like(S, "ch%", (char) 0, false)));
        assertTrue(may(new Expr.Like(S, "bb%", (char) 0, false)));
        assertFalse(may(new Expr.Like(S, "d%", (char) 0, false)));
        assertFalse(may(new Expr.Like(S, "az%", (char) 0, false)));
        assertTrue(may(new Expr.Or(cmp(X, CmpOp.GT, 100L), cmp(X, CmpOp.EQ, 11L))));
        assertFalse(may(new Expr.Or(cmp(X, CmpOp.GT, 100L), cmp(X, CmpOp.EQ, 9L))));
        assertFalse(may(new Expr.And(cmp(X, CmpOp.GT, 0L), cmp(X, CmpOp.EQ, 9L))));
    }

    @Test
    void unprunablePartsOfAPrunableConjunctionKeepTheBlock() {
        Expr likeOnExpression =
                new Expr.Like(new Expr.Coalesce(List.of(S, S), ColumnType.STRING), "zz%", (char) 0, false);
        assertTrue(may(new Expr.Or(new Expr.And(likeOnExpression, cmp(X, CmpOp.EQ, 15L)), cmp(X, CmpOp.EQ, 99L))));
        assertFalse(may(new Expr.Or(new Expr.And(likeOnExpression, cmp(X, CmpOp.EQ, 55L)), cmp(X, CmpOp.EQ, 99L))));
        assertTrue(may(new Expr.And(new Expr.Like(S, "zz%", (char) 0, true), cmp(X, CmpOp.EQ, 15L))));
    }

    @Test
    void conditionsWithoutZoneMapUseKeepEveryBlock() {
        assertNull(ZoneMapPruner.build(List.of(new Expr.Not(cmp(X, CmpOp.EQ, 1L)))));
        assertNull(ZoneMapPruner.build(List.of(new Expr.Compare(
                CmpOp.EQ,
                X,
                new Expr.Arith(Expr.ArithOp.ADD, X, new Literal(1L, ColumnType.INT64), ColumnType.INT64)))));
        BlockStats unknown = new BlockStats() {
            public long rowCount() {
                return 10;
            }

            public String minKey() {
                return null;
            }

            public String maxKey() {
                return null;
            }

            public ColumnStats column(String name) {
                return null;
            }

            public boolean lacksColumn(String name) {
                return false;
            }
        };
        assertEquals(true, ZoneMapPruner.build(List.of(cmp(X, CmpOp.EQ, 99L))).test(unknown));
    }

    @Test
    void stringBoundsThatUtf16AndCodePointOrderRankDifferentlyAreNotTrusted() {
        // Java's String order puts U+FF01 above an emoji; SQL (UTF-8) puts the emoji above it
        BlockStats utf16 = new BlockStats() {
            public long rowCount() {
                return 2;
            }

            public String minKey() {
                return null;
            }

            public String maxKey() {
                return null;
            }

            public ColumnStats column(String name) {
                return new ColumnStats("\uD83D\uDE42", "\uFF01", 0);
            }

            public boolean lacksColumn(String name) {
                return false;
            }
        };
        assertTrue(
                ZoneMapPruner.build(List.of(cmp(S, CmpOp.EQ, "\uD83D\uDE42"))).test(utf16));
        assertTrue(ZoneMapPruner.build(List.of(new Expr.Like(S, "\uD83D%", (char) 0, false)))
                .test(utf16));
        assertTrue(ZoneMapPruner.orderAmbiguous("a\uE000"));
        assertFalse(ZoneMapPruner.orderAmbiguous("Zürich 日本"));
    }

    @Test
    void functionCallsKeepBlocksButFoldedConstantsAndMergedInListsStillPrune() {
        Expr lower = new Expr.Call(ScalarFunction.LOWER, List.of(S), ColumnType.STRING);
        Expr length = new Expr.Call(ScalarFunction.LENGTH, List.of(S), ColumnType.INT64);
        Expr absX = new Expr.Call(ScalarFunction.ABS, List.of(X), ColumnType.INT64);
        // the pruner does not know these functions: it must not prune on them, nor on AND/OR of them
        assertNull(ZoneMapPruner.build(List.of(cmp(lower, CmpOp.EQ, "zzz"))));
        assertNull(ZoneMapPruner.build(List.of(cmp(length, CmpOp.GT, 100L))));
        assertNull(ZoneMapPruner.build(List.of(new Expr.Or(cmp(absX, CmpOp.EQ, 99L), cmp(X, CmpOp.EQ, 99L)))));
        assertTrue(may(new Expr.And(cmp(absX, CmpOp.EQ, 99L), cmp(X, CmpOp.EQ, 15L))));
        assertFalse(may(new Expr.And(cmp(absX, CmpOp.EQ, 15L), cmp(X, CmpOp.EQ, 99L))));
        // x = 1 OR x = 2 OR x = 99 is bound as one IN list, which prunes
        Expr in = new Expr.InList(
                X, List.of(new Literal(1L, ColumnType.INT64), new Literal(99L, ColumnType.INT64)), false);
        assertFalse(may(in));
    }
}
