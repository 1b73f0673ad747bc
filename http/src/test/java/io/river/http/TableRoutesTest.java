package io.river.http;

import static io.river.http.TestServer.assertError;
import static io.river.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /tables, /tables/{name}, /stats, /metrics, /health/ready and the /query hook with a real engine. */
class TableRoutesTest {
    @TempDir
    Path dir;

    TestServer t;

    @BeforeEach
    void start() throws Exception {
        t = TestServer.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        t.close();
    }

    @Test
    void readyOnceTheEngineServes() {
        HttpResponse<byte[]> r = t.get("/health/ready");
        assertEquals(200, r.statusCode());
        assertEquals("READY", json(r).path("status").asText());
    }

    @Test
    void tablesListsEveryTableWithModeAndRows() {
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    200,
                    t.postJson("/put?table=users&key=u" + i, "{\"n\":" + i + "}")
                            .statusCode());
        }
        JsonNode tables = json(t.get("/tables")).path("tables");
        List<String> names = new ArrayList<>();
        for (JsonNode table : tables) {
            names.add(table.path("name").asText());
            if (table.path("name").asText().equals("users")) {
                assertEquals("upsert", table.path("mode").asText());
                assertTrue(table.path("estimatedRows").asLong() >= 3, table.toString());
            }
        }
        assertTrue(names.contains("users"), names.toString());
        assertTrue(names.contains("default"), "the default table always exists: " + names);
        assertEquals(names.stream().sorted().toList(), names, "sorted by name");
    }

    @Test
    void describeTable() {
        assertEquals(
                200,
                t.postJson("/put?table=users&key=a", "{\"n\":1,\"s\":\"x\"}").statusCode());
        HttpResponse<byte[]> r = t.get("/tables/users");
        assertEquals(200, r.statusCode());
        JsonNode d = json(r);
        assertEquals("users", d.path("name").asText());
        assertEquals("upsert", d.path("mode").asText());
        assertTrue(d.path("schemaVersion").asInt() >= 1);
        assertTrue(d.path("estimatedRows").asLong() >= 1);
        assertTrue(d.path("stats").isObject());
        assertTrue(d.path("sourcePositions").isArray());
        List<String> columns = new ArrayList<>();
        d.path("columns")
                .forEach(c -> columns.add(
                        c.path("name").asText() + ":" + c.path("type").asText()));
        assertTrue(columns.contains("_key:STRING"), columns.toString());
        assertTrue(columns.contains("n:INT64"), columns.toString());
        assertTrue(columns.contains("s:STRING"), columns.toString());

        assertError(t.get("/tables/nosuch"), 404, "table_not_found");
        assertError(t.get("/tables/not-valid"), 400, "invalid_table_name");
    }

    @Test
    void statsIsTheEnginesFigures() {
        assertEquals(
                200,
                t.post("/put?key=a", new byte[10], "application/octet-stream").statusCode());
        HttpResponse<byte[]> r = t.get("/stats");
        assertEquals(200, r.statusCode());
        JsonNode stats = json(r);
        assertTrue(stats.isObject() && stats.size() > 0, stats.toString());
        assertEquals(
                Json.MAPPER.valueToTree(t.engine.stats()).fieldNames().next(),
                stats.fieldNames().next());
    }

    @Test
    void metricsCountIngestAndWalSyncs() {
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    200,
                    t.post("/put?key=m" + i, new byte[] {1, 2, 3}, "application/octet-stream")
                            .statusCode());
        }
        String body = TestServer.text(t.get("/metrics"));
        assertTrue(metric(body, "river_ingest_rows_total") >= 5, body);
        assertTrue(metric(body, "river_ingest_bytes_total") > 0, body);
        assertTrue(metric(body, "river_wal_sync_seconds_count") >= 1, body);
        assertTrue(body.contains("river_cache_hits_total"), body);
        assertTrue(body.contains("river_compaction_seconds_count"), body);
        assertTrue(body.contains("river_flushes_total"), body);
        assertEquals(1.0, metric(body, "river_engine_ready"));
        assertTrue(
                body.contains("river_http_requests_seconds_count{method=\"POST\",route=\"/put\",status=\"200\"} 5"),
                body);
    }

    @Test
    void readyGaugeSurvivesGarbageCollection() {
        System.gc();
        System.gc();
        assertEquals(1.0, metric(TestServer.text(t.get("/metrics")), "river_engine_ready"));
    }

    /** The value of an unlabelled sample. */
    static double metric(String body, String name) {
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + name);
    }

    @Test
    void queryRunsSqlInEveryFormatAndNamesBadRequests() throws Exception {
        for (int i = 0; i < 30; i++) {
            String city = i % 3 == 0 ? "Paris" : "Oslo";
            assertEquals(
                    200,
                    t.postJson("/put?table=orders&key=o" + i, "{\"city\":\"" + city + "\",\"amount\":" + i + "}")
                            .statusCode());
        }
        String sql = "SELECT city, count(*) AS n, sum(amount) AS total FROM orders GROUP BY city ORDER BY city";
        JsonNode body = json(t.postJson("/query", "{\"sql\":\"" + sql + "\"}"));
        assertEquals("city", body.path("columns").get(0).path("name").asText());
        assertEquals("Oslo", body.path("rows").get(0).get(0).asText());
        assertEquals(20, body.path("rows").get(0).get(1).asLong());
        assertEquals(10, body.path("rows").get(1).get(1).asLong());
        assertEquals(135, body.path("rows").get(1).get(2).asLong());
        assertTrue(body.path("stats").path("rowsScanned").asLong() >= 30);
        assertEquals(
                body.path("rows"),
                json(t.get("/query?sql=" + TestServer.enc(sql))).path("rows"));
        assertEquals(
                body.path("columns"),
                json(t.post("/query", sql.getBytes(), "text/plain")).path("columns"));
        HttpResponse<byte[]> csv = t.get("/query?sql=" + TestServer.enc(sql), "Accept", "text/csv");
        assertEquals(200, csv.statusCode());
        assertEquals("city,n,total\r\nOslo,20,300\r\nParis,10,135\r\n", TestServer.text(csv));
        HttpResponse<byte[]> arrow =
                t.get("/query?sql=" + TestServer.enc(sql), "Accept", "application/vnd.apache.arrow.stream");
        assertEquals(200, arrow.statusCode());
        try (org.apache.arrow.memory.RootAllocator a = new org.apache.arrow.memory.RootAllocator();
                org.apache.arrow.vector.ipc.ArrowStreamReader r = new org.apache.arrow.vector.ipc.ArrowStreamReader(
                        new java.io.ByteArrayInputStream(arrow.body()), a)) {
            int rows = 0;
            while (r.loadNextBatch()) {
                rows += r.getVectorSchemaRoot().getRowCount();
            }
            assertEquals(2, rows);
        }
        JsonNode syntax = assertError(
                t.get("/query?sql=" + TestServer.enc("SELECT city FROM orders WHERE")), 400, "syntax_error");
        assertTrue(syntax.path("message").asText().contains("line 1, column 25"), syntax.toString());
        assertError(t.get("/query?sql=" + TestServer.enc("SELECT x FROM nope")), 400, "unknown_table");
        assertError(t.get("/query?sql=" + TestServer.enc("SELECT nope FROM orders")), 400, "unknown_column");
        assertError(t.postJson("/query", "{\"query\":\"SELECT 1\"}"), 400, "missing_sql");
        assertError(t.postJson("/query", "{\"sql\":"), 400, "malformed_json");
        assertError(t.post("/query", "   ".getBytes(), "text/plain"), 400, "missing_sql");
        String metrics = TestServer.text(t.get("/metrics"));
        assertTrue(metrics.contains("river_query_seconds_count{outcome=\"error\"} 3"), metrics);
        assertTrue(metrics.contains("river_query_seconds_count{outcome=\"ok\"} 5"), metrics);
    }
}
