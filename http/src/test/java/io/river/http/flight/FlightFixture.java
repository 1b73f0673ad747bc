package io.river.http.flight;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.http.RiverServer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * An engine on a temp directory with the REST server and the Flight SQL endpoint on ephemeral
 * loopback ports (as {@code river serve} runs them), plus JDBC connections through the stock Flight SQL
 * driver. Closing stops Flight, then HTTP, then closes the engine. Public for the benchmarks' tests
 * (ClickBench over Flight SQL). Not thread-safe.
 */
public final class FlightFixture implements AutoCloseable {
    /** Cities of the {@link #writeEvents} rows, by {@code i % 3}. */
    static final String[] CITIES = {"Berlin", "Lisbon", "Oslo"};
    /** The timestamp of event 0; event i is i seconds later. */
    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    public final RiverEngine engine;
    final RiverServer server;
    final FlightSqlService flight;

    private FlightFixture(RiverEngine engine, RiverServer server, FlightSqlService flight) {
        this.engine = engine;
        this.server = server;
        this.flight = flight;
    }

    /** Starts everything on {@code dir}; {@code token} (null: none) guards REST and Flight alike. */
    public static FlightFixture start(Path dir, String token) throws IOException {
        Map<String, String> m = new HashMap<>();
        m.put("river.data.dir", dir.toString());
        m.put("river.http.host", "127.0.0.1");
        m.put("river.http.port", "0");
        m.put("river.checkpoint.interval.ms", "0");
        m.put("river.flush.interval.ms", "0");
        if (token != null) {
            m.put("river.http.auth.token", token);
        }
        RiverConfig config = RiverConfig.from(m);
        RiverEngine engine = RiverEngine.open(config);
        RiverServer server = null;
        try {
            server = RiverServer.start(config, engine);
            FlightSqlService flight = FlightSqlService.start("127.0.0.1", 0, token, null, null, engine);
            return new FlightFixture(engine, server, flight);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.stop();
            }
            engine.close();
            throw e;
        }
    }

    /**
     * Writes {@code n} rows to table {@code events} (upsert): id (INT64) i, city {@link #CITIES}[i % 3],
     * amount (FLOAT64) i * 0.5, ts {@link #T0} + i s; in batches of 10,000.
     */
    void writeEvents(int n) throws IOException {
        engine.createTable("events", TableMode.UPSERT);
        for (int from = 0; from < n; from += 10_000) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (int i = from; i < Math.min(n, from + 10_000); i++) {
                b.add(
                        "events",
                        Row.builder("e" + i)
                                .set("id", (long) i)
                                .set("city", CITIES[i % 3])
                                .set("amount", i * 0.5)
                                .set("ts", T0.plusSeconds(i))
                                .build());
            }
            engine.write(b.build());
        }
    }

    String jdbcUrl() {
        return "jdbc:arrow-flight-sql://127.0.0.1:" + flight.port() + "/?useEncryption=false";
    }

    /** A connection with these driver properties ("token", or "user" and "password"). */
    public Connection connect(String... keyValues) throws SQLException {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    @Override
    public void close() throws IOException {
        flight.close();
        server.stop();
        engine.close();
    }
}
