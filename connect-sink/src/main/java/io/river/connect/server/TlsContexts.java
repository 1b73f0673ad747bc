package io.river.connect.server;

import io.river.config.RiverConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Client-side {@link SSLContext}s for the sink's HTTP client in server mode ({@code river.server.url}
 * on https), for {@code HttpClient.newBuilder().sslContext(...)}. The context only decides which
 * certificates are trusted; {@code java.net.http.HttpClient} still checks that the server's
 * certificate names the host of the URL. Stateless; thread-safe.
 */
public final class TlsContexts {
    private static final String PATH_KEY = RiverConfigKeys.SERVER_TRUSTSTORE_PATH.name();
    private static final String PASSWORD_KEY = RiverConfigKeys.SERVER_TRUSTSTORE_PASSWORD.name();
    private static final String TYPE_KEY = RiverConfigKeys.SERVER_TRUSTSTORE_TYPE.name();

    private TlsContexts() {}

    /**
     * A TLS context whose trust anchors are exactly the certificates in the truststore at {@code path}
     * (trusted-certificate entries, and the certificate of any key entry); the JVM's default trust
     * ({@code cacerts}) plays no part. It presents no client certificate. With an empty {@code path},
     * {@link SSLContext#getDefault()} (the JVM's default trust). A new context on every call; reading
     * the file happens here, once.
     *
     * @param path {@code river.server.truststore.path}: the truststore file, or empty for the JVM default
     * @param password {@code river.server.truststore.password}; empty (or null) opens the store without
     *     an integrity check, which reads a JKS store but not the (encrypted) certificates of a
     *     password-protected PKCS12 store
     * @param type {@code river.server.truststore.type}: {@code PKCS12} or {@code JKS} (case-insensitive)
     * @return a context ready for {@code HttpClient.Builder.sslContext}
     * @throws IOException naming {@code river.server.truststore.path} when the file is missing or
     *     unreadable, is not a truststore of {@code type}, or the password does not open it (then the
     *     message also names {@code river.server.truststore.password})
     * @throws IllegalArgumentException naming {@code river.server.truststore.path} when {@code path} or
     *     {@code type} is null, {@code type} is not PKCS12 or JKS, or the truststore holds no certificate
     */
    public static SSLContext forTruststore(String path, String password, String type) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException(
                    PATH_KEY + " is null; give a truststore file or an empty string for " + "the JVM's default trust");
        }
        if (path.isEmpty()) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new IOException(
                        PATH_KEY + " is empty, but the JVM's default TLS context is unavailable: " + e.getMessage(), e);
            }
        }
        String storeType = checkType(path, type);
        KeyStore store = load(
                Paths.get(path), password == null || password.isEmpty() ? null : password.toCharArray(), storeType);
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            String where = "truststore " + path + " (" + PATH_KEY + ")";
            throw new IOException("Cannot use " + where + " for TLS: " + e.getMessage(), e);
        }
    }

    private static String checkType(String path, String type) {
        String upper = type == null ? "" : type.toUpperCase(Locale.ROOT);
        if (!upper.equals("PKCS12") && !upper.equals("JKS")) {
            throw new IllegalArgumentException("Cannot read truststore " + path + " (" + PATH_KEY + "): " + TYPE_KEY
                    + " must be PKCS12 or JKS, not '" + type + "'");
        }
        return upper;
    }

    private static KeyStore load(Path file, char[] password, String type) throws IOException {
        String where = "truststore " + file.toAbsolutePath() + " (" + PATH_KEY + ")";
        if (!Files.isRegularFile(file)) {
            throw new IOException("Cannot read " + where + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("Cannot read " + where + ": permission denied");
        }
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance(type);
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IOException("Cannot open " + where + ": " + PASSWORD_KEY + " is wrong", e);
            }
            throw new IOException("Cannot read " + where + ": not a " + type + " store (" + e + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read " + where + ": not a " + type + " store (" + e + ")", e);
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) != null) {
                    return store;
                }
            }
        } catch (KeyStoreException e) {
            throw new IOException("Cannot read " + where + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("Cannot use " + where + ": it holds no certificate to trust"
                + (password == null ? " (a password-protected PKCS12 store needs " + PASSWORD_KEY + ")" : ""));
    }
}
