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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL statements of {@code POST /query} other than queries, over HTTP: CREATE TABLE with every
 * type, INSERT, DROP TABLE (also across a restart), SHOW TABLES, DESCRIBE, NOT NULL and PRIMARY KEY,
 * and {@code POST /ingest} into a declared table.
 */
class SqlStatementsTest {
    private static final String ALL_TYPES = "CREATE TABLE every (b BOOLEAN, ti TINYINT, si SMALLINT, i INTEGER, "
            + "n INT NOT NULL, bi BIGINT, r REAL, f FLOAT, d DOUBLE, v VARCHAR, t TEXT, s STRING, bl BLOB, "
            + "by BYTEA, ts TIMESTAMP, day DATE, PRIMARY KEY (n))";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
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

    private String rows(String statement) {
        return ok(statement).get("rows").toString();
    }

    private void restart() throws IOException {
        server.close();
        server = TestServer.start(dir);
    }

    @Test
    void createWithEveryTypeInsertAndSelectBack() {
        assertEquals("[[\"created\"]]", rows(ALL_TYPES));
        JsonNode answer = ok("INSERT INTO every VALUES (true, 1, 2, 3, 4, 5, 1.5, 2.5, 3.5, 'v', 't', 's', 'blob', "
                + "X'0102', TIMESTAMP '2024-03-04 05:06:07.089', DATE '2024-02-29'), "
                + "(NULL, NULL, NULL, NULL, -7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                + "'2024-01-01T00:00:00Z', '2023-12-31')");
        assertEquals("rows", answer.get("columns").get(0).get("name").asText());
        assertEquals(2, answer.get("rows").get(0).get(0).asInt());
        assertTrue(answer.get("rows").get(0).get(1).asLong() > 0);
        assertEquals(
                "[[true,1,2,3,4,5,1.5,2.5,3.5,\"v\",\"t\",\"s\",\"YmxvYg==\",\"AQI=\","
                        + "\"2024-03-04T05:06:07.089Z\"],"
                        + "[null,null,null,null,-7,null,null,null,null,null,null,null,null,null,\"2024-01-01T00:00:00Z"
                        + "\"]]",
                rows("SELECT b, ti, si, i, n, bi, r, f, d, v, t, s, bl, by, ts FROM every ORDER BY n DESC"));
        assertEquals("[[\"2024-02-29\"],[\"2023-12-31\"]]", getDays("every", "4", "-7"));
    }

    /** The DATE column {@code day} of the rows with these keys, as {@code GET /get} shows them. */
    private String getDays(String table, String... keys) {
        StringBuilder sb = new StringBuilder("[");
        for (String key : keys) {
            HttpResponse<byte[]> r = server.get("/get?table=" + table + "&key=" + TestServer.enc(key));
            assertEquals(200, r.statusCode(), TestServer.text(r));
            sb.append(sb.length() > 1 ? "," : "")
                    .append("[")
                    .append(json(r).get("day"))
                    .append("]");
        }
        return sb.append("]").toString();
    }

    @Test
    void describeAndShowTables() {
        ok("CREATE TABLE users (id BIGINT, name VARCHAR NOT NULL, born DATE, score REAL, PRIMARY KEY (id))");
        ok("CREATE TABLE log (msg TEXT)");
        JsonNode d = ok("DESCRIBE users");
        assertEquals(
                "[\"column_name\",\"column_type\",\"null\",\"key\",\"default\",\"extra\"]", names(d.get("columns")));
        String described = d.get("rows").toString();
        assertTrue(described.contains("[\"id\",\"BIGINT\",\"NO\",\"PRI\",null,null]"), described);
        assertTrue(described.contains("[\"name\",\"VARCHAR\",\"NO\",null,null,null]"), described);
        assertTrue(described.contains("[\"born\",\"DATE\",\"YES\",null,null,null]"), described);
        assertTrue(described.contains("[\"score\",\"DOUBLE\",\"YES\",null,null,null]"), described);
        assertTrue(described.contains("[\"_key\",\"VARCHAR\",\"YES\",null,null,null]"), described);
        ok("INSERT INTO log VALUES ('a'), ('b')");
        assertEquals(
                "[[\"default\",\"upsert\",0,null,\"_ingested_at\"],[\"log\",\"append\",2,null,\"_ingested_at\"],"
                        + "[\"users\",\"upsert\",0,null,\"_ingested_at\"]]",
                rows("SHOW TABLES"));
        assertEquals(
                "[\"name\",\"mode\",\"rows\",\"retention\",\"retention_column\"]",
                names(ok("SHOW TABLES").get("columns")));
        assertError(sql("DESCRIBE nope"), 400, "unknown_table");
    }

    private static String names(JsonNode columns) {
        StringBuilder sb = new StringBuilder("[");
        for (JsonNode c : columns) {
            sb.append(sb.length() > 1 ? "," : "").append(c.get("name"));
        }
        return sb.append("]").toString();
    }

