package io.river.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random, mostly malformed requests written as raw bytes to a live server (methods,
 * paths, query strings with bad percent-encoding, headers, bodies, content types): no answer may be
 * a 5xx (the 501 of the not-yet-wired /query aside), every answer must come back, and the server
 * must still serve afterwards. The seed is printed; {@code -Driver.fuzz.seed=N} replays a run.
 */
class FuzzTest {
    private static final int REQUESTS = Integer.getInteger("river.fuzz.requests", 3000);
    private static final String[] METHODS = {
        "GET",
        "GET",
        "GET",
        "POST",
        "POST",
        "POST",
        "DELETE",
        "PUT",
        "PATCH",
        "HEAD",
        "OPTIONS",
        "TRACE",
        "get",
        "FOO",
        "M-SEARCH",
        "G\u00e9T",
        "",
        "GET GET"
    };
    private static final String[] PATHS = {
        "/get",
        "/put",
        "/delete",
        "/query",
        "/tables",
        "/tables/",
        "/tables/x",
        "/tables/default",
        "/tables/%2e%2e",
        "/tables/..%2f..",
        "/stats",
        "/metrics",
        "/health",
        "/health/ready",
        "/openapi.json",
        "/",
        "//get",
        "/get/",
        "/%zz",
        "/%",
        "/get%00",
        "/../stats",
        "/health/../stats",
        "/tables/{name}",
        "/tables/a%2Fb",
        "*",
        "http://evil/get",
        "/\u00e9",
        "/get;jsessionid=1",
        "/query/",
        "/PUT",
        "/tables/" + "a".repeat(200)
    };
    private static final String[][] ROUTES = {
        {"GET", "/get"},
        {"POST", "/put"},
        {"POST", "/put"},
        {"DELETE", "/delete"},
        {"GET", "/query"},
        {"POST", "/query"},
        {"GET", "/tables/default"},
        {"GET", "/stats"}
    };
    private static final String[] PARAM_NAMES = {"key", "key", "key", "table", "table", "sql", "x", "", "key[]", "k%zz"
    };
    private static final String[] CONTENT_TYPES = {
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/octet-stream",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "multipart/form-data",
        "application/vnd.apache.arrow.stream",
        "garbage",
        "",
        ";;;",
        "application/json;charset=\u00ff",
        "application/problem+json",
        "text/csv",
        "*/*"
    };
    private static final String[] ACCEPTS = {
        "*/*",
        "application/json",
        "text/csv",
        "application/vnd.apache.arrow.stream",
        "image/png",
        "",
        ",,,",
        "text/*;q=0.1, nonsense"
    };

    private static final String[] LIMITS = {"river.http.max.body.bytes=65536", "river.http.max.key.bytes=64"};

    @TempDir
    Path dir;

    @Test
    void randomMalformedRequestsNeverGet5xx() throws Exception {
        try (TestServer t = TestServer.start(dir, LIMITS)) {
            byte[] known = "still here".getBytes(StandardCharsets.UTF_8);
            assertEquals(200, t.post("/put?key=canary", known, "text/plain").statusCode());
            fuzz(t, REQUESTS, false);
            assertEquals(200, t.get("/health").statusCode());
            assertEquals(200, t.get("/health/ready").statusCode());
            assertArrayEquals(known, t.get("/get?key=canary").body());
        }
    }

    /** While the engine recovers, data routes may say 503 not_ready, and nothing else may be a 5xx. */
    @Test
    void randomMalformedRequestsBeforeTheEngineIsReady() throws Exception {
        try (TestServer t = TestServer.startWithoutEngine(dir, LIMITS)) {
            fuzz(t, REQUESTS / 3, true);
            assertEquals(200, t.get("/health").statusCode());
        }
    }

