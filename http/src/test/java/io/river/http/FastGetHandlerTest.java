package io.river.http;

import static io.river.http.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /get} answered by {@link FastGetHandler} against the Javalin route it stands in for: two
 * servers on one engine, one with the handler and one without, must give the same answer byte for byte
 * (status line, headers, body; only {@code Date} is left out) for random rows of every column type, NULLs,
 * raw values, keys that need URL escapes, deleted and missing keys, unknown tables, bad parameters and a
 * refused token; other routes pass through to Javalin.
 */
class FastGetHandlerTest {
    private static final Pattern DATE = Pattern.compile("(?m)^Date: [^\r\n]*\r\n");
    private static final String KEY_CHARS = "abcXYZ09 +&=%?#/;é中-_.~";

    @TempDir
    Path dir;

    private TestServer fast;
    private RiverServer reference;

    private void start(String... overrides) throws IOException {
        fast = TestServer.start(dir, overrides);
        RiverConfig config = RiverConfig.from(TestServer.config(dir, overrides));
        reference = new RiverServer(config, new SqlQueryHandler(), false).start();
        reference.attach(fast.engine);
    }

    @AfterEach
    void stop() throws IOException {
        if (reference != null) {
            reference.stop();
        }
        if (fast != null) {
            fast.close();
        }
    }

    @Test
    void randomRowsOfEveryTypeAnswerAsTheJavalinRoute() throws Exception {
        start();
        SplittableRandom rnd = new SplittableRandom(16);
        fast.engine.createTable("typed", TableMode.UPSERT);
        List<String> keys = new ArrayList<>();
        List<String> rawKeys = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String key = randomKey(rnd) + i;
            keys.add(key);
            fast.engine.write(WriteBatch.of("typed", Row.of(key, typedValues(rnd))));
            String rawKey = "raw" + randomKey(rnd) + i;
            rawKeys.add(rawKey);
            byte[] value = new byte[rnd.nextInt(3) == 0 ? 1024 + rnd.nextInt(3000) : rnd.nextInt(200)];
            for (int b = 0; b < value.length; b++) {
                value[b] = (byte) rnd.nextInt(256);
            }
            assertEquals(
                    200,
                    fast.post("/put?key=" + enc(rawKey), value, "application/octet-stream")
                            .statusCode());
            String json = "{\"s\":\"" + i + " \\u00e9\\\"q\",\"n\":" + rnd.nextLong() + ",\"d\":" + rnd.nextDouble()
                    + ",\"b\":" + rnd.nextBoolean() + ",\"nested\":{\"a\":[1,2]},\"gone\":null}";
            assertEquals(200, fast.postJson("/put?key=" + enc(key), json).statusCode());
        }
        // Deleted keys, and rows in segments as well as in the memtable.
        fast.engine.write(WriteBatch.of("typed", Row.tombstone(keys.get(0))));
        assertEquals(200, fast.delete("/delete?key=" + enc(rawKeys.get(0))).statusCode());
        fast.engine.flush();
        fast.engine.write(WriteBatch.of("typed", Row.of(keys.get(1), typedValues(rnd))));

