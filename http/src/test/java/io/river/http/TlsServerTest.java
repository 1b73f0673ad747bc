package io.river.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.ConfigException;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** river.http.tls.keystore.*: the REST API over HTTPS only, and start-up refusing a keystore it cannot open. */
class TlsServerTest {
    @TempDir
    static Path certs;

    static TestTls tls;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificate() throws Exception {
        tls = TestTls.create(certs);
    }

    /** A TLS server with an engine on {@link #dir}; its client trusts the test certificate. */
    private TestServer startTls() throws Exception {
        return TestServer.start(dir, tls.clientContext(), tls.serverConfig());
    }

    private static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndDataRoutesAnswerOverHttps() throws Exception {
        try (TestServer t = startTls()) {
            assertEquals("https", t.server.scheme());
            assertEquals("https://127.0.0.1:" + t.server.port(), t.server.baseUrl());
            assertTrue(t.base.startsWith("https://"), t.base);
            HttpResponse<byte[]> health = t.get("/health");
            assertEquals(200, health.statusCode(), () -> TestServer.text(health));
            assertEquals("UP", TestServer.json(health).path("status").asText());
            assertEquals(
                    200,
                    t.post("/put?key=k", "v".getBytes(StandardCharsets.UTF_8), "text/plain")
                            .statusCode());
            HttpResponse<byte[]> value = t.get("/get?key=k");
            assertEquals(200, value.statusCode(), () -> TestServer.text(value));
            assertEquals("v", TestServer.text(value));
            // The certificate names localhost too; with SNI sent the server still answers.
            HttpResponse<String> byName = get(t.client, "https://localhost:" + t.server.port() + "/health");
            assertEquals(200, byName.statusCode(), byName::body);
        }
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoRiverAnswer() throws Exception {
        try (TestServer t = startTls();
                Socket s = new Socket("127.0.0.1", t.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            // Jetty answers a plaintext request with a TLS alert record and closes: no HTTP at all.
            assertFalse(answer.startsWith("HTTP/"), answer);
            assertFalse(answer.contains("\"UP\""), answer);

            HttpClient plain = TestServer.client(null);
            String url = "http://127.0.0.1:" + t.server.port() + "/health";
            try {
                HttpResponse<String> r = get(plain, url);
                assertFalse(r.statusCode() == 200 || r.body().contains("\"UP\""), r::body);
            } catch (IOException expected) {
                // the server closed the connection on a request that is not a TLS handshake
            }
            assertEquals(200, t.get("/health").statusCode(), "the https client is still served");
        }
    }

    @Test
    void clientWithoutTheTruststoreFailsTheHandshake() throws Exception {
        try (TestServer t = startTls()) {
            HttpClient untrusting = TestServer.client(null);
            assertThrows(SSLHandshakeException.class, () -> get(untrusting, t.base + "/health"));
            assertEquals(200, t.get("/health").statusCode(), "the trusting client is still served");
        }
    }

    @Test
    void wrongKeystorePasswordStopsStartUpNamingTheKey() {
        RiverConfig config = RiverConfig.from(
                TestServer.config(dir, with(tls.serverConfig(), "river.http.tls.keystore.password=not-the-password")));
        ConfigException e = assertThrows(ConfigException.class, () -> new RiverServer(config));
        assertEquals(RiverConfigKeys.HTTP_TLS_KEYSTORE_PASSWORD.name(), e.key());
        assertTrue(e.getMessage().contains("river.http.tls.keystore.password"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), "the password is not printed: " + e.getMessage());

        RiverCliTest.Run run = RiverCliTest.run(
                "serve",
                "--data-dir",
                dir.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--river.http.tls.keystore.path=" + tls.keystore,
                "--river.http.tls.keystore.password=not-the-password");
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("river.http.tls.keystore.password"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void missingUnreadableOrKeylessKeystoreStopsStartUpNamingThePath() throws Exception {
        String pathKey = RiverConfigKeys.HTTP_TLS_KEYSTORE_PATH.name();

        Path missing = dir.resolve("no-such.p12");
        ConfigException none = assertThrows(ConfigException.class, () -> new RiverServer(tlsConfig(missing)));
        assertEquals(pathKey, none.key());
        assertTrue(
                none.getMessage().contains(pathKey) && none.getMessage().contains(missing.toString()),
                none.getMessage());

        Path garbage = Files.write(dir.resolve("garbage.p12"), "not a keystore".getBytes(StandardCharsets.UTF_8));
        ConfigException unreadable = assertThrows(ConfigException.class, () -> new RiverServer(tlsConfig(garbage)));
        assertEquals(pathKey, unreadable.key(), unreadable.getMessage());

        // The truststore opens with the password but holds no private key to serve with.
        ConfigException keyless = assertThrows(ConfigException.class, () -> new RiverServer(tlsConfig(tls.truststore)));
        assertEquals(pathKey, keyless.key());
        assertTrue(keyless.getMessage().contains("no private key"), keyless.getMessage());

        RiverCliTest.Run run = RiverCliTest.run(
                "serve",
                "--data-dir",
                dir.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--river.http.tls.keystore.path=" + missing,
                "--river.http.tls.keystore.password=" + TestTls.PASSWORD);
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(pathKey), run.err());
    }

    @Test
    void queryWithHttpsSpeaksTls() throws Exception {
        try (TestServer t = startTls()) {
            String port = Integer.toString(t.server.port());
            // The JVM's default trust does not know the test certificate: a TLS handshake that fails.
            RiverCliTest.Run https =
                    RiverCliTest.run("query", "SELECT 1", "--host", "127.0.0.1", "--port", port, "--https");
            assertEquals(1, https.code(), https.err());
            assertTrue(https.err().startsWith("TLS handshake with 127.0.0.1:" + port + " failed"), https.err());
            RiverCliTest.Run plain = RiverCliTest.run("query", "SELECT 1", "--host", "127.0.0.1", "--port", port);
            assertEquals(1, plain.code(), plain.err());
            assertFalse(plain.err().startsWith("TLS handshake"), plain.err());
        }
    }

    private RiverConfig tlsConfig(Path keystore) {
        return RiverConfig.from(TestServer.config(
                dir,
                "river.http.tls.keystore.path=" + keystore,
                "river.http.tls.keystore.password=" + TestTls.PASSWORD));
    }

    @Test
    void serveStartsOnHttpsAndPlainStaysHttp() throws Exception {
        RiverConfig config = RiverConfig.from(TestServer.config(dir, tls.serverConfig()));
        try (ServeCommand.Running running = ServeCommand.start(config)) {
            assertEquals("https://127.0.0.1:" + running.server.port(), running.server.baseUrl());
            HttpResponse<String> ready =
                    get(TestServer.client(tls.clientContext()), running.server.baseUrl() + "/health/ready");
            assertEquals(200, ready.statusCode(), ready::body);
        }
        try (TestServer plain = TestServer.start(dir)) {
            assertEquals("http", plain.server.scheme());
            assertEquals("http://127.0.0.1:" + plain.server.port(), plain.server.baseUrl());
        }
    }
}