    private static void fuzz(TestServer t, int requests, boolean recovering) throws IOException {
        long seed = Long.getLong("river.fuzz.seed", System.nanoTime());
        System.out.println("FuzzTest seed " + seed + " (-Driver.fuzz.seed=" + seed + " replays it)");
        Random rnd = new Random(seed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            byte[] request = request(rnd);
            String response = exchange(t.server.port(), request);
            int status = status(response);
            statuses.merge(status, 1, Integer::sum);
            boolean expected = status == 0 // reset after an early answer whose remains show a client error
                    || status >= 100 && status < 500
                    || status == 501 && response.contains("\"not_implemented\"")
                    || recovering && status == 503 && response.contains("\"not_ready\"");
            if (!expected && failures.size() < 10) {
                failures.add(status + " <- " + printable(request) + "\n   -> "
                        + printable(response.getBytes(StandardCharsets.ISO_8859_1)));
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("FuzzTest: " + requests + " requests in " + ms + " ms, statuses " + statuses);
        assertTrue(
                failures.isEmpty(), "seed " + seed + ": server errors or no answer:\n" + String.join("\n", failures));
    }

    private static byte[] request(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Half the requests aim at a real route with its own method, so handlers (not just routing) get fuzzed.
        String method;
        String target;
        if (rnd.nextBoolean()) {
            int route = rnd.nextInt(ROUTES.length);
            target = ROUTES[route][1];
            method = rnd.nextInt(5) > 0 ? ROUTES[route][0] : pick(rnd, METHODS);
        } else {
            method = pick(rnd, METHODS);
            target = pick(rnd, PATHS);
        }
        if (rnd.nextInt(10) < 8) {
            target += "?" + query(rnd);
        }
        byte[] body = body(rnd);
        StringBuilder head = new StringBuilder();
        head.append(method)
                .append(' ')
                .append(target)
                .append(' ')
                .append(rnd.nextInt(30) == 0 ? "HTTP/9.9" : rnd.nextInt(30) == 0 ? "HTTP/1.0" : "HTTP/1.1")
                .append("\r\n");
        head.append("Host: localhost\r\n");
        if (rnd.nextBoolean()) {
            head.append("Content-Type: ").append(pick(rnd, CONTENT_TYPES)).append("\r\n");
        }
        if (rnd.nextInt(3) == 0) {
            head.append("Accept: ").append(pick(rnd, ACCEPTS)).append("\r\n");
        }
        if (rnd.nextInt(5) == 0) {
            head.append("X-Request-Id: ")
                    .append(randomText(rnd, rnd.nextInt(300)))
                    .append("\r\n");
        }
        if (rnd.nextInt(8) == 0) {
            head.append("Authorization: ")
                    .append(rnd.nextBoolean() ? "Bearer " : "")
                    .append(randomText(rnd, 20))
                    .append("\r\n");
        }
        if (rnd.nextInt(10) == 0) {
            head.append(randomToken(rnd))
                    .append(": ")
                    .append(randomText(rnd, rnd.nextInt(50)))
                    .append("\r\n");
        }
        if (rnd.nextInt(40) == 0) {
            head.append("Expect: 100-continue\r\n");
        }
        head.append("Connection: close\r\n");
        boolean chunked = body.length > 0 && rnd.nextInt(6) == 0;
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            int pos = 0;
            while (pos < body.length) {
                int n = Math.min(body.length - pos, 1 + rnd.nextInt(4096));
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, pos, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                pos += n;
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            if (body.length > 0 || rnd.nextBoolean()) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static String query(Random rnd) {
        StringBuilder q = new StringBuilder();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                q.append(rnd.nextInt(10) == 0 ? "&&" : "&");
            }
            q.append(pick(rnd, PARAM_NAMES));
            if (rnd.nextInt(10) > 0) {
                q.append('=').append(value(rnd));
            }
        }
        return q.toString();
    }

    private static String value(Random rnd) {
        switch (rnd.nextInt(12)) {
            case 0:
                return "";
            case 1:
                return "%";
            case 2:
                return "%z";
            case 3:
                return "%zz" + randomToken(rnd);
            case 4:
                return "%C3%28"; // invalid UTF-8
            case 5:
                return "%ED%A0%80"; // an encoded surrogate
            case 6:
                return "x".repeat(60 + rnd.nextInt(10)); // around the 64-byte key limit
            case 7:
                return "default";
            case 8:
                return "SELECT%20*%20FROM%20t%20WHERE%20x%20%3D%20'%00'";
            case 9:
                return "%00%01%02";
            case 10:
                return "+" + randomToken(rnd) + "+";
            default:
                return randomToken(rnd);
        }
    }

    private static byte[] body(Random rnd) {
        switch (rnd.nextInt(14)) {
            case 0:
            case 1:
                return new byte[0];
            case 2:
                return "{\"a\":1,\"b\":\"x\",\"c\":[1,{\"d\":null}]}".getBytes(StandardCharsets.UTF_8);
            case 3:
                return "{\"a\":".getBytes(StandardCharsets.UTF_8);
            case 4:
                return "{\"sql\":\"SELECT 1\"}".getBytes(StandardCharsets.UTF_8);
            case 5:
                return "{\"a\":1}{}".getBytes(StandardCharsets.UTF_8);
            case 6:
                return ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            case 7:
                return "{\"_key\":1,\"bad-name\":2}".getBytes(StandardCharsets.UTF_8);
            case 8:
                return "{\"n\":123456789012345678901234567890,\"f\":1e999,\"s\":\"\\ud800\"}"
                        .getBytes(StandardCharsets.UTF_8);
            case 9:
                return new byte[65536 + 1 + rnd.nextInt(1000)]; // over the body limit
            case 10:
                return "{\"age\":\"not a number\"}".getBytes(StandardCharsets.UTF_8);
            case 11:
                return "{\"age\":7}".getBytes(StandardCharsets.UTF_8);
            default:
                byte[] b = new byte[rnd.nextInt(2000)];
                rnd.nextBytes(b);
                return b;
        }
    }

    /** Sends one request on a fresh connection; returns the whole response ("" when none came). */
    /** Marks an exchange whose answer was cut by a reset after the server stopped reading the request body. */
    static final String RESET_EARLY_ANSWER = "reset-after-early-answer:";

    private static String exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            // Write on another thread while this one reads: a server that answers early (400, 413) and
            // closes makes the kernel reset the connection, and a reset drops whatever the client has
            // not read yet, so the answer must be read as it arrives, not after the whole body is sent.
            OutputStream out = s.getOutputStream();
            java.util.concurrent.atomic.AtomicBoolean writeFailed = new java.util.concurrent.atomic.AtomicBoolean();
            Thread writer = new Thread(
                    () -> {
                        try {
                            out.write(request);
                            out.flush();
                        } catch (IOException e) {
                            writeFailed.set(true); // the server stopped reading: its answer is read below
                        }
                    },
                    "fuzz-writer");
            writer.setDaemon(true);
            writer.start();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            boolean reset = false;
            try {
                while ((n = in.read(buf)) != -1) {
                    response.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                reset = true; // reset after (part of) the answer: keep what came
            }
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text = response.toString(StandardCharsets.ISO_8859_1);
            if (reset && writeFailed.get() && !text.startsWith("HTTP/")) {
                // The server answered before reading the whole body and closed; the reset cut the head of
                // its answer. What is left is still checked for a server error below.
                return RESET_EARLY_ANSWER + text;
            }
            return text;
        } catch (SocketTimeoutException e) {
            return "timeout";
        }
    }

    /** The final status of a response (skipping an interim 100 Continue), or -1. */
    private static int status(String response) {
        if (response.startsWith(RESET_EARLY_ANSWER)) {
            // Only a JSON client error can be left of an early answer; anything else counts as no answer.
            String rest = response.substring(RESET_EARLY_ANSWER.length());
            return rest.contains("{\"error\":{\"code\":\"")
                            && !rest.contains("\"code\":\"internal\"")
                            && !rest.contains("\"code\":\"not_ready\"")
                    ? 0
                    : -1;
        }
        if (response.startsWith("HTTP/1.1 100 ")) {
            int end = response.indexOf("\r\n\r\n");
            return end < 0 ? -1 : status(response.substring(end + 4));
        }
        String[] parts = response.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String pick(Random rnd, String[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static String randomToken(Random rnd) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String randomText(Random rnd, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = 0x20 + rnd.nextInt(0x5f);
            sb.append(rnd.nextInt(40) == 0 ? (char) (0xa0 + rnd.nextInt(0x60)) : (char) c);
        }
        return sb.toString();
    }

    private static String printable(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
