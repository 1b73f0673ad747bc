package io.river.http.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With river.http.auth.token set, Flight SQL takes the token as a bearer token or as the password. */
class FlightSqlAuthTest {
    static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dir;

    static FlightFixture river;

    @BeforeAll
    static void start() throws IOException {
        river = FlightFixture.start(dir, TOKEN);
        river.writeEvents(30);
    }

    @AfterAll
    static void stop() throws IOException {
        river.close();
    }

    @Test
    void refusedWithoutTheToken() {
        SQLException none = assertThrows(SQLException.class, () -> count(river.connect()));
        String message = FlightSqlJdbcTest.messages(none);
        assertTrue(message.contains("river.http.auth.token"), message);
        assertThrows(SQLException.class, () -> count(river.connect("token", "wrong")));
        assertThrows(SQLException.class, () -> count(river.connect("user", "river", "password", "wrong")));
    }

    @Test
    void acceptedWithTheTokenProperty() throws SQLException {
        assertEquals(30, count(river.connect("token", TOKEN)));
    }

    @Test
    void acceptedWithTheTokenAsPassword() throws SQLException {
        assertEquals(30, count(river.connect("user", "anyone", "password", TOKEN)));
    }

    private static long count(Connection connection) throws SQLException {
        try (Connection c = connection;
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }
}