    @Test
    void createExistingIs409UnlessIfNotExists() {
        ok("CREATE TABLE t (a INTEGER)");
        assertError(sql("CREATE TABLE t (a INTEGER)"), 409, "table_exists");
        assertEquals("[[\"exists\"]]", rows("CREATE TABLE IF NOT EXISTS t (a INTEGER)"));
        assertError(sql("CREATE TABLE u (a GEOMETRY)"), 400, "unsupported");
        assertError(sql("CREATE TABLE u (_key VARCHAR)"), 400, "invalid_query");
        assertError(sql("CREATE TABLE u (a INT, a INT)"), 400, "invalid_query");
        assertError(sql("CREATE TABLE u (a INT, b INT, PRIMARY KEY (a, b))"), 400, "unsupported");
        assertError(sql("CREATE TABLE u (a INT); DROP TABLE t"), 400, "unsupported");
        assertError(sql("CREATE TABLE u (a INT) ENGINE = InnoDB"), 400, "unsupported");
        assertEquals("[[\"created\"]]", rows("-- a comment\nCREATE TABLE u (a INT);"));
        assertError(server.get("/query?sql=" + TestServer.enc("CREATE TABLE u (a INT)")), 405, "method_not_allowed");
        assertEquals(
                200, server.get("/query?sql=" + TestServer.enc("SHOW TABLES")).statusCode());
    }

