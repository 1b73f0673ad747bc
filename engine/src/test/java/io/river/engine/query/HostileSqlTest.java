package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.TableSchema;
import io.river.engine.testing.InMemoryTableSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SQL meant to hurt: several statements in one request, deep nesting, huge AND/OR chains. Each is
 * answered or refused with a 4xx-class {@link QueryException} naming the reason, quickly, and never
 * with a StackOverflowError; long chains of equalities become one IN list.
 */
class HostileSqlTest {
    private static final Set<String> CLIENT_CODES = Set.of(
            QueryException.SYNTAX_ERROR,
            QueryException.UNSUPPORTED,
            QueryException.INVALID_QUERY,
            QueryException.TYPE_MISMATCH);
    private RootAllocator allocator;
    private QueryEngine engine;
    private TestCatalog catalog;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
        engine = new QueryEngine(2);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(QueryEngineTest.row(i, "c" + (i % 7), i % 100, i * 0.5, i % 2 == 0, QueryEngineTest.T0, null));
        }
        catalog = new TestCatalog()
                .with(InMemoryTableSnapshot.builder("events", QueryEngineTest.COLUMNS, allocator)
                        .rows(rows)
                        .blockRows(256)
                        .splits(3)
                        .build());
    }

    @AfterEach
    void tearDown() {
        engine.close();
        allocator.close();
    }

    private QueryException refused(String sql, String messagePart) {
        QueryException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> assertThrows(QueryException.class, () -> engine.execute(sql, catalog)));
        assertTrue(CLIENT_CODES.contains(e.code()), e.code() + ": " + e.getMessage());
        assertTrue(
                e.getMessage().contains(messagePart), "'" + e.getMessage() + "' should mention '" + messagePart + "'");
        return e;
    }

    private long count(String sql) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                (Long) engine.execute(sql, catalog).rows().get(0)[0]);
    }

    @Test
    void oneStatementPerRequest() {
        QueryException e = refused("SELECT 1; DROP TABLE events", "one statement per request");
        assertEquals(QueryException.UNSUPPORTED, e.code());
        assertEquals(11, e.column());
        refused("SELECT count(*) FROM events; SELECT 2", "one statement per request");
        assertEquals(3000L, count("SELECT count(*) FROM events;"));
        assertEquals(3000L, count("SELECT count(*) FROM events ; ; -- done"));
    }

    @Test
    void deepNestingIsRefusedBeforeParsing() {
        refused("SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000), "nests parentheses");
        refused("SELECT id FROM events WHERE " + "NOT (".repeat(3000) + "ok" + ")".repeat(3000), "nests parentheses");
        refused("SELECT " + "lower(".repeat(200) + "'a'" + ")".repeat(200), "nests parentheses");
        for (String deep : List.of(
                "SELECT count(*) FROM events WHERE " + "NOT ".repeat(5000) + "ok",
                "SELECT " + "- ".repeat(5000) + "1",
                "SELECT " + "CASE WHEN true THEN ".repeat(3000) + "1" + " END".repeat(3000))) {
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.execute(deep, catalog));
            } catch (QueryException e) {
                assertTrue(CLIENT_CODES.contains(e.code()), e.code() + ": " + e.getMessage());
            }
        }
        assertEquals(
                "x",
                engine.execute("SELECT " + "lower(".repeat(60) + "'X'" + ")".repeat(60), catalog)
                        .rows()
                        .get(0)[0]);
        assertEquals(
                "((((",
                engine.execute("SELECT '((((' -- ((((((", catalog).rows().get(0)[0]);
    }

    @Test
    void hugeBooleanChainsAreRefusedAndLongEqualityChainsBecomeInLists() throws Exception {
        refused(chain("id = ", 20_000, " OR "), "AND/OR operators");
        refused(chain("n <> ", 20_000, " AND "), "AND/OR operators");
        assertEquals(1500L, count(chain("id = ", 1500, " OR ")));
        assertEquals(1500L, count(chain("id = ", 1500, " OR ").replace("WHERE id = 0 OR", "WHERE 0 = id OR")));
        String sql = chain("id = ", 1500, " OR ");
        PlainSelect select = (PlainSelect) SqlFrontEnd.parse(sql);
        LogicalPlan plan = QueryPlanner.plan(
                select, "events", null, RelationSchema.of(new TableSchema(1, QueryEngineTest.COLUMNS)));
        Expr.InList in = assertInstanceOf(Expr.InList.class, plan.filters().get(0));
        assertEquals(1500, in.values().size());
        // a chain of mixed conditions is bound as a balanced tree: answered, no deep recursion
        StringBuilder mixed = new StringBuilder("SELECT count(*) FROM events WHERE id = -1");
        for (int i = 0; i < 1500; i++) {
            mixed.append(i % 2 == 0 ? " OR id = " + i : " OR n > " + (200 + i));
        }
        assertEquals(750L, count(mixed.toString()));
    }

    @Test
    void catastrophicRegularExpressionsFailInsteadOfHanging() {
        refused("SELECT regexp_matches('" + "a".repeat(40) + "b', '(.*a){41}')", "backtracks too much");
        refused(
                "SELECT count(*) FROM events WHERE regexp_matches(city || '" + "a".repeat(40) + "b', '(.*a){42}')",
                "backtracks too much");
        assertEquals(3000L, count("SELECT count(*) FROM events WHERE regexp_matches(city, '^c[0-9]$')"));
    }

    private static String chain(String term, int terms, String op) {
        StringBuilder sb = new StringBuilder("SELECT count(*) FROM events WHERE ");
        for (int i = 0; i < terms; i++) {
            sb.append(i == 0 ? "" : op).append(term).append(i);
        }
        return sb.toString();
    }
}
