package io.river.http;

import static io.river.http.TestServer.assertError;
import static io.river.http.TestServer.json;
import static io.river.http.TestServer.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes and errors that need no engine: a server whose engine has not attached yet (recovery). */
class ServiceRoutesTest {
    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.startWithoutEngine(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        t.close();
    }

    @Test
    void healthIsUpBeforeTheEngineIsReady() {
        HttpResponse<byte[]> r = t.get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("UP", json(r).path("status").asText());
        assertError(t.get("/health/ready"), 503, "not_ready");
    }

    @Test
    void dataRoutesAnswer503UntilTheEngineAttaches() {
        assertError(t.get("/get?key=a"), 503, "not_ready");
        assertError(t.post("/put?key=a", new byte[] {1}, "application/octet-stream"), 503, "not_ready");
        assertError(t.delete("/delete?key=a"), 503, "not_ready");
        assertError(t.get("/stats"), 503, "not_ready");
        assertError(t.get("/tables"), 503, "not_ready");
    }

    @Test
    void unknownRouteIs404Json() {
        assertError(t.get("/nope"), 404, "not_found");
        assertError(t.get("/tables/a/b"), 404, "not_found");
    }

    @Test
    void wrongMethodOnKnownPathIs405WithAllow() {
        HttpResponse<byte[]> r = t.send("PUT", "/get?key=a", new byte[0]);
        assertError(r, 405, "method_not_allowed");
        assertTrue(
                r.headers().firstValue("Allow").orElse("").contains("GET"),
                r.headers().map().toString());
        assertError(t.get("/put?key=a"), 405, "method_not_allowed");
        assertError(t.send("POST", "/delete?key=a", new byte[0]), 405, "method_not_allowed");
        assertError(t.send("DELETE", "/health", null), 405, "method_not_allowed");
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        HttpResponse<byte[]> given = t.get("/health", "X-Request-Id", "abc-123");
        assertEquals("abc-123", given.headers().firstValue("X-Request-Id").orElse(null));
        HttpResponse<byte[]> fresh = t.get("/health");
        String id = fresh.headers().firstValue("X-Request-Id").orElse("");
        assertTrue(id.matches("[0-9a-f]{16}"), id);
        HttpResponse<byte[]> weird = t.get("/health", "X-Request-Id", "bad id with spaces");
        assertTrue(weird.headers().firstValue("X-Request-Id").orElse("").matches("[0-9a-f]{16}"));
        // Errors carry the id too.
        assertEquals(
                "e-1",
                t.get("/nope", "X-Request-Id", "e-1")
                        .headers()
                        .firstValue("X-Request-Id")
                        .orElse(null));
    }

    @Test
    void consoleIsHtml() {
        HttpResponse<byte[]> r = t.get("/");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(text(r).contains("<title>River</title>"));
    }

    @Test
    void consoleAssetsAreServedWithTheirTypeAndNamesAreChecked() {
        HttpResponse<byte[]> js = t.get("/console/console.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(text(js).contains("/query"));
        HttpResponse<byte[]> css = t.get("/console/console.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        // The page references only assets that exist (it must work offline: nothing from elsewhere).
        String page = text(t.get("/"));
        java.util.regex.Matcher refs =
                java.util.regex.Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page);
        int local = 0;
        while (refs.find()) {
            String ref = refs.group(1);
            assertTrue(ref.startsWith("/") || ref.startsWith("data:"), "external reference " + ref);
            if (ref.startsWith("/console/")) {
                local++;
                assertEquals(200, t.get(ref).statusCode(), ref);
            }
        }
        assertEquals(2, local);
        for (String bad : new String[] {
            "/console/nope.js",
            "/console/..%2Fopenapi.json",
            "/console/index.html%00.js",
            "/console/Console.JS",
            "/console/x.class"
        }) {
            int status = t.get(bad).statusCode();
            assertTrue(status == 404 || status == 400, bad + " answered " + status);
        }
    }

    @Test
    void openApiDescribesEveryRouteAndNoOther() {
        HttpResponse<byte[]> r = t.get("/openapi.json");
        assertEquals(200, r.statusCode());
        JsonNode doc = json(r);
        assertTrue(doc.path("openapi").asText().startsWith("3."));
        Set<String> documented = new java.util.TreeSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
        Set<String> served = new java.util.TreeSet<>();
        for (RiverServer.Route route : t.server.routes()) {
            served.add(route.method().name() + " " + route.path());
        }
        assertEquals(served, documented);
        // Every $ref resolves.
        String body = text(r);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/([^\"]+)\"")
                .matcher(body);
        int refs = 0;
        while (m.find()) {
            refs++;
            assertTrue(!doc.at("/" + m.group(1)).isMissingNode(), "unresolved $ref " + m.group(1));
        }
        assertTrue(refs > 10);
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        t.get("/health");
        t.get("/nope");
        HttpResponse<byte[]> r = t.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String body = text(r);
        assertTrue(
                body.contains("river_http_requests_seconds_count{method=\"GET\",route=\"/health\",status=\"200\"}"),
                body);
        assertTrue(body.contains("route=\"unmatched\",status=\"404\""), body);
        assertTrue(body.contains("river_http_requests_seconds_bucket{"), "latency histogram");
        assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics");
    }

    @Test
    void queryHookAnswers501UntilTheSqlEngineIsWired() {
        // Without an engine the route says 503 first; the 501 path is covered with an engine attached.
        assertError(t.get("/query?sql=SELECT%201"), 503, "not_ready");
        assertError(t.get("/query"), 400, "missing_sql");
        assertError(t.post("/query", "x".getBytes(), "image/png"), 415, "unsupported_media_type");
        assertError(t.get("/query?sql=SELECT%201", "Accept", "image/png"), 406, "not_acceptable");
    }
}
