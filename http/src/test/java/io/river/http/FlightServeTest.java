package io.river.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.model.Row;
import io.river.engine.model.WriteBatch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code river serve}'s Flight SQL endpoint: off by default, on with river.flight.port, with the REST
 * token and TLS.
 */
class FlightServeTest {
    @TempDir
    Path dir;

    @Test
    void offByDefault() {
        try (ServeCommand.Running running = ServeCommand.start(RiverConfig.from(TestServer.config(dir)))) {
            assertNull(running.flight);
            assertNull(running.flightUrl());
        }
    }

    @Test
    void servesWithTheRestTokenAndTls() throws Exception {
        TestTls tls = TestTls.create(dir);
        List<String> overrides = new ArrayList<>(List.of(tls.serverConfig()));
        overrides.add("river.flight.port=0");
        overrides.add("river.http.auth.token=t0ken");
        RiverConfig config = RiverConfig.from(TestServer.config(dir.resolve("data"), overrides.toArray(new String[0])));
        try (ServeCommand.Running running = ServeCommand.start(config)) {
            int port = running.flight.port();
            assertEquals("grpc+tls://127.0.0.1:" + port, running.flightUrl());
            running.engine.write(
                    WriteBatch.of("default", Row.builder("k1").set("n", 41L).build()));

            String url = "jdbc:arrow-flight-sql://localhost:" + port + "/?useEncryption=true";
            Properties props = new Properties();
            props.setProperty("useSystemTrustStore", "false");
            props.setProperty("trustStore", tls.truststore.toString());
            props.setProperty("trustStorePassword", TestTls.PASSWORD);
            props.setProperty("token", "t0ken");
            try (Connection c = DriverManager.getConnection(url, props);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT n + 1 AS m FROM \"default\"")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getLong("m"));
            }

            Properties noToken = new Properties();
            noToken.setProperty("useSystemTrustStore", "false");
            noToken.setProperty("trustStore", tls.truststore.toString());
            noToken.setProperty("trustStorePassword", TestTls.PASSWORD);
            assertThrows(SQLException.class, () -> {
                try (Connection c = DriverManager.getConnection(url, noToken);
                        Statement s = c.createStatement()) {
                    s.executeQuery("SELECT 1").close();
                }
            });
        }
    }

    @Test
    void aTakenFlightPortStopsStartUp() throws Exception {
        RiverConfig first = RiverConfig.from(TestServer.config(dir.resolve("a"), "river.flight.port=0"));
        try (ServeCommand.Running running = ServeCommand.start(first)) {
            RiverConfig second =
                    RiverConfig.from(TestServer.config(dir.resolve("b"), "river.flight.port=" + running.flight.port()));
            ServeCommand.StartupException taken =
                    assertThrows(ServeCommand.StartupException.class, () -> ServeCommand.start(second));
            assertTrue(taken.getMessage().contains("river.flight.port"), taken.getMessage());
        }
        // The failed start released its data dir: it can be opened again.
        RiverConfig again = RiverConfig.from(TestServer.config(dir.resolve("b")));
        try (ServeCommand.Running running = ServeCommand.start(again)) {
            assertTrue(running.server.isReady());
        }
    }
}
