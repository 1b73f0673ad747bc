package io.river.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.TableRetention;
import io.river.engine.query.QueryException;
import io.river.engine.query.QueryResult;
import io.river.engine.testing.EngineTestUtils;
import io.river.engine.testing.TestClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention through SQL: {@code CREATE TABLE ... WITH (retention = ..., retention_column = ...)},
 * {@code ALTER TABLE ... SET / RESET}, what SHOW TABLES and DESCRIBE show, that the setting survives a
 * restart, and the errors for a bad interval, an unknown option or a retention column of the wrong type.
 */
class RetentionStatementsTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-06-01T12:00:00Z"));

    private RiverEngine open() throws IOException {
        Map<String, String> m = EngineTestUtils.smallConfig(dir);
        m.put("river.retention.check.interval.ms", "0");
        return RiverEngine.open(RiverConfig.from(m), clock);
    }

    private static QueryResult run(RiverEngine e, String sql) throws IOException {
        return new StatementExecutor(e).execute(sql);
    }

    private static List<Object> showRow(RiverEngine e, String table) throws IOException {
        for (Object[] row : run(e, "SHOW TABLES").rows()) {
            if (row[0].equals(table)) {
                return Arrays.asList(row);
            }
        }
        throw new AssertionError("SHOW TABLES lacks " + table);
    }

    @Test
    void createWithAlterSetAndResetChangeTheRetentionDurably() throws IOException {
        try (RiverEngine e = open()) {
            run(e, "CREATE TABLE ev (id BIGINT, ts TIMESTAMP) WITH (retention = '7 days', retention_column = 'ts')");
            assertEquals(
                    new TableRetention(7 * 86_400_000L, "ts"),
                    e.table("ev").orElseThrow().retentionSetting());
            assertEquals(List.of("ev", "append", 0L, "7 days", "ts"), showRow(e, "ev"));

            assertEquals(
                    "altered",
                    run(e, "ALTER TABLE ev SET (retention = '12 hours')").rows().get(0)[0]);
            assertEquals(List.of("ev", "append", 0L, "12 hours", "ts"), showRow(e, "ev"));
            assertEquals("retention 12 hours", describeExtra(e, "ev", "ts"));

            run(e, "ALTER TABLE ev RESET (retention_column)");
            assertEquals(
                    new TableRetention(12 * 3_600_000L, null),
                    e.table("ev").orElseThrow().retentionSetting());
            assertEquals("_ingested_at", showRow(e, "ev").get(4));

            run(e, "ALTER TABLE ev SET (retention = 90000)");
            assertEquals(90_000L, e.table("ev").orElseThrow().retentionMillis());
        }
        try (RiverEngine e = open()) {
            assertEquals(
                    new TableRetention(90_000L, null),
                    e.table("ev").orElseThrow().retentionSetting());
            run(e, "ALTER TABLE ev RESET (retention)");
            assertEquals(TableRetention.NONE, e.table("ev").orElseThrow().retentionSetting());
            assertNull(showRow(e, "ev").get(3), "no retention: rows are kept forever");
        }
        try (RiverEngine e = open()) {
            assertEquals(TableRetention.NONE, e.table("ev").orElseThrow().retentionSetting());
        }
    }

    private static String describeExtra(RiverEngine e, String table, String column) throws IOException {
        for (Object[] row : run(e, "DESCRIBE " + table).rows()) {
            if (row[0].equals(column)) {
                return (String) row[5];
            }
        }
        throw new AssertionError("no column " + column);
    }

    @Test
    void badRetentionOptionsAreRefusedNamingTheValue() throws IOException {
        try (RiverEngine e = open()) {
            QueryException bad = assertThrows(
                    QueryException.class, () -> run(e, "CREATE TABLE a (x INT) WITH (retention = '7 dayz')"));
            assertEquals(QueryException.INVALID_QUERY, bad.code());
            assertTrue(bad.getMessage().contains("'7 dayz'"), bad.getMessage());
            assertTrue(e.table("a").isEmpty(), "nothing was created");

            QueryException unknown =
                    assertThrows(QueryException.class, () -> run(e, "CREATE TABLE a (x INT) WITH (fillfactor = 70)"));
            assertEquals(QueryException.UNSUPPORTED, unknown.code());
            assertTrue(unknown.getMessage().contains("fillfactor"), unknown.getMessage());

            QueryException wrongType = assertThrows(
                    QueryException.class,
                    () -> run(e, "CREATE TABLE a (x INT) WITH (retention = '1 day', retention_column = 'x')"));
            assertTrue(wrongType.getMessage().contains("TIMESTAMP or DATE"), wrongType.getMessage());

            run(e, "CREATE TABLE b (x INT, d DATE)");
            QueryException alterBad =
                    assertThrows(QueryException.class, () -> run(e, "ALTER TABLE b SET (retention = 'soon')"));
            assertTrue(alterBad.getMessage().contains("'soon'"), alterBad.getMessage());
            QueryException missing =
                    assertThrows(QueryException.class, () -> run(e, "ALTER TABLE b SET (retention_column = 'nope')"));
            assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
            assertEquals(TableRetention.NONE, e.table("b").orElseThrow().retentionSetting());
            run(e, "ALTER TABLE b SET (retention_column = 'd', retention = '30 days')");
            assertEquals(
                    new TableRetention(30 * 86_400_000L, "d"),
                    e.table("b").orElseThrow().retentionSetting());

            QueryException other = assertThrows(QueryException.class, () -> run(e, "ALTER TABLE b ADD COLUMN y INT"));
            assertEquals(QueryException.UNSUPPORTED, other.code());
            QueryException noTable =
                    assertThrows(QueryException.class, () -> run(e, "ALTER TABLE nope SET (retention = '1 day')"));
            assertEquals(QueryException.UNKNOWN_TABLE, noTable.code());
            assertTrue(StatementExecutor.changesData("ALTER TABLE b RESET (retention)"));
        }
    }
}
