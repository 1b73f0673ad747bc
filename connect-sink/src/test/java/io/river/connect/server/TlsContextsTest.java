package io.river.connect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.http.RiverServer;
import io.river.http.TestTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsContexts#forTruststore}: against a River server on HTTPS (a self-signed certificate for
 * localhost made with the JDK's keytool), it trusts exactly the truststore's certificates; bad
 * truststores fail with messages naming river.server.truststore.path.
 */
class TlsContextsTest {
    private static final String PASSWORD = TestTls.PASSWORD;
    private static final String PATH_KEY = "river.server.truststore.path";

    @TempDir
    static Path certs;

    static Path keystore;
    static Path trust;
    static Path trustJks;
    static Path otherTrust;
    static RiverServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        TestTls tls = TestTls.create(Files.createDirectories(certs.resolve("server")));
        keystore = tls.keystore;
        trust = tls.truststore;
        trustJks = tls.truststore("JKS");
        // Another self-signed localhost certificate: a truststore with only it must not trust the server.
        otherTrust = TestTls.create(Files.createDirectories(certs.resolve("other"))).truststore;

        Path data = Files.createDirectories(certs.resolve("data"));
        RiverConfig config = RiverConfig.from(Map.of(
                "river.data.dir",
                data.toString(),
                "river.http.host",
                "127.0.0.1",
                "river.http.port",
                "0",
                "river.http.tls.keystore.path",
                keystore.toString(),
                "river.http.tls.keystore.password",
                PASSWORD));
        server = new RiverServer(config).start(); // /health answers without an engine
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private static int health(SSLContext context, String host) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.port() + "/health"))
                .timeout(Duration.ofSeconds(30))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void emptyPathIsTheJvmDefault() throws Exception {
        assertSame(SSLContext.getDefault(), TlsContexts.forTruststore("", "", "PKCS12"));
        assertThrows(
                SSLHandshakeException.class,
                () -> health(TlsContexts.forTruststore("", "", "PKCS12"), "127.0.0.1"),
                "the JVM's default trust does not know the self-signed certificate");
    }

    @Test
    void trustsTheTruststoresCertificates() throws Exception {
        SSLContext context = TlsContexts.forTruststore(trust.toString(), PASSWORD, "PKCS12");
        assertNotSame(SSLContext.getDefault(), context);
        assertEquals(200, health(context, "127.0.0.1"));
        assertEquals(200, health(context, "localhost"));
        assertEquals(200, health(TlsContexts.forTruststore(trustJks.toString(), PASSWORD, "JKS"), "127.0.0.1"));
        // A JKS store opens without a password too (no integrity check); the type is case-insensitive.
        assertEquals(200, health(TlsContexts.forTruststore(trustJks.toString(), "", "jks"), "127.0.0.1"));
    }

    @Test
    void trustsNothingElse() throws Exception {
        SSLContext other = TlsContexts.forTruststore(otherTrust.toString(), PASSWORD, "PKCS12");
        assertThrows(SSLHandshakeException.class, () -> health(other, "127.0.0.1"));
    }

    @Test
    void badTruststoresFailNamingThePathKey() throws IOException {
        Path missing = dir.resolve("missing.p12");
        IOException none = assertThrows(
                IOException.class, () -> TlsContexts.forTruststore(missing.toString(), PASSWORD, "PKCS12"));
        assertTrue(
                none.getMessage().contains(PATH_KEY) && none.getMessage().contains(missing.toString()),
                none.getMessage());

        Path garbage = Files.write(dir.resolve("garbage.p12"), "not a keystore".getBytes(StandardCharsets.UTF_8));
        IOException unreadable = assertThrows(
                IOException.class, () -> TlsContexts.forTruststore(garbage.toString(), PASSWORD, "PKCS12"));
        assertTrue(unreadable.getMessage().contains(PATH_KEY), unreadable.getMessage());

        IOException wrongPassword = assertThrows(
                IOException.class, () -> TlsContexts.forTruststore(trust.toString(), "not-the-password", "PKCS12"));
        assertTrue(wrongPassword.getMessage().contains(PATH_KEY), wrongPassword.getMessage());
        assertTrue(wrongPassword.getMessage().contains("river.server.truststore.password"), wrongPassword.getMessage());

        IllegalArgumentException badType = assertThrows(
                IllegalArgumentException.class, () -> TlsContexts.forTruststore(trust.toString(), PASSWORD, "PEM"));
        assertTrue(
                badType.getMessage().contains(PATH_KEY)
                        && badType.getMessage().contains("river.server.truststore" + ".type"),
                badType.getMessage());

        IllegalArgumentException nullPath =
                assertThrows(IllegalArgumentException.class, () -> TlsContexts.forTruststore(null, PASSWORD, "PKCS12"));
        assertTrue(nullPath.getMessage().contains(PATH_KEY), nullPath.getMessage());
    }

    @Test
    void anEmptyPasswordOnAProtectedPkcs12StoreIsExplained() {
        Exception e = assertThrows(Exception.class, () -> TlsContexts.forTruststore(trust.toString(), "", "PKCS12"));
        assertTrue(e instanceof IOException || e instanceof IllegalArgumentException, e.toString());
        assertTrue(e.getMessage().contains(PATH_KEY), e.getMessage());
        assertTrue(e.getMessage().contains("river.server.truststore.password"), e.getMessage());
    }
}
