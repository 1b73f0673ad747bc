package io.river.http;

import static io.river.http.TestServer.assertError;
import static io.river.http.TestServer.enc;
import static io.river.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.river.engine.model.TableMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /put, /get, /delete over real HTTP against a real engine. */
class KeyValueRoutesTest {
    @TempDir
    Path dir;

    TestServer t;

    @BeforeEach
    void start() throws Exception {
        t = TestServer.start(dir, "river.http.max.key.bytes=16", "river.http.max.body.bytes=1024");
    }

    @AfterEach
    void stop() throws Exception {
        t.close();
    }

    @Test
    void rawBytesRoundTripByteForByte() {
        byte[] all = new byte[512];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (255 - i % 256);
        }
        HttpResponse<byte[]> put = t.post("/put?key=bin", all, "application/octet-stream");
        assertEquals(200, put.statusCode(), TestServer.text(put));
        assertTrue(json(put).path("lsn").asLong() > 0);

        HttpResponse<byte[]> get = t.get("/get?key=bin");
        assertEquals(200, get.statusCode());
        assertEquals(
                "application/octet-stream",
                get.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(all, get.body());
    }

    @Test
    void anyNonJsonBodyIsStoredAsBytesIncludingEmptyAndJsonArrays() {
        assertEquals(
                200,
                t.post("/put?key=txt", "héllo".getBytes(StandardCharsets.UTF_8), "text/plain")
                        .statusCode());
        assertArrayEquals(
                "héllo".getBytes(StandardCharsets.UTF_8), t.get("/get?key=txt").body());

        assertEquals(200, t.send("POST", "/put?key=empty", new byte[0]).statusCode());
        HttpResponse<byte[]> empty = t.get("/get?key=empty");
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.body().length);

