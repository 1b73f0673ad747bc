package io.river.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for tests, made at test time with the JDK's {@code keytool}: an RSA
 * 2048 key for {@code CN=localhost} with SAN {@code dns:localhost,ip:127.0.0.1}, valid for two days,
 * in a PKCS12 {@link #keystore}, and its certificate alone in a PKCS12 {@link #truststore}; both
 * protected by {@link #PASSWORD}. Immutable once created; thread-safe.
 */
public final class TestTls {
    /** Password of both stores (and of the key). */
    public static final String PASSWORD = "river-test-secret";

    static final String ALIAS = "river";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    /** PKCS12 keystore with the private key and its self-signed certificate. */
    public final Path keystore;
    /** PKCS12 truststore holding only the certificate. */
    public final Path truststore;

    private final Path certificate;

    private TestTls(Path keystore, Path truststore, Path certificate) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.certificate = certificate;
    }

    /** Makes {@code server.p12}, {@code server.cer} and {@code trust.p12} in {@code dir} (which must exist). */
    public static TestTls create(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.cer");
        Path truststore = dir.resolve("trust.p12");
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                dir,
                "-exportcert",
                "-alias",
                ALIAS,
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-file",
                cert.toString());
        importCertificate(dir, cert, truststore, "PKCS12");
        return new TestTls(keystore, truststore, cert);
    }

    /** A new truststore of {@code type} (PKCS12 or JKS) next to the others, holding only the certificate. */
    public Path truststore(String type) throws IOException, InterruptedException {
        Path dir = certificate.getParent();
        Path store = dir.resolve("trust-" + type.toLowerCase(Locale.ROOT) + "." + type.toLowerCase(Locale.ROOT));
        importCertificate(dir, certificate, store, type);
        return store;
    }

    private static void importCertificate(Path dir, Path cert, Path store, String type)
            throws IOException, InterruptedException {
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                ALIAS,
                "-file",
                cert.toString(),
                "-storetype",
                type,
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD);
    }

    /** The {@code key=value} overrides that make a River server serve HTTPS with {@link #keystore}. */
    String[] serverConfig() {
        return new String[] {
            "river.http.tls.keystore.path=" + keystore,
            "river.http.tls.keystore.password=" + PASSWORD,
            "river.http.tls.keystore.type=PKCS12"
        };
    }

    /** A client context that trusts exactly the certificate in {@link #truststore}. */
    SSLContext clientContext() throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Runs the JDK's keytool in {@code dir}; fails with its output unless it exits 0. */
    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " did not finish: " + output);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " exited " + p.exitValue() + ": " + output);
        }
    }
}
