package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.testing.InMemoryTableSnapshot;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error a user can cause: its code, a message naming the reason, and the position when known. */
class QueryErrorsTest {
    RootAllocator allocator;
    QueryEngine engine;
    TestCatalog catalog;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
        engine = new QueryEngine(2);
        List<Object[]> rows = List.of(
                QueryEngineTest.row(1, "a", 2147483647, 1.0, true, QueryEngineTest.T0, new byte[0]),
                QueryEngineTest.row(2, "b", 0, 2.0, false, QueryEngineTest.T0, new byte[0]));
        catalog = new TestCatalog()
                .with(InMemoryTableSnapshot.builder("events", QueryEngineTest.COLUMNS, allocator)
                        .rows(rows)
                        .build());
    }

    @AfterEach
    void tearDown() {
        engine.close();
        allocator.close();
    }

    QueryException fails(String sql, String code) {
        QueryException e = assertThrows(QueryException.class, () -> engine.execute(sql, catalog), sql);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    void fails(String sql, String code, String messagePart) {
        QueryException e = fails(sql, code);
        assertTrue(
                e.getMessage().contains(messagePart), "'" + e.getMessage() + "' should mention '" + messagePart + "'");
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        QueryException e = fails("SELECT id FROM events WHERE", QueryException.SYNTAX_ERROR);
        assertEquals(1, e.line());
        assertTrue(e.column() >= 23, "column " + e.column());
        e = fails("SELECT id\nFROM events\nWHERE id = = 1", QueryException.SYNTAX_ERROR);
        assertEquals(3, e.line());
        assertEquals(12, e.column());
        assertTrue(e.getMessage().contains("line 3, column 12"), e.getMessage());
        fails("SELEC id FROM events", QueryException.SYNTAX_ERROR);
        fails("", QueryException.SYNTAX_ERROR, "empty");
    }

    @Test
    void unknownNames() {
        fails("SELECT id FROM nope", QueryException.UNKNOWN_TABLE, "nope");
        QueryException e = fails("SELECT id, nme FROM events", QueryException.UNKNOWN_COLUMN);
        assertTrue(e.getMessage().contains("nme") && e.getMessage().contains("city"), e.getMessage());
        assertEquals(1, e.line());
        assertEquals(12, e.column());
        fails("SELECT x.id FROM events", QueryException.UNKNOWN_TABLE, "x");
        fails("SELECT \"ID\" FROM events", QueryException.UNKNOWN_COLUMN, "ID");
    }

    @Test
    void namesResolveCaseInsensitivelyAndThroughAliases() {
        assertEquals(
                2, engine.execute("SELECT e.ID, CITY FROM EVENTS AS e", catalog).rowCount());
    }

    @Test
    void unsupportedConstructsAreNamed() {
        fails("SELECT a.id FROM events a JOIN events b ON a.id = b.id", QueryException.UNSUPPORTED, "JOIN");
        fails("SELECT id FROM events WHERE id IN (SELECT id FROM events)", QueryException.UNSUPPORTED, "subquery");
        fails("SELECT id, row_number() OVER (ORDER BY id) FROM events", QueryException.UNSUPPORTED, "window");
        fails("SELECT id FROM events UNION SELECT id FROM events", QueryException.UNSUPPORTED, "UNION");
        fails("WITH RECURSIVE x AS (SELECT 1) SELECT * FROM x", QueryException.UNSUPPORTED, "RECURSIVE");
        fails("SELECT id FROM events INTERSECT SELECT id FROM events", QueryException.UNSUPPORTED, "INTERSECT");
        fails("DELETE FROM events", QueryException.UNSUPPORTED, "only SELECT");
        fails("SELECT soundex(city) FROM events", QueryException.UNSUPPORTED, "soundex");
        fails("SELECT CAST(id AS DECIMAL(10, 2)) FROM events", QueryException.UNSUPPORTED, "CAST to DECIMAL");
        fails("SELECT CAST(id AS DATE) FROM events", QueryException.TYPE_MISMATCH, "CAST(BIGINT AS DATE)");
        fails("SELECT date_trunc('fortnight', ts) FROM events", QueryException.UNSUPPORTED, "fortnight");
        fails("SELECT id FROM events WHERE city ILIKE 'a%'", QueryException.UNSUPPORTED, "ILIKE");
    }

    @Test
    void typeMismatches() {
        fails("SELECT id FROM events WHERE city = 1", QueryException.TYPE_MISMATCH, "cannot compare VARCHAR = INTEGER");
        fails("SELECT id FROM events WHERE n = 'x'", QueryException.TYPE_MISMATCH, "could not convert string 'x'");
        fails("SELECT id FROM events WHERE ok > ts", QueryException.TYPE_MISMATCH, "BOOLEAN");
        fails("SELECT city + 1 FROM events", QueryException.TYPE_MISMATCH, "VARCHAR");
        fails("SELECT sum(city) FROM events", QueryException.TYPE_MISMATCH, "sum");
        fails("SELECT avg(ts) FROM events", QueryException.TYPE_MISMATCH, "avg");
        fails("SELECT id FROM events WHERE id", QueryException.TYPE_MISMATCH, "WHERE");
        fails("SELECT id FROM events WHERE ts > 'yesterday'", QueryException.TYPE_MISMATCH, "yesterday");
        fails("SELECT id FROM events WHERE n LIKE 'a%'", QueryException.TYPE_MISMATCH, "LIKE");
        fails("SELECT id FROM events WHERE ok AND n", QueryException.TYPE_MISMATCH, "AND");
        fails("SELECT CASE WHEN ok THEN city ELSE n END FROM events", QueryException.TYPE_MISMATCH, "CASE mixes");
        fails("SELECT coalesce(ts, 1) FROM events", QueryException.TYPE_MISMATCH, "COALESCE mixes");
        fails("SELECT CASE WHEN n THEN 1 END FROM events", QueryException.TYPE_MISMATCH, "CASE WHEN");
    }

    @Test
    void groupingAndAggregateMisuse() {
        fails("SELECT city, count(*) FROM events", QueryException.INVALID_QUERY, "GROUP BY");
        fails("SELECT city, n FROM events GROUP BY city", QueryException.INVALID_QUERY, "n");
        fails("SELECT id FROM events WHERE count(*) > 1", QueryException.INVALID_QUERY, "WHERE");
        fails("SELECT sum(count(*)) FROM events", QueryException.INVALID_QUERY, "nested");
        fails("SELECT city FROM events GROUP BY 3", QueryException.INVALID_QUERY, "position 3");
        fails("SELECT id FROM events ORDER BY 0", QueryException.INVALID_QUERY, "position 0");
        fails("SELECT sum(*) FROM events", QueryException.INVALID_QUERY, "COUNT(*)");
    }

    @Test
    void dataErrorsAreOutOfRange() {
        fails("SELECT n + 1 FROM events", QueryException.OUT_OF_RANGE, "Overflow in addition of INT32");
        fails("SELECT id % n FROM events", QueryException.OUT_OF_RANGE, "Division by zero");
        // a CASE branch runs only on its own rows, so the guarded form succeeds
        assertEquals(
                List.of(1L, -1L),
                engine
                        .execute("SELECT CASE WHEN n <> 0 THEN id % n ELSE -1 END FROM events ORDER BY id", catalog)
                        .rows()
                        .stream()
                        .map(r -> r[0])
                        .toList());
        fails("SELECT sum(id * 4611686018427387903) FROM events", QueryException.OUT_OF_RANGE, "out of BIGINT range");
        fails("SELECT id * 9223372036854775807 FROM events", QueryException.OUT_OF_RANGE, "multiplication of INT64");
        fails("SELECT 99999999999999999999", QueryException.OUT_OF_RANGE, "BIGINT");
    }

    @Test
    void sumOverflowingBigintIsAnErrorButIntermediateOverflowIsNot() {
        List<Object[]> rows = List.of(
                QueryEngineTest.row(Long.MAX_VALUE, "a", 1, 1.0, true, null, null),
                QueryEngineTest.row(Long.MAX_VALUE, "a", 1, 1.0, true, null, null),
                QueryEngineTest.row(-Long.MAX_VALUE, "a", 1, 1.0, true, null, null),
                QueryEngineTest.row(-Long.MAX_VALUE + 5, "b", 1, 1.0, true, null, null));
        TestCatalog big = new TestCatalog()
                .with(InMemoryTableSnapshot.builder("big", QueryEngineTest.COLUMNS, allocator)
                        .rows(rows)
                        .blockRows(1)
                        .splits(4)
                        .build());
        // the running sum leaves BIGINT's range, the total does not (DuckDB sums in HUGEINT)
        assertEquals(5L, engine.execute("SELECT sum(id) FROM big", big).rows().get(0)[0]);
        assertEquals(1.25, engine.execute("SELECT avg(id) FROM big", big).rows().get(0)[0]);
        QueryException e = assertThrows(
                QueryException.class, () -> engine.execute("SELECT sum(id) FROM big WHERE city = 'a' AND id > 0", big));
        assertEquals(QueryException.OUT_OF_RANGE, e.code());
    }

    @Test
    void resultsOverTheRowLimitAreRefusedUnlessLimited() {
        java.util.List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(QueryEngineTest.row(i, "c" + (i % 100), i, 1.0, true, null, null));
        }
        TestCatalog big = new TestCatalog()
                .with(InMemoryTableSnapshot.builder("big", QueryEngineTest.COLUMNS, allocator)
                        .rows(rows)
                        .blockRows(500)
                        .splits(4)
                        .build());
        try (QueryEngine limited = new QueryEngine(3, 1000)) {
            fails(limited, big, "SELECT id FROM big", QueryException.RESULT_TOO_LARGE);
            fails(limited, big, "SELECT id FROM big ORDER BY id", QueryException.RESULT_TOO_LARGE);
            fails(limited, big, "SELECT id, count(*) FROM big GROUP BY id", QueryException.RESULT_TOO_LARGE);
            assertEquals(
                    10,
                    limited.execute("SELECT id FROM big ORDER BY id DESC LIMIT 10", big)
                            .rowCount());
            assertEquals(
                    1000, limited.execute("SELECT id FROM big LIMIT 1000", big).rowCount());
            assertEquals(
                    100,
                    limited.execute("SELECT city, count(*) FROM big GROUP BY city", big)
                            .rowCount());
            assertEquals(
                    3,
                    limited.execute("SELECT id, count(*) FROM big GROUP BY id ORDER BY 2, 1 LIMIT 3", big)
                            .rowCount());
        }
        assertEquals(0, allocator.getAllocatedMemory());
    }

    static void fails(QueryEngine e, TestCatalog c, String sql, String code) {
        QueryException ex = assertThrows(QueryException.class, () -> e.execute(sql, c), sql);
        assertEquals(code, ex.code(), ex.getMessage());
    }
}
