package io.river.http;

import static io.river.http.TestServer.assertError;
import static io.river.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server protocol over HTTP: {@code POST /ingest} in each format, its atomicity and limits, and
 * the positions of a scope ({@code River-Positions}, {@code /positions/claim}, fencing, retries).
 */
class IngestProtocolTest {
    private static final String NDJSON = "application/x-ndjson";
    private static final String CSV = "text/csv";
    private static final String ARROW = "application/vnd.apache.arrow.stream";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir, "river.ingest.max.rows=1000", "river.ingest.max.body.bytes=65536");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private HttpResponse<byte[]> ingest(String query, String contentType, String body, String... headers) {
        return server.post("/ingest?" + query, body.getBytes(StandardCharsets.UTF_8), contentType, headers);
    }

    private JsonNode rows(String sql) {
        HttpResponse<byte[]> r = server.get("/query?sql=" + TestServer.enc(sql));
        assertEquals(200, r.statusCode(), TestServer.text(r));
        return json(r).get("rows");
    }

    @Test
    void ndjsonBodyIsOneAtomicDurableWrite() {
        HttpResponse<byte[]> r = ingest(
                "table=events",
                NDJSON,
                "{\"city\":\"Paris\",\"n\":1}\n{\"city\":\"Oslo\",\"n\":2}\n\n{\"city\":\"Rome\",\"n\":3.5}\n");
        assertEquals(200, r.statusCode(), TestServer.text(r));
        JsonNode answer = json(r);
        assertEquals(3, answer.get("rows").asInt());
        assertTrue(answer.get("lsn").asLong() > 0);
        assertTrue(answer.get("durable").asBoolean());
        assertEquals(
                "[[\"Oslo\",2.0],[\"Paris\",1.0],[\"Rome\",3.5]]",
                rows("SELECT city, n FROM events ORDER BY city").toString());
    }

    @Test
    void badNdjsonLineRefusesTheWholeRequestNamingTheLine() {
        ingest("table=events", NDJSON, "{\"n\":1}\n");
        HttpResponse<byte[]> r = ingest("table=events", NDJSON, "{\"n\":2}\n{\"n\":3}\n{\"n\":\n{\"n\":5}\n");
        JsonNode error = assertError(r, 400, "bad_row");
        assertEquals(3, error.get("line").asInt(), error.toString());
        assertTrue(error.get("message").asText().contains("line 3"), error.toString());
        assertEquals("[[1]]", rows("SELECT count(*) FROM events").toString(), "nothing of the refused request");
    }

    @Test
    void valueThatDoesNotFitItsColumnIsRefusedNamingRowAndColumn() {
        ingest("table=events", NDJSON, "{\"n\":1}\n");
        HttpResponse<byte[]> r = ingest("table=events", NDJSON, "{\"n\":2}\n{\"n\":\"three\"}\n");
        JsonNode error = assertError(r, 400, "bad_row");
        assertEquals(2, error.get("row").asInt(), error.toString());
        assertEquals("n", error.get("column").asText(), error.toString());
        assertEquals("[[1]]", rows("SELECT count(*) FROM events").toString());
    }

    @Test
    void arrowNdjsonAndCsvOfTheSameRowsStoreTheSameTable() throws IOException {
        String ndjson = "{\"id\":\"a\",\"n\":1,\"x\":1.5,\"ok\":true,\"city\":\"Paris\"}\n"
                + "{\"id\":\"b\",\"n\":2,\"x\":2.5,\"ok\":false,\"city\":\"Oslo\"}\n"
                + "{\"id\":\"c\",\"n\":3,\"x\":-0.25,\"ok\":true}\n";
        String csv = "id,n,x,ok,city\na,1,1.5,true,Paris\nb,2,2.5,false,Oslo\nc,3,-0.25,true,\n";
        assertEquals(
                200, ingest("table=t_json&mode=upsert&key=id", NDJSON, ndjson).statusCode());
        assertEquals(200, ingest("table=t_csv&mode=upsert&key=id", CSV, csv).statusCode());
        HttpResponse<byte[]> r = server.post("/ingest?table=t_arrow&mode=upsert&key=id", arrowRows(), ARROW);
        assertEquals(200, r.statusCode(), TestServer.text(r));
        String select = "SELECT _key, id, n, x, ok, city FROM %s ORDER BY _key";
        JsonNode expected = rows(String.format(select, "t_json"));
        assertEquals(3, expected.size());
        assertEquals(expected, rows(String.format(select, "t_csv")));
        assertEquals(expected, rows(String.format(select, "t_arrow")));
        assertEquals(describe("t_json"), describe("t_csv"));
        assertEquals(describe("t_json"), describe("t_arrow"));
    }

    private JsonNode describe(String table) {
        return json(server.get("/tables/" + table)).get("columns");
    }

    private static byte[] arrowRows() throws IOException {
        List<Field> fields = List.of(
                new Field("id", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field("n", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("x", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null),
                new Field("ok", FieldType.nullable(ArrowType.Bool.INSTANCE), null),
                new Field("city", FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            root.allocateNew();
            String[] ids = {"a", "b", "c"};
            long[] ns = {1, 2, 3};
            double[] xs = {1.5, 2.5, -0.25};
            boolean[] oks = {true, false, true};
            String[] cities = {"Paris", "Oslo", null};
            for (int i = 0; i < 3; i++) {
                ((VarCharVector) root.getVector("id")).setSafe(i, ids[i].getBytes(StandardCharsets.UTF_8));
                ((BigIntVector) root.getVector("n")).setSafe(i, ns[i]);
                ((Float8Vector) root.getVector("x")).setSafe(i, xs[i]);
                ((BitVector) root.getVector("ok")).setSafe(i, oks[i] ? 1 : 0);
                if (cities[i] != null) {
                    ((VarCharVector) root.getVector("city")).setSafe(i, cities[i].getBytes(StandardCharsets.UTF_8));
                }
            }
            root.setRowCount(3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return out.toByteArray();
        }
    }

    @Test
    void limitsAnswer413AndWriteNothing() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append("{\"i\":").append(i).append("}\n");
        }
        assertError(ingest("table=big", NDJSON, many.toString()), 413, "too_many_rows");
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            wide.append("{\"s\":\"").append("x".repeat(1000)).append("\"}\n");
        }
        assertError(ingest("table=big", NDJSON, wide.toString()), 413, "body_too_large");
        assertEquals("[[0]]", rows("SELECT count(*) FROM big").toString());
    }

    @Test
    void upsertNeedsAKeyColumnAndDeletesByMarker() {
        assertError(ingest("table=u&mode=upsert", NDJSON, "{\"id\":\"a\"}\n"), 400, "missing_key_column");
        assertEquals(
                200,
                ingest(
                                "table=u&mode=upsert&key=id",
                                NDJSON,
                                "{\"id\":\"a\",\"v\":1}\n{\"id\":\"b\",\"v\":2}\n{\"id\":\"a\",\"v\":3}\n")
                        .statusCode());
        assertEquals(
                200,
                ingest("table=u&key=id", NDJSON, "{\"id\":\"b\",\"_deleted\":true}\n")
                        .statusCode());
        assertEquals("[[\"a\",3]]", rows("SELECT _key, v FROM u").toString());
        assertError(ingest("table=u&mode=append", NDJSON, "{\"id\":\"c\"}\n"), 409, "table_mode_conflict");
        assertError(ingest("table=u&key=id", "application/xml", "<a/>"), 415, "unsupported_media_type");
    }

    // ------------------------------------------------------------------------------ positions

    private static String row(int partition, long offset, int value) {
        return "{\"_topic\":\"orders\",\"_partition\":" + partition + ",\"_offset\":" + offset + ",\"v\":" + value
                + "}\n";
    }

    private JsonNode claim(String scope, int... partitions) {
        StringBuilder body = new StringBuilder("{\"partitions\":[");
        for (int i = 0; i < partitions.length; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"topic\":\"orders\",\"partition\":")
                    .append(partitions[i])
                    .append('}');
        }
        HttpResponse<byte[]> r = server.postJson(
                "/positions/claim?scope=" + scope, body.append("]}").toString());
        assertEquals(200, r.statusCode(), TestServer.text(r));
        return json(r).get("partitions");
    }

    private HttpResponse<byte[]> scoped(String scope, String positions, String body) {
        return ingest("table=orders&scope=" + scope, NDJSON, body, "River-Positions", positions);
    }

    @Test
    void theSameScopedRequestSentTwiceIsStoredOnce() {
        long epoch = claim("sink", 0).get(0).get("epoch").asLong();
        String body = row(0, 0, 10) + row(0, 1, 11) + row(0, 2, 12);
        String positions = "orders:0:-1:3:" + epoch;
        JsonNode first = json(scoped("sink", positions, body));
        assertEquals(3, first.get("rows").asInt());
        HttpResponse<byte[]> again = scoped("sink", positions, body);
        assertEquals(200, again.statusCode(), TestServer.text(again));
        assertEquals(0, json(again).get("rows").asInt());
        assertEquals(3, json(again).get("skipped").asInt());
        assertEquals(
                "[[3,3]]",
                rows("SELECT count(*), count(DISTINCT _offset) FROM orders").toString());
        JsonNode listed = json(server.get("/positions?scope=sink")).get("partitions");
        assertEquals(3, listed.get(0).get("next").asLong());
        assertEquals(epoch, listed.get(0).get("epoch").asLong());
    }

    @Test
    void rowsBelowTheStoredPositionAreDroppedAndTheRestStored() {
        long epoch = claim("sink", 0).get(0).get("epoch").asLong();
        scoped("sink", "orders:0:-1:2:" + epoch, row(0, 0, 1) + row(0, 1, 1));
        JsonNode answer = json(scoped("sink", "orders:0:2:4:" + epoch, row(0, 1, 2) + row(0, 2, 2) + row(0, 3, 2)));
        assertEquals(2, answer.get("rows").asInt());
        assertEquals(1, answer.get("skipped").asInt());
        assertEquals(
                "[[0,1],[1,1],[2,2],[3,2]]",
                rows("SELECT _offset, v FROM orders ORDER BY _offset").toString());
    }

    @Test
    void anOlderEpochIsFencedAndWritesNothing() {
        long old = claim("sink", 0, 1).get(0).get("epoch").asLong();
        JsonNode again = claim("sink", 0);
        long current = again.get(0).get("epoch").asLong();
        assertEquals(old + 1, current);
        HttpResponse<byte[]> zombie =
                scoped("sink", "orders:0:-1:1:" + old + ",orders:1:-1:1:" + old, row(0, 0, 9) + row(1, 0, 9));
        JsonNode error = assertError(zombie, 409, "fenced");
        assertEquals(1, error.get("partitions").size(), "only partition 0 was claimed again: " + error);
        assertEquals(0, error.get("partitions").get(0).get("partition").asInt());
        assertEquals("[[0]]", rows("SELECT count(*) FROM orders").toString(), "nothing of the fenced request");
        assertEquals(
                200, scoped("sink", "orders:0:-1:1:" + current, row(0, 0, 1)).statusCode());
        assertFalse(json(server.get("/positions?scope=sink")).get("partitions").isEmpty());
    }

    @Test
    void scopesKeepApartAndAGapIsRefused() {
        long a = claim("a", 0).get(0).get("epoch").asLong();
        long b = claim("b", 0).get(0).get("epoch").asLong();
        assertEquals(200, scoped("a", "orders:0:-1:5:" + a, row(0, 4, 1)).statusCode());
        // Scope b has its own position: the same offset is new to it.
        assertEquals(
                1,
                json(scoped("b", "orders:0:-1:5:" + b, row(0, 4, 2)))
                        .get("rows")
                        .asInt());
        JsonNode error = assertError(scoped("a", "orders:0:7:9:" + a, row(0, 8, 3)), 409, "position_gap");
        assertEquals(5, error.get("partitions").get(0).get("next").asLong());
    }

    @Test
    void scopedRowsMustBelongToDeclaredPartitions() {
        long epoch = claim("sink", 0).get(0).get("epoch").asLong();
        assertError(scoped("sink", "orders:0:-1:5:" + epoch, row(1, 0, 1)), 400, "bad_row");
        assertError(scoped("sink", "orders:0:-1:5:" + epoch, "{\"v\":1}\n"), 400, "bad_row");
        assertError(scoped("sink", "orders:0:x", row(0, 0, 1)), 400, "invalid_positions");
        assertError(ingest("table=orders&scope=sink", NDJSON, row(0, 0, 1)), 400, "missing_positions");
        assertEquals("[]", rows("SELECT _offset FROM orders").toString());
    }

    @Test
    void aDeferredWriteIsAcknowledgedBeforeFsyncAndSyncMakesItDurable() {
        long epoch = claim("sink", 0).get(0).get("epoch").asLong();
        JsonNode answer = json(ingest(
                "table=orders&scope=sink",
                NDJSON,
                row(0, 0, 1) + row(0, 1, 2),
                "River-Positions",
                "orders:0:-1:2:" + epoch,
                "River-Durability",
                "deferred"));
        assertEquals(2, answer.get("rows").asInt());
        assertFalse(answer.get("durable").asBoolean(), answer.toString());
        HttpResponse<byte[]> synced = server.post("/positions/sync?scope=sink", new byte[0], "application/json");
        assertEquals(200, synced.statusCode(), TestServer.text(synced));
        assertEquals(2, json(synced).get("partitions").get(0).get("next").asLong());
    }

    @Test
    void claimsSurviveARestart() throws IOException {
        long epoch = claim("sink", 3).get(0).get("epoch").asLong();
        scoped("sink", "orders:3:-1:10:" + epoch, row(3, 9, 1));
        server.close();
        server = TestServer.start(dir);
        JsonNode listed = json(server.get("/positions?scope=sink")).get("partitions");
        assertEquals(10, listed.get(0).get("next").asLong());
        assertEquals(epoch, listed.get(0).get("epoch").asLong());
        assertEquals(epoch + 1, claim("sink", 3).get(0).get("epoch").asLong());
    }
}
