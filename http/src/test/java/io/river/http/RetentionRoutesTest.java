package io.river.http;

import static io.river.http.TestServer.assertError;
import static io.river.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention over HTTP: set by SQL ({@code CREATE TABLE ... WITH}, {@code ALTER TABLE}) and by
 * {@code POST /ingest?retention.ms=} on the request that creates a table; expired rows (ingested in
 * 2000) are not counted by {@code /query}; a dropped segment shows in {@code /stats} (per table and
 * in total) and in {@code /metrics}; bad values are 400s naming them.
 */
class RetentionRoutesTest {
    private static final String OLD = "2000-01-01T00:00:00Z";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir, "river.retention.check.interval.ms=0");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private HttpResponse<byte[]> sql(String statement) {
        return server.post("/query", statement.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    private JsonNode ok(String statement) {
        HttpResponse<byte[]> r = sql(statement);
        assertEquals(200, r.statusCode(), statement + " -> " + TestServer.text(r));
        return json(r);
    }

    private void ingest(String query, String ndjson) {
        HttpResponse<byte[]> r =
                server.post("/ingest?" + query, ndjson.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, r.statusCode(), TestServer.text(r));
    }

    private static String rows(int from, int n, String ingestedAt) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            sb.append("{\"id\":").append(i);
            if (ingestedAt != null) {
                sb.append(",\"_ingested_at\":\"").append(ingestedAt).append('"');
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    private JsonNode tableStats(String table) {
        for (JsonNode t : json(server.get("/stats")).get("tables")) {
            if (t.get("name").asText().equals(table)) {
                return t;
            }
        }
        throw new AssertionError("no table " + table + " in /stats");
    }

    @Test
    void retentionSetBySqlHidesOldRowsAndItsDropsShowInStatsAndMetrics() throws IOException {
        ok("CREATE TABLE ev (id BIGINT) WITH (retention = '1 day')");
        ingest("table=ev", rows(0, 30, OLD));
        server.engine.flush();
        ingest("table=ev", rows(100, 12, null)); // _ingested_at: now
        server.engine.flush();

        assertEquals("[[12]]", ok("SELECT count(*) FROM ev").get("rows").toString());
        assertEquals(
                "[[100,111]]", ok("SELECT min(id), max(id) FROM ev").get("rows").toString());
        assertEquals(1, server.engine.enforceRetention());

        JsonNode retention = tableStats("ev").get("retention");
        assertEquals("1 day", retention.get("retention").asText());
        assertEquals("table", retention.get("source").asText());
        assertEquals("_ingested_at", retention.get("column").asText());
        assertEquals(1, retention.get("segmentsDropped").asLong());
        assertEquals(30, retention.get("rowsDropped").asLong());
        assertTrue(retention.get("bytesDropped").asLong() > 0);
        assertTrue(retention.get("cutoffMillis").asLong() > 0);
        JsonNode total = json(server.get("/stats")).get("retention");
        assertEquals(1, total.get("segmentsDropped").asLong());
        assertEquals(0, total.get("engineMs").asLong());

        String metrics = TestServer.text(server.get("/metrics"));
        assertEquals(1.0, metric(metrics, "river_retention_segments_dropped_files_total"), metrics);
        assertEquals(30.0, metric(metrics, "river_retention_rows_dropped_total"));
        assertTrue(metric(metrics, "river_retention_dropped_bytes_total") > 0);

        ok("ALTER TABLE ev SET (retention = '2 hours')");
        assertEquals(
                "2 hours", tableStats("ev").get("retention").get("retention").asText());
        assertEquals("[[12]]", ok("SELECT count(*) FROM ev").get("rows").toString());
    }

    private static double metric(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(body);
        if (!m.find()) {
            throw new AssertionError("no metric " + name);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aPointReadOfAnExpiredRowFindsNothing() {
        ok("CREATE TABLE u (id BIGINT PRIMARY KEY) WITH (retention = '1 hour')");
        ingest("table=u", "{\"id\":1,\"_ingested_at\":\"" + OLD + "\"}\n{\"id\":2}\n");
        assertEquals(404, server.get("/get?table=u&key=1").statusCode());
        assertEquals(200, server.get("/get?table=u&key=2").statusCode());
    }

    @Test
    void ingestGivesATableItCreatesTheRetentionItNames() {
        ingest("table=fresh&retention.ms=3600000", rows(0, 3, OLD) + rows(10, 2, null));
        assertEquals("[[2]]", ok("SELECT count(*) FROM fresh").get("rows").toString());
        ingest("table=fresh&retention.ms=0", rows(20, 1, null));
        assertEquals(
                "1 hour",
                tableStats("fresh").get("retention").get("retention").asText(),
                "an existing table keeps its setting");
        assertError(
                server.post(
                        "/ingest?table=x&retention.ms=soon", rows(0, 1, null).getBytes(), "application/x-ndjson"),
                400,
                "invalid_retention");
        assertError(
                server.post("/ingest?table=x&retention.ms=-5", rows(0, 1, null).getBytes(), "application/x-ndjson"),
                400,
                "invalid_retention");
    }

    @Test
    void badRetentionStatementsAreRefusedNamingTheValue() {
        JsonNode error =
                assertError(sql("CREATE TABLE t (id BIGINT) WITH (retention = 'forever')"), 400, "invalid_query");
        assertTrue(error.get("message").asText().contains("'forever'"), error.toString());
        ok("CREATE TABLE t (id BIGINT)");
        assertError(sql("ALTER TABLE t SET (retention = '3 fortnights')"), 400, "invalid_query");
        assertError(sql("ALTER TABLE t SET (ttl = '1 day')"), 400, "unsupported");
        assertError(
                server.get("/query?sql=" + TestServer.enc("ALTER TABLE t RESET (retention)")),
                405,
                "method_not_allowed");
    }
}
