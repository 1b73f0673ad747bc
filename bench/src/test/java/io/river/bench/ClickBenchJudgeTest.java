package io.river.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ClickBench answer judge: fair at LIMIT ties, strict everywhere else. */
class ClickBenchJudgeTest {
    static final String TOP = "SELECT URL, COUNT(*) AS c FROM hits GROUP BY URL ORDER BY c DESC LIMIT 3";

    private static List<Object[]> rows(Object... cells) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < cells.length; i += 2) {
            out.add(new Object[] {cells[i], cells[i + 1]});
        }
        return out;
    }

    /** The whole answer: a 9, then three rows tied at 5 of which a LIMIT 3 keeps two, then a 1. */
    private static final List<Object[]> WHOLE = rows("a", 9L, "b", 5L, "c", 5L, "d", 5L, "e", 1L);

    @Test
    void rowsTiedAcrossTheLimitMayBeAnyOfTheTiedRows() {
        List<Object[]> duck = rows("a", 9L, "b", 5L, "c", 5L);
        assertNull(ClickBenchJudge.judge(TOP, duck, WHOLE, rows("a", 9L, "d", 5L, "b", 5L)));
    }

    @Test
    void aRowOutsideTheAnswerOrAWrongCountOrOrderIsCaught() {
        List<Object[]> duck = rows("a", 9L, "b", 5L, "c", 5L);
        assertNotNull(ClickBenchJudge.judge(TOP, duck, WHOLE, rows("a", 9L, "x", 5L, "b", 5L)));
        assertNotNull(ClickBenchJudge.judge(TOP, duck, WHOLE, rows("a", 9L, "b", 5L, "b", 5L)));
        assertNotNull(ClickBenchJudge.judge(TOP, duck, WHOLE, rows("a", 8L, "b", 5L, "c", 5L)));
        assertNotNull(ClickBenchJudge.judge(TOP, duck, WHOLE, rows("b", 5L, "a", 9L, "c", 5L)));
        assertNotNull(ClickBenchJudge.judge(TOP, duck, WHOLE, rows("a", 9L, "b", 5L)));
    }

    @Test
    void tiesInsideTheAnswerMustBeTheSameRows() {
        String sql = "SELECT URL, COUNT(*) AS c FROM hits GROUP BY URL ORDER BY c DESC LIMIT 4";
        List<Object[]> whole = rows("a", 5L, "b", 5L, "c", 3L, "d", 2L, "e", 2L);
        List<Object[]> duck = rows("a", 5L, "b", 5L, "c", 3L, "d", 2L);
        assertNull(ClickBenchJudge.judge(sql, duck, whole, rows("b", 5L, "a", 5L, "c", 3L, "e", 2L)));
        // The first group does not reach past the answer: rows of the same count elsewhere are wrong.
        List<Object[]> wider = rows("a", 5L, "b", 5L, "z", 5L, "c", 3L, "d", 2L);
        assertNotNull(ClickBenchJudge.judge(sql, duck, wider, rows("a", 5L, "z", 5L, "c", 3L, "d", 2L)));
    }

    @Test
    void averagesMatchWithinATightRelativeTolerance() {
        String sql = "SELECT CounterID, AVG(STRLEN(URL)) AS l FROM hits GROUP BY CounterID ORDER BY l DESC LIMIT 25";
        List<Object[]> duck = rows(62L, 41.123456789012);
        assertNull(ClickBenchJudge.judge(sql, duck, duck, rows(62L, 41.123456789012 * (1 + 1e-12))));
        assertNotNull(ClickBenchJudge.judge(sql, duck, duck, rows(62L, 41.1235)));
    }

    @Test
    void hiddenOrderKeysComeFromDuckDbsWholeAnswer() {
        String sql = "SELECT SearchPhrase FROM hits WHERE SearchPhrase <> '' ORDER BY EventTime LIMIT 3";
        assertEquals(
                "SELECT SearchPhrase, EventTime FROM hits WHERE SearchPhrase <> '' ORDER BY EventTime",
                ClickBenchQueries.wholeQuery(sql));
        // whole: (phrase, EventTime); two rows tie at t=2 across the LIMIT
        List<Object[]> whole = new ArrayList<>();
        for (Object[] r : new Object[][] {{"p", 1L}, {"q", 1L}, {"r", 2L}, {"s", 2L}, {"t", 3L}}) {
            whole.add(r);
        }
        List<Object[]> duck = List.of(new Object[] {"p"}, new Object[] {"q"}, new Object[] {"r"});
        assertNull(ClickBenchJudge.judge(
                sql, duck, whole, List.of(new Object[] {"q"}, new Object[] {"p"}, new Object[] {"s"})));
        assertNotNull(ClickBenchJudge.judge(
                sql, duck, whole, List.of(new Object[] {"p"}, new Object[] {"r"}, new Object[] {"q"})));
        assertNotNull(ClickBenchJudge.judge(
                sql, duck, whole, List.of(new Object[] {"p"}, new Object[] {"q"}, new Object[] {"t"})));
    }

    @Test
    void orderKeysAreFoundByAliasExpressionOrStarColumn() {
        List<String> q = ClickBenchQueries.all();
        assertArrayEquals(new int[] {1}, ClickBenchQueries.orderKeys(q.get(15), ClickBenchData.COLUMNS)); // COUNT(*)
        assertArrayEquals(new int[] {0}, ClickBenchQueries.orderKeys(q.get(42), ClickBenchData.COLUMNS)); // M
        assertArrayEquals(new int[] {2}, ClickBenchQueries.orderKeys(q.get(23), ClickBenchData.COLUMNS)); // *
        assertNull(ClickBenchQueries.orderKeys(q.get(24), ClickBenchData.COLUMNS)); // EventTime, not shown
        assertEquals(0, ClickBenchQueries.orderKeys(q.get(17), ClickBenchData.COLUMNS).length);
        assertEquals(10, ClickBenchQueries.limit(q.get(41)));
        assertEquals(
                "SELECT URL, COUNT(*) AS c FROM hits GROUP BY URL ORDER BY c DESC",
                ClickBenchQueries.withoutLimit(TOP));
    }
}
