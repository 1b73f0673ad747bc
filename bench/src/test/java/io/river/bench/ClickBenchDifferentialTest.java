package io.river.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.http.flight.FlightFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickBench's 43 queries, verbatim ({@link ClickBenchQueries}: ClickHouse/ClickBench's
 * duckdb/queries.sql), on a generated 200,000-row {@code hits} table loaded the same into River
 * ({@link ClickBenchLoad}: CREATE TABLE, INSERT, then the row API) and into DuckDB: every River answer,
 * in process and through the stock Flight SQL JDBC driver against River's Flight SQL endpoint
 * ({@link FlightFixture}, as {@code river serve} runs it), is one DuckDB gives, ties at a LIMIT judged
 * fairly ({@link ClickBenchJudge}).
 */
class ClickBenchDifferentialTest {
    static final int ROWS = 200_000;

    @TempDir
    static Path dir;

    static FlightFixture river;
    static QueryEngine queries;
    static Connection duck;
    /** DuckDB's answers, by query: as asked, and to {@link ClickBenchQueries#wholeQuery}. */
    static final List<List<Object[]>> expected = new ArrayList<>();

    static final List<List<Object[]>> whole = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        ClickBenchData data = new ClickBenchData(ROWS, 1L);
        river = FlightFixture.start(dir, null);
        queries = new QueryEngine();
        duck = DriverManager.getConnection("jdbc:duckdb:");
        ClickBenchLoad.intoRiver(river.engine, data);
        ClickBenchLoad.intoDuckDb(duck, data);
        for (String sql : ClickBenchQueries.all()) {
            List<Object[]> answer = duck(sql);
            expected.add(answer);
            String wholeSql = ClickBenchQueries.wholeQuery(sql);
            whole.add(wholeSql.equals(sql) ? answer : duck(wholeSql));
        }
    }

    @AfterAll
    static void close() throws Exception {
        duck.close();
        queries.close();
        river.close();
    }

    /** River's answer to one query, normalized as {@link ClickBenchJudge} reads DuckDB's. */
    private interface RiverSide {
        List<Object[]> answer(String sql) throws SQLException;
    }

    @Test
    void everyQueryAnswersAsDuckDbInProcess() throws SQLException {
        EngineCatalog catalog = new EngineCatalog(river.engine);
        assertSameAnswers(sql ->
                ClickBenchJudge.normalizeAll(queries.execute(sql, catalog).rows()));
    }

    @Test
    void everyQueryAnswersAsDuckDbThroughTheFlightSqlJdbcDriver() throws SQLException {
        // timezone=UTC: the driver shows River's UTC timestamps as they are, whatever the JVM's zone.
        try (Connection jdbc = river.connect("timezone", "UTC")) {
            assertSameAnswers(sql -> {
                try (Statement st = jdbc.createStatement();
                        ResultSet rs = st.executeQuery(sql)) {
                    return ClickBenchJudge.read(rs);
                }
            });
        }
    }

    @Test
    void everyQueryHasAnAnswer() {
        List<String> empty = new ArrayList<>();
        for (int q = 0; q < expected.size(); q++) {
            if (expected.get(q).isEmpty()) {
                empty.add("Q" + (q + 1));
            }
        }
        assertTrue(empty.isEmpty(), "the generated table answers nothing to " + empty);
    }

    private static void assertSameAnswers(RiverSide side) {
        List<String> all = ClickBenchQueries.all();
        assertEquals(43, all.size());
        List<String> failures = new ArrayList<>();
        for (int q = 0; q < all.size(); q++) {
            String sql = all.get(q);
            try {
                String diff = ClickBenchJudge.judge(sql, expected.get(q), whole.get(q), side.answer(sql));
                if (diff != null) {
                    failures.add("Q" + (q + 1) + " " + sql + "\n  " + diff);
                }
            } catch (SQLException | RuntimeException e) {
                failures.add("Q" + (q + 1) + " " + sql + "\n  River: " + e);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of 43 differ:\n" + String.join("\n", failures));
    }

    static List<Object[]> duck(String sql) throws SQLException {
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return ClickBenchJudge.read(rs);
        }
    }
}
