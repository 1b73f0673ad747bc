package io.river.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A River server on an ephemeral loopback port for tests, with or without a real engine on a temp
 * directory, plus a small HTTP client (java.net.http, HTTP/1.1). Closing stops the server, then
 * closes the engine. Not thread-safe to start/close; the request methods are thread-safe.
 */
final class TestServer implements AutoCloseable {
    final RiverServer server;
    final RiverEngine engine;
    final HttpClient client;
    final String base;

    private TestServer(RiverServer server, RiverEngine engine, SSLContext ssl) {
        this.server = server;
        this.engine = engine;
        this.client = client(ssl);
        this.base = server.scheme() + "://127.0.0.1:" + server.port();
    }

    /** An HTTP/1.1 client; with {@code ssl} (null: the JVM default) for https. */
    static HttpClient client(SSLContext ssl) {
        HttpClient.Builder b =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    static Map<String, String> config(Path dir, String... overrides) {
        Map<String, String> m = new HashMap<>();
        m.put("river.data.dir", dir.toString());
        m.put("river.http.host", "127.0.0.1");
        m.put("river.http.port", "0");
        m.put("river.checkpoint.interval.ms", "0");
        m.put("river.flush.interval.ms", "0");
        for (String kv : overrides) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    /** A server with a real engine on {@code dir}. */
    static TestServer start(Path dir, String... overrides) throws IOException {
        return start(dir, null, overrides);
    }

    /**
     * A server with a real engine on {@code dir}, whose client uses {@code ssl} (null: the JVM
     * default); {@link #base} is https when the overrides set a keystore ({@link TestTls#serverConfig()}).
     */
    static TestServer start(Path dir, SSLContext ssl, String... overrides) throws IOException {
        RiverConfig config = RiverConfig.from(config(dir, overrides));
        RiverEngine engine = RiverEngine.open(config);
        try {
            return new TestServer(RiverServer.start(config, engine), engine, ssl);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** A server whose engine never attaches (as during recovery). */
    static TestServer startWithoutEngine(Path dir, String... overrides) {
        RiverConfig config = RiverConfig.from(config(dir, overrides));
        return new TestServer(new RiverServer(config).start(), null, null);
    }

    HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends only the head of a request (raw socket, as HttpClient of Java 17 hangs on a refused
     * {@code Expect: 100-continue}) and returns the server's whole answer.
     */
    String sendHeadOnly(String head) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    HttpResponse<byte[]> get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, null, headers);
    }

    HttpResponse<byte[]> delete(String pathAndQuery, String... headers) {
        return send("DELETE", pathAndQuery, null, headers);
    }

    HttpResponse<byte[]> post(String pathAndQuery, byte[] body, String contentType, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = contentType;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("POST", pathAndQuery, body, all);
    }

    HttpResponse<byte[]> postJson(String pathAndQuery, String json, String... headers) {
        return post(pathAndQuery, json.getBytes(StandardCharsets.UTF_8), "application/json", headers);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (status " + r.statusCode() + "): " + text(r), e);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Asserts status, JSON content type and the error body's code (and a non-empty message). */
    static JsonNode assertError(HttpResponse<byte[]> r, int status, String code) {
        assertEquals(status, r.statusCode(), () -> "body: " + text(r));
        assertEquals(
                "application/json",
                r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode error = json(r).path("error");
        assertEquals(code, error.path("code").asText(), () -> "body: " + text(r));
        org.junit.jupiter.api.Assertions.assertFalse(
                error.path("message").asText().isEmpty(), "error message");
        return error;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.stop();
        if (engine != null) {
            engine.close();
        }
    }
}
