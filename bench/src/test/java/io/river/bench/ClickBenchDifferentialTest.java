package io.river.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickBench's 43 queries, verbatim ({@link ClickBenchQueries}: ClickHouse/ClickBench's
 * duckdb/queries.sql), on a generated 200,000-row {@code hits} table loaded the same into River
 * ({@link ClickBenchLoad}: CREATE TABLE, INSERT, then the row API) and into DuckDB: every River
 * answer is one DuckDB gives, ties at a LIMIT judged fairly ({@link ClickBenchJudge}).
 */
class ClickBenchDifferentialTest {
    static final int ROWS = 200_000;

    @TempDir
    static Path dir;

    static RiverEngine river;
    static QueryEngine queries;
    static Connection duck;

    @BeforeAll
    static void load() throws Exception {
        ClickBenchData data = new ClickBenchData(ROWS, 1L);
        river = RiverEngine.open(RiverConfig.from(Map.of(
                "river.data.dir", dir.toString(),
                "river.http.port", "-1",
                "river.checkpoint.interval.ms", "0")));
        queries = new QueryEngine();
        duck = DriverManager.getConnection("jdbc:duckdb:");
        ClickBenchLoad.intoRiver(river, data);
        ClickBenchLoad.intoDuckDb(duck, data);
    }

    @AfterAll
    static void close() throws Exception {
        duck.close();
        queries.close();
        river.close();
    }

    @Test
    void everyQueryAnswersAsDuckDb() throws SQLException {
        List<String> all = ClickBenchQueries.all();
        assertEquals(43, all.size());
        List<String> failures = new ArrayList<>();
        EngineCatalog catalog = new EngineCatalog(river);
        for (int q = 0; q < all.size(); q++) {
            String sql = all.get(q);
            List<Object[]> expected = duck(sql);
            List<Object[]> whole =
                    ClickBenchQueries.limit(sql) < 0 ? expected : duck(ClickBenchQueries.withoutLimit(sql));
            try {
                List<Object[]> actual = ClickBenchJudge.normalizeAll(
                        queries.execute(sql, catalog).rows());
                String diff = ClickBenchJudge.judge(sql, expected, whole, actual);
                if (diff != null) {
                    failures.add("Q" + (q + 1) + " " + sql + "\n  " + diff);
                }
            } catch (RuntimeException e) {
                failures.add("Q" + (q + 1) + " " + sql + "\n  River: " + e);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of 43 differ:\n" + String.join("\n", failures));
    }

    @Test
    void everyQueryHasAnAnswer() throws SQLException {
        List<String> all = ClickBenchQueries.all();
        List<String> empty = new ArrayList<>();
        for (int q = 0; q < all.size(); q++) {
            if (duck(all.get(q)).isEmpty()) {
                empty.add("Q" + (q + 1));
            }
        }
        assertTrue(empty.isEmpty(), "the generated table answers nothing to " + empty);
    }

    static List<Object[]> duck(String sql) throws SQLException {
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return ClickBenchJudge.read(rs);
        }
    }
}
