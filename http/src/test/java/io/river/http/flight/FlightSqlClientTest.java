package io.river.http.flight;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** River's Flight SQL endpoint through Arrow's own FlightSqlClient: streamed batches and status codes. */
class FlightSqlClientTest {
    static final int ROWS = 150_000;

    @TempDir
    static Path dir;

    static FlightFixture river;
    static BufferAllocator allocator;
    static FlightSqlClient client;

    @BeforeAll
    static void start() throws IOException {
        river = FlightFixture.start(dir, null);
        river.writeEvents(ROWS);
        allocator = new RootAllocator();
        client = new FlightSqlClient(
                FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", river.flight.port()))
                        .build());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            client.close();
            allocator.close(); // throws when a client buffer leaked
        } finally {
            river.close();
        }
    }

    @Test
    void streamsALargeResultInSeveralBatches() throws Exception {
        FlightInfo info = client.execute("SELECT id, city, amount, ts FROM events");
        assertEquals(ROWS, info.getRecords());
        assertEquals(1, info.getEndpoints().size());
        long rows = 0;
        long idSum = 0;
        int batches = 0;
        try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
            assertEquals(
                    info.getSchema().getFields().size(),
                    stream.getSchema().getFields().size());
            while (stream.next()) {
                VectorSchemaRoot root = stream.getRoot();
                if (root.getRowCount() == 0) {
                    continue;
                }
                batches++;
                assertTrue(root.getRowCount() <= ArrowBatches.BATCH_ROWS, "batch of " + root.getRowCount());
                BigIntVector id = (BigIntVector) root.getVector("id");
                for (int i = 0; i < root.getRowCount(); i++) {
                    idSum += id.get(i);
                }
                rows += root.getRowCount();
            }
        }
        assertEquals(ROWS, rows);
        assertEquals((long) ROWS * (ROWS - 1) / 2, idSum);
        assertTrue(batches >= 3, batches + " batches");
    }

    @Test
    void preparedStatementThroughTheClient() throws Exception {
        try (FlightSqlClient.PreparedStatement p =
                client.prepare("SELECT city, count(*) AS n FROM events " + "GROUP BY city ORDER BY city")) {
            assertEquals("city", p.getResultSetSchema().getFields().get(0).getName());
            for (int run = 0; run < 2; run++) {
                FlightInfo info = p.execute();
                try (FlightStream stream =
                        client.getStream(info.getEndpoints().get(0).getTicket())) {
                    long total = 0;
                    while (stream.next()) {
                        BigIntVector n = (BigIntVector) stream.getRoot().getVector("n");
                        for (int i = 0; i < stream.getRoot().getRowCount(); i++) {
                            total += n.get(i);
                        }
                    }
                    assertEquals(ROWS, total);
                }
            }
        }
    }

    @Test
    void rowsPastTheTableRetentionAreNotServed() throws Exception {
        river.engine.createTable("aged", TableMode.APPEND, new TableRetention(86_400_000L, null));
        WriteBatch.Builder b = WriteBatch.builder();
        for (int i = 0; i < 8; i++) {
            Instant at = i < 5 ? Instant.parse("2000-01-01T00:00:00Z") : Instant.now();
            b.add(
                    "aged",
                    Row.builder("a" + i)
                            .set("id", (long) i)
                            .set("_ingested_at", at)
                            .build());
        }
        river.engine.write(b.build());
        FlightInfo info = client.execute("SELECT count(*) AS n, min(id) AS lo FROM aged");
        try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
            assertTrue(stream.next());
            assertEquals(3L, ((BigIntVector) stream.getRoot().getVector("n")).get(0));
            assertEquals(5L, ((BigIntVector) stream.getRoot().getVector("lo")).get(0));
        }
    }

    @Test
    void userErrorsAreClientStatusesWithRiversMessage() {
        FlightRuntimeException syntax =
                assertThrows(FlightRuntimeException.class, () -> client.execute("SELECT FROM WHERE events"));
        assertEquals(FlightStatusCode.INVALID_ARGUMENT, syntax.status().code());
        assertTrue(syntax.getMessage().contains("(line 1, column"), syntax.getMessage());

        FlightRuntimeException table =
                assertThrows(FlightRuntimeException.class, () -> client.execute("SELECT * FROM nope"));
        assertEquals(FlightStatusCode.NOT_FOUND, table.status().code());
        assertTrue(table.getMessage().contains("table nope does not exist"), table.getMessage());

        FlightRuntimeException column =
                assertThrows(FlightRuntimeException.class, () -> client.prepare("SELECT wat FROM events"));
        assertEquals(FlightStatusCode.INVALID_ARGUMENT, column.status().code());

        FlightRuntimeException join = assertThrows(
                FlightRuntimeException.class,
                () -> client.execute("SELECT * FROM events a JOIN events b ON a.id = b.id"));
        assertEquals(FlightStatusCode.INVALID_ARGUMENT, join.status().code());
        assertTrue(join.getMessage().contains("JOIN"), join.getMessage());
    }

    @Test
    void aStreamClosedHalfWayReleasesItsBuffers() throws Exception {
        FlightInfo info = client.execute("SELECT id, city, amount, ts FROM events");
        try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
            assertTrue(stream.next());
            stream.cancel("enough", null);
        }
        // The server sees the cancel, stops producing and closes its batch; gRPC frees what it had queued.
        await().atMost(Duration.ofSeconds(30)).until(() -> river.flight.allocatedBytes() == 0);
        FlightInfo again = client.execute("SELECT count(*) FROM events");
        try (FlightStream stream = client.getStream(again.getEndpoints().get(0).getTicket())) {
            assertTrue(stream.next());
        }
    }

    @Test
    void aTicketServesOnce() throws Exception {
        FlightInfo info = client.execute("SELECT count(*) FROM events");
        try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
            assertTrue(stream.next());
        }
        FlightRuntimeException again = assertThrows(FlightRuntimeException.class, () -> {
            try (FlightStream stream =
                    client.getStream(info.getEndpoints().get(0).getTicket())) {
                stream.next();
            }
        });
        assertEquals(FlightStatusCode.NOT_FOUND, again.status().code());
    }
}
