package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.ColumnType;
import io.river.engine.testing.InMemoryTableSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;

/** The Arrow IPC stream form of a result reads back to the same values, in several batches. */
class ArrowResultTest {
    @Test
    void resultRoundTripsThroughArrowStream() throws Exception {
        try (RootAllocator allocator = new RootAllocator();
                QueryEngine engine = new QueryEngine(2)) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 70_000; i++) {
                rows.add(QueryEngineTest.row(
                        i,
                        i % 3 == 0 ? null : "c" + (i % 5),
                        i % 7 == 0 ? null : i,
                        i * 0.5,
                        i % 2 == 0,
                        Instant.ofEpochMilli(i * 1000L),
                        new byte[] {(byte) i}));
            }
            TestCatalog catalog = new TestCatalog()
                    .with(InMemoryTableSnapshot.builder("events", QueryEngineTest.COLUMNS, allocator)
                            .rows(rows)
                            .blockRows(4096)
                            .build());
            QueryResult result = engine.execute("SELECT * FROM events ORDER BY id", catalog);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            result.writeArrowStream(out, allocator);

            int seen = 0;
            int batches = 0;
            try (ArrowStreamReader reader =
                    new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                assertEquals(
                        List.of("id", "city", "n", "amount", "ok", "ts", "raw"),
                        root.getSchema().getFields().stream()
                                .map(f -> f.getName())
                                .toList());
                while (reader.loadNextBatch()) {
                    batches++;
                    for (int r = 0; r < root.getRowCount(); r++, seen++) {
                        Object[] expected = result.rows().get(seen);
                        assertEquals(expected[0], root.getVector("id").getObject(r));
                        Object city = root.getVector("city").getObject(r);
                        assertEquals(expected[1], city == null ? null : city.toString());
                        assertEquals(expected[2], root.getVector("n").getObject(r));
                        assertEquals(
                                ((Instant) expected[5]).toEpochMilli(),
                                root.getVector("ts").getObject(r));
                    }
                }
            }
            assertEquals(70_000, seen);
            assertTrue(batches >= 2, "batches " + batches);
            assertEquals(ColumnType.TIMESTAMP, result.columns().get(5).type());
        }
    }

    @Test
    void emptyResultIsASchemaAndOneEmptyBatch() throws Exception {
        try (RootAllocator allocator = new RootAllocator();
                QueryEngine engine = new QueryEngine(1)) {
            TestCatalog catalog = new TestCatalog()
                    .with(InMemoryTableSnapshot.builder("events", QueryEngineTest.COLUMNS, allocator)
                            .rows(List.of())
                            .build());
            QueryResult result = engine.execute("SELECT city, count(*) FROM events GROUP BY city", catalog);
            assertEquals(0, result.rowCount());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            result.writeArrowStream(out, allocator);
            try (ArrowStreamReader reader =
                    new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
                assertEquals(
                        2, reader.getVectorSchemaRoot().getSchema().getFields().size());
                assertTrue(reader.loadNextBatch());
                assertEquals(0, reader.getVectorSchemaRoot().getRowCount());
            }
            assertNull(QueryResult.jsonValue(null));
            assertEquals("2024-01-01T00:00:00Z", QueryResult.jsonValue(QueryEngineTest.T0));
            assertEquals("AQI=", QueryResult.jsonValue(new byte[] {1, 2}));
        }
    }
}