    @Test
    void notNullRefusalNamesRowAndColumn() {
        ok("CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR)");
        JsonNode e = assertError(sql("INSERT INTO t VALUES (1, 'x'), (NULL, 'y')"), 400, "not_null_violation");
        assertEquals(2, e.get("row").asInt(), e.toString());
        assertEquals("a", e.get("column").asText());
        e = assertError(sql("INSERT INTO t (b) VALUES ('z')"), 400, "not_null_violation");
        assertEquals(1, e.get("row").asInt());
        assertEquals("a", e.get("column").asText());
        // Nothing of a refused statement was written; NOT NULL also holds for /ingest.
        assertEquals("[[0]]", rows("SELECT count(*) FROM t"));
        HttpResponse<byte[]> r = server.post(
                "/ingest?table=t",
                "{\"a\":1}\n{\"b\":\"no a\"}\n".getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        JsonNode ie = assertError(r, 400, "bad_row");
        assertEquals(2, ie.get("row").asInt(), ie.toString());
        assertEquals("a", ie.get("column").asText());
    }

    @Test
    void badValueNamesRowAndColumn() {
        ok("CREATE TABLE t (a INTEGER, d DATE, ts TIMESTAMP)");
        JsonNode e =
                assertError(sql("INSERT INTO t VALUES (1, '2024-01-01', NULL), (2, 'soon', NULL)"), 400, "bad_value");
        assertEquals(2, e.get("row").asInt());
        assertEquals("d", e.get("column").asText());
        e = assertError(sql("INSERT INTO t (a) VALUES (3000000000)"), 400, "bad_value");
        assertEquals("a", e.get("column").asText());
        e = assertError(sql("INSERT INTO t (ts) VALUES ('yesterday')"), 400, "bad_value");
        assertEquals("ts", e.get("column").asText());
        assertError(sql("INSERT INTO t (nope) VALUES (1)"), 400, "unknown_column");
        assertError(sql("INSERT INTO t VALUES (1)"), 400, "invalid_query");
        assertError(sql("INSERT INTO missing VALUES (1)"), 400, "unknown_table");
    }

    @Test
    void primaryKeyMakesAnUpsertTable() {
        ok("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR)");
        ok("INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");
        ok("INSERT INTO users VALUES (1, 'anne')");
        assertEquals("[[1,\"anne\",\"1\"],[2,\"bob\",\"2\"]]", rows("SELECT id, name, _key FROM users ORDER BY id"));
        assertTrue(rows("SHOW TABLES").contains("[\"users\",\"upsert\""), rows("SHOW TABLES"));
        assertEquals(
                "bob", json(server.get("/get?table=users&key=2")).get("name").asText());
    }

    @Test
    void dropThenRecreateAcrossRestartsBringsNoOldRowsBack() throws IOException {
        ok("CREATE TABLE t (a INTEGER, s VARCHAR)");
        ok("INSERT INTO t VALUES (1, 'old'), (2, 'old')");
        server.engine.flush();
        ok("INSERT INTO t VALUES (3, 'old, only in the WAL')");
        restart();
        assertEquals("[[3]]", rows("SELECT count(*) FROM t"));
        assertEquals("[[\"dropped\"]]", rows("DROP TABLE t"));
        assertFalse(tableFiles("t"), "segments of a dropped table are deleted");
        assertError(sql("SELECT * FROM t"), 400, "unknown_table");
        assertError(sql("DROP TABLE t"), 400, "unknown_table");
        assertEquals("[[\"absent\"]]", rows("DROP TABLE IF EXISTS t"));
        restart();
        assertError(sql("SELECT * FROM t"), 400, "unknown_table");
        ok("CREATE TABLE t (a INTEGER, s VARCHAR)");
        ok("INSERT INTO t VALUES (10, 'new')");
        restart();
        assertEquals("[[10,\"new\"]]", rows("SELECT a, s FROM t"));
        restart();
        assertEquals("[[10,\"new\"]]", rows("SELECT a, s FROM t"));
        assertError(sql("DROP TABLE default"), 400, "invalid_query");
    }

    private boolean tableFiles(String table) throws IOException {
        Path tableDir = dir.resolve("data").resolve("tables").resolve(table);
        if (!Files.isDirectory(tableDir)) {
            tableDir = findTableDir(table);
        }
        if (tableDir == null || !Files.isDirectory(tableDir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(tableDir)) {
            return files.findAny().isPresent();
        }
    }

    private Path findTableDir(String table) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().equals(table)
                            && p.getParent().getFileName().toString().equals("tables"))
                    .findFirst()
                    .orElse(null);
        }
    }

    @Test
    void arrowDatesIngestIntoADeclaredDateColumn() throws IOException {
        ok("CREATE TABLE days (id INTEGER PRIMARY KEY, day DATE)");
        List<Field> fields = List.of(
                new Field("id", FieldType.nullable(new ArrowType.Int(32, true)), null),
                new Field("day", FieldType.nullable(new ArrowType.Date(DateUnit.DAY)), null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            root.allocateNew();
            ((IntVector) root.getVector("id")).setSafe(0, 7);
            ((DateDayVector) root.getVector("day"))
                    .setSafe(0, (int) LocalDate.of(2025, 12, 31).toEpochDay());
            root.setRowCount(1);
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
        }
        HttpResponse<byte[]> r =
                server.post("/ingest?table=days", out.toByteArray(), "application/vnd.apache.arrow.stream");
        assertEquals(200, r.statusCode(), TestServer.text(r));
        assertEquals("[[\"2025-12-31\"]]", getDays("days", "7"));
    }

    @Test
    void ingestIntoDeclaredTableWithIsoDatesAndTimestamps() {
        ok("CREATE TABLE ev (id INTEGER PRIMARY KEY, day DATE, at TIMESTAMP, n INTEGER)");
        HttpResponse<byte[]> r = server.post(
                "/ingest?table=ev",
                ("{\"id\":1,\"day\":\"2024-05-06\",\"at\":"
                                + "\"2024-05-06T07:08:09Z\",\"n\":1}\n{\"id\":2,\"day\":\"2024-05-07\",\"at\":\"2024-0"
                                + "5-07 10:00:00\","
                                + "\"n\":2}\n")
                        .getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.statusCode(), TestServer.text(r));
        r = server.post(
                "/ingest?table=ev",
                "id,day,at,n\n3,2024-05-08,2024-05-08T01:02:03.004Z,3\n1,2024-05-09,,9\n"
                        .getBytes(StandardCharsets.UTF_8),
                "text/csv");
        assertEquals(200, r.statusCode(), TestServer.text(r));
        assertEquals(
                "[[1,null,9],[2,\"2024-05-07T10:00:00Z\",2],[3,\"2024-05-08T01:02:03.004Z\",3]]",
                rows("SELECT id, at, n FROM ev ORDER BY id"));
        assertEquals("[[\"2024-05-09\"],[\"2024-05-07\"],[\"2024-05-08\"]]", getDays("ev", "1", "2", "3"));
        JsonNode e = assertError(
                server.post(
                        "/ingest?table=ev",
                        "{\"id\":4,\"day\":\"May 4th\"}\n".getBytes(StandardCharsets.UTF_8),
                        "application/x-ndjson"),
                400,
                "bad_row");
        assertEquals("day", e.get("column").asText());
        assertError(
                server.post(
                        "/ingest?table=ev&key=n",
                        "{\"id\":5}\n".getBytes(StandardCharsets.UTF_8),
                        "application/x-ndjson"),
                400,
                "key_conflict");
    }

    @Test
    void dateColumnsAnswerFiltersGroupsOrderAndAggregates() {
        ok("CREATE TABLE visits (id BIGINT, d DATE, PRIMARY KEY (id))");
        ok("INSERT INTO visits VALUES (1, '2024-01-01'), (2, '2024-01-02'), (3, '2024-01-02'), (4, NULL), "
                + "(5, DATE '2024-02-29')");
        assertEquals(
                "[[\"2024-01-02\",2],[\"2024-02-29\",1]]",
                rows("SELECT d, count(*) AS n FROM visits WHERE d >= '2024-01-02' GROUP BY d ORDER BY d"));
        assertEquals("[[1]]", rows("SELECT id FROM visits WHERE d = DATE '2024-01-01'"));
        assertEquals("[[\"2024-01-01\",\"2024-02-29\",4]]", rows("SELECT min(d), max(d), count(d) FROM visits"));
        assertEquals("[[5],[3],[2],[1],[4]]", rows("SELECT id FROM visits ORDER BY d DESC NULLS LAST, id DESC"));
        HttpResponse<byte[]> csv =
                server.get("/query?sql=" + TestServer.enc("SELECT d FROM visits WHERE id = 5"), "Accept", "text/csv");
        assertEquals(200, csv.statusCode(), TestServer.text(csv));
        assertTrue(TestServer.text(csv).contains("2024-02-29"), TestServer.text(csv));
    }
}