        // Valid JSON that is not an object stays bytes, returned as sent.
        assertEquals(200, t.postJson("/put?key=arr", "[1, 2, 3]").statusCode());
        HttpResponse<byte[]> arr = t.get("/get?key=arr");
        assertEquals(
                "application/octet-stream",
                arr.headers().firstValue("Content-Type").orElse(""));
        assertEquals("[1, 2, 3]", TestServer.text(arr));
    }

    @Test
    void jsonObjectRoundTripsAsColumns() {
        String body = "{\"name\":\"ann\",\"age\":42,\"score\":1.5,\"ok\":true,\"gone\":null,"
                + "\"tags\":[\"a\",\"b\"],\"addr\":{\"city\":\"Oslo\"}}";
        long before = System.currentTimeMillis();
        HttpResponse<byte[]> put = t.postJson("/put?key=ann&table=people", body);
        assertEquals(200, put.statusCode(), TestServer.text(put));

        HttpResponse<byte[]> get = t.get("/get?key=ann&table=people");
        assertEquals(200, get.statusCode());
        assertEquals(
                "application/json", get.headers().firstValue("Content-Type").orElse(""));
        JsonNode row = json(get);
        assertEquals("ann", row.path("name").textValue());
        assertTrue(row.path("age").isIntegralNumber());
        assertEquals(42, row.path("age").asLong());
        assertEquals(1.5, row.path("score").doubleValue());
        assertTrue(row.path("ok").booleanValue());
        assertFalse(row.has("gone"), "null fields are skipped");
        assertEquals("[\"a\",\"b\"]", row.path("tags").textValue());
        assertEquals("{\"city\":\"Oslo\"}", row.path("addr").textValue());
        assertEquals("ann", row.path("_key").textValue());
        Instant ingested = Instant.parse(row.path("_ingested_at").textValue());
        assertTrue(ingested.toEpochMilli() >= before - 1000 && ingested.toEpochMilli() <= System.currentTimeMillis());
        assertFalse(row.has("_value"));
        assertFalse(row.has("_pk"));

        JsonNode schema = json(t.get("/tables/people"));
        assertEquals("upsert", schema.path("mode").asText());
        assertEquals("STRING", columnType(schema, "name"));
        assertEquals("INT64", columnType(schema, "age"));
        assertEquals("FLOAT64", columnType(schema, "score"));
        assertEquals("BOOLEAN", columnType(schema, "ok"));
        assertEquals("STRING", columnType(schema, "tags"));
        assertEquals(null, columnType(schema, "gone"));
    }

    private static String columnType(JsonNode table, String column) {
        for (JsonNode c : table.path("columns")) {
            if (c.path("name").asText().equals(column)) {
                return c.path("type").asText();
            }
        }
        return null;
    }

    @Test
    void overwriteDeleteAndIdempotentDelete() {
        long lsn1 = json(t.post("/put?key=k", "one".getBytes(), "text/plain"))
                .path("lsn")
                .asLong();
        long lsn2 = json(t.post("/put?key=k", "two".getBytes(), "text/plain"))
                .path("lsn")
                .asLong();
        assertTrue(lsn2 > lsn1);
        assertEquals("two", TestServer.text(t.get("/get?key=k")));

        HttpResponse<byte[]> del = t.delete("/delete?key=k");
        assertEquals(200, del.statusCode());
        assertTrue(json(del).path("lsn").asLong() > lsn2);
        assertError(t.get("/get?key=k"), 404, "key_not_found");
        assertEquals(200, t.delete("/delete?key=k").statusCode(), "deleting again is fine");
        assertEquals(200, t.delete("/delete?key=never").statusCode(), "deleting a key never written is fine");

        assertEquals(200, t.post("/put?key=k", "three".getBytes(), "text/plain").statusCode());
        assertEquals("three", TestServer.text(t.get("/get?key=k")));
    }

    @Test
    void keysAreArbitraryUtf8() {
        String key = "a b&c=d/é%";
        assertEquals(
                200,
                t.post("/put?key=" + enc(key), "v".getBytes(), "text/plain").statusCode());
        assertEquals("v", TestServer.text(t.get("/get?key=" + enc(key))));
        assertEquals(
                200,
                t.postJson("/put?key=" + enc(key) + "&table=j", "{\"x\":1}").statusCode());
        assertEquals(
                key, json(t.get("/get?table=j&key=" + enc(key))).path("_key").asText());
    }

    @Test
    void keyErrors() {
        assertError(t.get("/get"), 400, "missing_key");
        assertError(t.get("/get?key="), 400, "empty_key");
        assertError(t.post("/put?table=x", new byte[1], "text/plain"), 400, "missing_key");
        assertError(t.delete("/delete?key="), 400, "empty_key");
        // The limit counts UTF-8 bytes: 8 two-byte characters fit in 16, 9 do not.
        assertEquals(
                200,
                t.post("/put?key=" + enc("éééééééé"), new byte[1], "text/plain").statusCode());
        assertError(t.post("/put?key=" + enc("ééééééééé"), new byte[1], "text/plain"), 400, "key_too_long");
        assertError(t.get("/get?key=" + "x".repeat(17)), 400, "key_too_long");
        assertError(t.delete("/delete?key=" + "x".repeat(17)), 400, "key_too_long");
    }

    @Test
    void bodyLimit() {
        assertEquals(
                200,
                t.post("/put?key=big", new byte[1024], "application/octet-stream")
                        .statusCode());
        assertError(t.post("/put?key=big", new byte[1025], "application/octet-stream"), 413, "body_too_large");
        assertError(t.post("/put?key=big", new byte[200_000], "application/octet-stream"), 413, "body_too_large");
        assertEquals(1024, t.get("/get?key=big").body().length, "the refused puts changed nothing");
    }

    @Test
    void bodyLimitWithExpectContinueRefusesBeforeTheBodyIsSent() throws Exception {
        String answer = t.sendHeadOnly("POST /put?key=big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 50000000\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertFalse(answer.contains("100 Continue"), "the body was never invited: " + answer);
        assertTrue(answer.contains("\"body_too_large\""), answer);
    }

    @Test
    void tableErrors() {
        assertError(t.get("/get?key=a&table=nosuch"), 404, "table_not_found");
        assertError(t.delete("/delete?key=a&table=nosuch"), 404, "table_not_found");
        assertError(t.post("/put?key=a&table=bad-name", new byte[1], "text/plain"), 400, "invalid_table_name");
        assertError(t.get("/get?key=a&table=1abc"), 400, "invalid_table_name");
        assertError(t.get("/get?key=a&table="), 400, "invalid_table_name");
    }

    @Test
    void appendTablesRefuseKeyValueWrites() throws Exception {
        t.engine.createTable("events", TableMode.APPEND);
        assertError(t.post("/put?key=a&table=events", new byte[1], "text/plain"), 409, "table_mode");
        assertError(t.delete("/delete?key=a&table=events"), 409, "table_mode");
    }

    @Test
    void jsonErrors() {
        assertError(t.postJson("/put?key=a", "{\"a\":"), 400, "malformed_json");
        assertError(t.postJson("/put?key=a", "{\"a\":1} trailing"), 400, "malformed_json");
        assertError(t.postJson("/put?key=a", "{\"a\":1,\"a\":2}"), 400, "malformed_json");
        assertError(t.postJson("/put?key=a", ""), 400, "malformed_json");
        assertError(
                t.post("/put?key=a", new byte[] {(byte) 0xff, '{'}, "application/json; charset=utf-8"),
                400,
                "malformed_json");
        assertError(t.postJson("/put?key=a", "{\"first-name\":\"x\"}"), 400, "invalid_field");
        assertError(t.postJson("/put?key=a", "{\"_key\":\"x\"}"), 400, "reserved_field");
        assertError(t.postJson("/put?key=a", "{\"_value\":\"x\"}"), 400, "reserved_field");
        assertError(t.get("/get?key=a"), 404, "key_not_found");
    }

    @Test
    void deeplyNestedJsonIs400() throws Exception {
        try (TestServer big = TestServer.start(dir.resolve("big"))) {
            assertError(big.postJson("/put?key=a", "[".repeat(5000) + "]".repeat(5000)), 400, "malformed_json");
            assertError(
                    big.postJson("/put?key=a", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
                    400,
                    "malformed_json");
            assertEquals(
                    200,
                    big.postJson("/put?key=a", "{\"a\":" + "[".repeat(500) + "]".repeat(500) + "}")
                            .statusCode());
        }
    }

    @Test
    void valueThatDoesNotFitItsColumnIs400() {
        assertEquals(200, t.postJson("/put?key=a&table=t", "{\"age\":42}").statusCode());
        assertError(t.postJson("/put?key=b&table=t", "{\"age\":\"old\"}"), 400, "schema_mismatch");
        // Widening is fine: INT64 -> FLOAT64.
        assertEquals(200, t.postJson("/put?key=c&table=t", "{\"age\":1.5}").statusCode());
        assertEquals(42.0, json(t.get("/get?key=a&table=t")).path("age").asDouble());
    }
}
