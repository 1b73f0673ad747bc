package io.river.http.ingest;

import static io.river.http.ingest.ArrowValues.field;
import static io.river.http.ingest.Bodies.bytes;
import static io.river.http.ingest.Bodies.comparable;
import static io.river.http.ingest.Bodies.row;
import static io.river.http.ingest.Bodies.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The same rows sent as NDJSON, CSV and Arrow give equal row maps, for a new table and for an existing one. */
class SameRowsAcrossFormatsTest {
    private static final ArrowType INT32 = new ArrowType.Int(32, true);
    private static final ArrowType INT64 = new ArrowType.Int(64, true);
    private static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    private static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
    private static final ArrowType BOOL = ArrowType.Bool.INSTANCE;

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void everyBufferIsReleased() {
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    private List<Map<String, Object>> ndjson(String body, TableSchema schema) throws IOException {
        return comparable(new NdjsonReader().read(text(body), schema, 100));
    }

    private List<Map<String, Object>> csv(String body, TableSchema schema) throws IOException {
        return comparable(new CsvReader().read(text(body), schema, 100));
    }

    private List<Map<String, Object>> arrow(List<Field> fields, Object[][] rows, TableSchema schema)
            throws IOException {
        byte[] body;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            body = Bodies.arrow(root, null, ArrowValues.rows(rows));
        }
        return comparable(new ArrowIngestReader(allocator).read(bytes(body), schema, 100));
    }

    @Test
    void newTableGetsEqualRowsFromEveryFormat() throws IOException {
        TableSchema schema = TableSchema.initial();
        List<Map<String, Object>> expected = List.of(
                row("id", 1L, "price", 1.5, "ok", true, "name", "a, \"b\""),
                row("id", 2L, "price", 2.0, "ok", false, "name", "two\nlines", "note", "x"));

        assertEquals(
                expected,
                ndjson(
                        "{\"id\":1,\"price\":1.5,\"ok\":true,\"name\":\"a, \\\"b\\\"\",\"note\":null}\n"
                                + "{\"id\":2,\"price\":2.0,\"ok\":false,\"name\":\"two\\nlines\",\"note\":\"x\"}\n",
                        schema));
        assertEquals(
                expected,
                csv(
                        "id,price,ok,name,note\n1,1.5,true,\"a, \"\"b\"\"\",\n" + "2,2.0,false,\"two\nlines\",x\n",
                        schema));
        assertEquals(
                expected,
                arrow(
                        List.of(
                                field("id", INT64),
                                field("price", FLOAT64),
                                field("ok", BOOL),
                                field("name", UTF8),
                                field("note", UTF8)),
                        new Object[][] {{1L, 1.5, true, "a, \"b\"", null}, {2L, 2.0, false, "two\nlines", "x"}},
                        schema));
    }

    @Test
    void existingTableGetsEqualRowsFromEveryFormat() throws IOException {
        TableSchema schema = TableSchema.initial()
                .evolve(Row.of(
                        "k",
                        Map.of(
                                "n",
                                1,
                                "amount",
                                1.0,
                                "at",
                                Instant.EPOCH,
                                "raw",
                                new byte[] {0},
                                "flag",
                                true,
                                "label",
                                "x",
                                "big",
                                1L)));
        Instant at = Instant.parse("2026-01-02T03:04:05.123Z");
        List<Map<String, Object>> expected = List.of(
                row(
                        "_key",
                        "k1",
                        "n",
                        5,
                        "amount",
                        3.0,
                        "at",
                        at,
                        "raw",
                        new byte[] {1, 2, 3},
                        "flag",
                        true,
                        "label",
                        "12",
                        "big",
                        7L,
                        "_timestamp",
                        at,
                        "_deleted",
                        false),
                row("_key", "k2", "_deleted", true));

        assertEquals(
                expected,
                ndjson(
                        "{\"_key\":\"k1\",\"n\":5,\"amount\":3,\"at\":\"2026-01-02T03:04:05.123Z\","
                                + "\"raw\":\"AQID\",\"flag\":true,\"label\":\"12\",\"big\":7,\"_timestamp\":1767323045"
                                + "123,"
                                + "\"_deleted\":false}\n{\"_key\":\"k2\",\"_deleted\":true}\n",
                        schema));
        assertEquals(
                expected,
                csv(
                        "_key,n,amount,at,raw,flag,label,big,_timestamp,_deleted\n"
                                + "k1,5,3,2026-01-02 03:04:05.123,AQID,TRUE,12,7,1767323045123,false\n"
                                + "k2,,,,,,,,,true\n",
                        schema));
        assertEquals(
                expected,
                arrow(
                        List.of(
                                field("_key", UTF8),
                                field("n", INT32),
                                field("amount", INT64),
                                field("at", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                                field("raw", ArrowType.Binary.INSTANCE),
                                field("flag", BOOL),
                                field("label", UTF8),
                                field("big", INT32),
                                field("_timestamp", new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)),
                                field("_deleted", BOOL)),
                        new Object[][] {
                            {"k1", 5, 3L, 1767323045123456L, new byte[] {1, 2, 3}, true, "12", 7, 1767323045123L, false
                            },
                            {"k2", null, null, null, null, null, null, null, null, true}
                        },
                        schema));
    }
}