        List<String> queries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            queries.add("key=" + enc(keys.get(i)) + "&table=typed");
            queries.add("table=default&key=" + enc(keys.get(i)));
            queries.add("key=" + escapeAll(rawKeys.get(i)));
            queries.add("key=" + enc(rawKeys.get(i)) + "&key=ignored");
        }
        queries.add("key=never-written");
        queries.add("key=x&table=no_such_table");
        queries.add("key=x&table=bad-name");
        queries.add("table=typed");
        queries.add("key=");
        queries.add("");
        queries.add("key=" + "k".repeat(3000));
        queries.add("key=%zz");
        queries.add("key=a+b&&=&x");
        for (String q : queries) {
            assertSameAnswer("GET /get?" + q + " HTTP/1.1");
            assertSameAnswer("GET /get?" + q + " HTTP/1.1", "Accept-Encoding: gzip");
        }
        assertTrue(fast.server.fastGetsAnswered() >= queries.size(), "the handler answered /get itself");
    }

    @Test
    void refusedTokenAnswersAsTheJavalinRoute() throws Exception {
        start("river.http.auth.token=tok");
        long before = fast.server.fastGetsAnswered();
        assertSameAnswer("GET /get?key=a HTTP/1.1");
        assertSameAnswer("GET /get?key=a HTTP/1.1", "Authorization: Bearer wrong");
        assertSameAnswer("GET /get?key=a HTTP/1.1", "Authorization: Bearer tok");
        assertSameAnswer("GET /get?key=a HTTP/1.1", "Authorization: Bearer tok", "X-Request-Id: bad id!");
        assertEquals(before + 4, fast.server.fastGetsAnswered());
        String refused = send(fast.server, "GET /get?key=a HTTP/1.1");
        assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
        assertTrue(refused.contains("\r\nWWW-Authenticate: Bearer realm=\"river\"\r\n"), refused);
    }

    @Test
    void otherRoutesPassThroughToJavalin() throws Exception {
        start();
        assertEquals(
                200,
                fast.post("/put?key=k", new byte[] {1, 2}, "application/octet-stream")
                        .statusCode());
        long before = fast.server.fastGetsAnswered();
        for (String line : new String[] {
            "GET /health HTTP/1.1",
            "GET /get/ HTTP/1.1",
            "GET /getx?key=k HTTP/1.1",
            "HEAD /get?key=k HTTP/1.1",
            "DELETE /get?key=k HTTP/1.1",
            "GET /tables/default HTTP/1.1",
            "GET /no-such-route HTTP/1.1"
        }) {
            assertSameAnswer(line);
        }
        long passed = fast.server.fastGetsAnswered();
        assertEquals(before, passed);
        // Paths Jetty may normalise to /get: whoever answers, the answer is the Javalin route's.
        for (String line : new String[] {
            "GET /g%65t?key=k HTTP/1.1",
            "GET /get;p=1?key=k HTTP/1.1",
            "GET /./get?key=k HTTP/1.1",
            "GET //get?key=k HTTP/1.1",
            "GET /x/../get?key=k HTTP/1.1",
            "GET /get?key=k#frag HTTP/1.1"
        }) {
            assertSameAnswer(line);
        }
        before = fast.server.fastGetsAnswered();
        // A Content-Type (whose charset Javalin decodes the query with) sends /get to Javalin too.
        assertSameAnswer("GET /get?key=k HTTP/1.1", "Content-Type: text/plain; charset=ISO-8859-1");
        assertEquals(before, fast.server.fastGetsAnswered());
        assertEquals(200, fast.get("/get?key=k").statusCode());
        assertEquals(before + 1, fast.server.fastGetsAnswered());
        String metrics = TestServer.text(fast.get("/metrics"));
        assertTrue(
                metrics.contains("river_http_requests_seconds_count{method=\"GET\",route=\"/get\",status=\"200\"}"),
                "the request timer counts /get");
    }

    private void assertSameAnswer(String requestLine, String... headers) throws IOException {
        String expected = send(reference, requestLine, headers);
        String actual = send(fast.server, requestLine, headers);
        assertEquals(expected, actual, requestLine);
    }

    /** The whole answer to one request on a fresh connection, as ISO-8859-1 text, without the Date header. */
    private static String send(RiverServer server, String requestLine, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
        boolean id = false;
        for (String h : headers) {
            head.append(h).append("\r\n");
            id |= h.startsWith("X-Request-Id:");
        }
        if (!id) {
            head.append("X-Request-Id: fixed-id\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // A fresh id (the client's was not plain) differs per request by design.
            return DATE.matcher(answer)
                    .replaceAll("")
                    .replaceAll("X-Request-Id: [0-9a-f]{16}\r\n", "X-Request-Id: *\r\n");
        }
    }

    private static Map<String, Object> typedValues(SplittableRandom rnd) {
        Map<String, Object> v = new LinkedHashMap<>();
        putMaybe(v, rnd, "i32", rnd.nextInt());
        putMaybe(v, rnd, "i64", rnd.nextLong());
        putMaybe(v, rnd, "f64", rnd.nextDouble() * 1e6 - 5e5);
        putMaybe(v, rnd, "flag", rnd.nextBoolean());
        putMaybe(v, rnd, "text", "t\"\\\n" + rnd.nextInt(100) + "é中");
        byte[] bytes = new byte[rnd.nextInt(20)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) rnd.nextInt(256);
        }
        putMaybe(v, rnd, "blob", bytes);
        putMaybe(v, rnd, "at", Instant.ofEpochMilli(1_700_000_000_000L + rnd.nextInt(1_000_000_000)));
        putMaybe(v, rnd, "day", LocalDate.ofEpochDay(rnd.nextInt(30_000)));
        return v;
    }

    /** Puts the value three times in four; otherwise the column is NULL in this row. */
    private static void putMaybe(Map<String, Object> v, SplittableRandom rnd, String name, Object value) {
        if (rnd.nextInt(4) != 0) {
            v.put(name, value);
        }
    }

    private static String randomKey(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder();
        int n = 1 + rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            b.append(KEY_CHARS.charAt(rnd.nextInt(KEY_CHARS.length())));
        }
        return b.toString();
    }

    /** Every UTF-8 byte of {@code s} as {@code %XX} (spaces too). */
    private static String escapeAll(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%%%02X", x & 0xff));
        }
        return b.toString();
    }
}
