package io.river.http.flight;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** River's Flight SQL endpoint through the stock Arrow Flight SQL JDBC driver. */
class FlightSqlJdbcTest {
    static final int ROWS = 3_000;

    @TempDir
    static Path dir;

    static FlightFixture river;

    @BeforeAll
    static void start() throws IOException {
        river = FlightFixture.start(dir, null);
        river.writeEvents(ROWS);
    }

    @AfterAll
    static void stop() throws IOException {
        river.close();
    }

    @Test
    void countStar() throws SQLException {
        try (Connection c = river.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) AS n FROM events")) {
            assertTrue(rs.next());
            assertEquals(ROWS, rs.getLong("n"));
            assertEquals(ROWS, rs.getLong(1));
            assertFalse(rs.next());
        }
    }

    @Test
    void groupByWithStringsDoublesAndTimestamps() throws SQLException {
        String sql = "SELECT city, count(*) AS n, sum(amount) AS total, max(ts) AS latest FROM events "
                + "GROUP BY city ORDER BY city";
        // timezone=UTC: the driver shows River's UTC timestamps as they are, whatever the JVM's zone.
        try (Connection c = river.connect("timezone", "UTC");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertEquals("VARCHAR", rs.getMetaData().getColumnTypeName(1));
            assertEquals(Types.DOUBLE, rs.getMetaData().getColumnType(3));
            assertEquals(Types.TIMESTAMP, rs.getMetaData().getColumnType(4));
            for (int city = 0; city < 3; city++) {
                assertTrue(rs.next());
                assertEquals(FlightFixture.CITIES[city], rs.getString("city"));
                long n = 0;
                double total = 0;
                int last = 0;
                for (int i = city; i < ROWS; i += 3) {
                    n++;
                    total += i * 0.5;
                    last = i;
                }
                assertEquals(n, rs.getLong("n"));
                assertEquals(total, rs.getDouble("total"), 1e-9);
                // UTC wall-clock time in a plain TIMESTAMP (see ArrowBatches), readable with getObject.
                LocalDateTime expected = LocalDateTime.ofInstant(FlightFixture.T0.plusSeconds(last), ZoneOffset.UTC);
                assertEquals(expected, rs.getTimestamp("latest").toLocalDateTime());
                assertEquals(Timestamp.valueOf(expected), rs.getObject("latest"));
                assertEquals(Timestamp.valueOf(expected), rs.getObject(4));
                assertEquals(Timestamp.valueOf(expected).toString(), rs.getString("latest"));
            }
            assertFalse(rs.next());
        }
    }

    @Test
    void preparedStatementRunsAgainOnEachExecution() throws SQLException, IOException {
        try (Connection c = river.connect();
                PreparedStatement p = c.prepareStatement("SELECT count(*) FROM events WHERE city = 'Oslo'")) {
            assertEquals(ROWS / 3, single(p));
            assertEquals(ROWS / 3, single(p));
        }
    }

    private static long single(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            assertTrue(rs.next());
            long v = rs.getLong(1);
            assertFalse(rs.next());
            return v;
        }
    }

    @Test
    void metadataListsTablesColumnsAndNoCatalogsOrSchemas() throws SQLException {
        try (Connection c = river.connect()) {
            DatabaseMetaData md = c.getMetaData();
            // "default" is the table every engine has.
            assertEquals(List.of("default", "events"), column(md.getTables(null, null, "%", null), "TABLE_NAME"));
            assertEquals(
                    List.of("events"),
                    column(md.getTables(null, null, "ev_nt%", new String[] {"TABLE"}), "TABLE_NAME"));
            assertEquals(List.of(), column(md.getTables(null, null, "nope%", null), "TABLE_NAME"));
            assertEquals(List.of(), column(md.getTables(null, null, "%", new String[] {"VIEW"}), "TABLE_NAME"));
            assertEquals(List.of("TABLE"), column(md.getTableTypes(), "TABLE_TYPE"));
            assertEquals(List.of(), column(md.getCatalogs(), "TABLE_CAT"));
            assertEquals(List.of(), column(md.getSchemas(), "TABLE_SCHEM"));
            assertEquals(List.of(), column(md.getPrimaryKeys(null, null, "events"), "COLUMN_NAME"));
            assertEquals(List.of(), column(md.getImportedKeys(null, null, "events"), "FKCOLUMN_NAME"));
            assertEquals(List.of(), column(md.getExportedKeys(null, null, "events"), "FKCOLUMN_NAME"));

            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, null, "events", "%")) {
                while (rs.next()) {
                    assertEquals("events", rs.getString("TABLE_NAME"));
                    names.add(rs.getString("COLUMN_NAME"));
                    types.add(rs.getString("TYPE_NAME"));
                }
            }
            for (String[] expected :
                    new String[][] {{"id", "BIGINT"}, {"city", "VARCHAR"}, {"amount", "DOUBLE"}, {"ts", "TIMESTAMP"}}) {
                int at = names.indexOf(expected[0]);
                assertTrue(at >= 0, () -> expected[0] + " missing from " + names);
                assertEquals(expected[1], types.get(at), expected[0]);
            }
            assertEquals("River", md.getDatabaseProductName());
            assertTrue(md.isReadOnly());
        }
    }

    private static List<String> column(ResultSet rs, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString(name));
            }
        }
        return out;
    }

    @Test
    void badSqlIsAnSqlExceptionWithRiversMessage() throws SQLException {
        try (Connection c = river.connect();
                Statement s = c.createStatement()) {
            SQLException syntax = assertThrows(SQLException.class, () -> s.executeQuery("SELECT FROM WHERE events"));
            assertTrue(messages(syntax).contains("(line 1, column"), () -> messages(syntax));
            SQLException unknown = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM nope"));
            assertTrue(messages(unknown).contains("table nope does not exist"), () -> messages(unknown));
            SQLException column = assertThrows(SQLException.class, () -> s.executeQuery("SELECT wat FROM events"));
            assertTrue(messages(column).contains("wat"), () -> messages(column));
            // The connection still works after errors.
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
                assertTrue(rs.next());
            }
        }
    }

    /** The messages of an exception and its causes. */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            sb.append(x.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void releasesEveryArrowBuffer(@TempDir Path own) throws Exception {
        FlightFixture f = FlightFixture.start(own, null);
        try {
            f.writeEvents(1_000);
            try (Connection c = f.connect();
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM events")) {
                    int n = 0;
                    while (rs.next()) {
                        n++;
                    }
                    assertEquals(1_000, n);
                }
                assertThrows(SQLException.class, () -> s.executeQuery("SELECT nope FROM events"));
                column(c.getMetaData().getTables(null, null, "%", null), "TABLE_NAME");
                column(c.getMetaData().getColumns(null, null, "%", "%"), "COLUMN_NAME");
                column(c.getMetaData().getTableTypes(), "TABLE_TYPE");
            }
            // Flight releases a batch once gRPC has written it, which may follow the call's end.
            await().atMost(Duration.ofSeconds(10)).until(() -> f.flight.allocatedBytes() == 0);
            f.flight.close();
            for (BufferAllocator child : f.engine.allocator().getChildAllocators()) {
                assertFalse(child.getName().equals("flight-sql"), "the Flight allocator is still open");
            }
        } finally {
            f.close(); // the engine's allocator refuses to close with the child open or leaking
        }
    }
}
