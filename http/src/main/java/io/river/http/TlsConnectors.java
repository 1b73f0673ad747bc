package io.river.http;

import io.river.config.ConfigException;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The REST API's listening connector: plain HTTP/1.1, or HTTP/1.1 over TLS when
 * {@code river.http.tls.keystore.path} is set (then the port speaks HTTPS only). The keystore
 * ({@code river.http.tls.keystore.type}, PKCS12 or JKS) must hold one private key with its
 * certificate chain, protected by {@code river.http.tls.keystore.password} (the keystore and the
 * key share it). {@link #of} reads and checks the keystore once, so a missing or unreadable file,
 * a wrong password or a keystore without a key fails there with a {@link ConfigException} whose
 * one-line message names the key to fix, before any port is bound; Jetty then serves that
 * loaded keystore. The SNI host check is off: a certificate for {@code localhost} also serves
 * clients that connect to {@code 127.0.0.1} (hostname verification is the client's business).
 * Immutable; thread-safe.
 */
final class TlsConnectors {
    private final KeyStore keyStore;
    private final String password;

    private TlsConnectors(KeyStore keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** True when the config asks for HTTPS ({@code river.http.tls.keystore.path} is non-empty). */
    static boolean enabled(RiverConfig config) {
        return !config.get(RiverConfigKeys.HTTP_TLS_KEYSTORE_PATH).isEmpty();
    }

    /** {@code "https"} when the config asks for TLS, else {@code "http"}. */
    static String scheme(RiverConfig config) {
        return enabled(config) ? "https" : "http";
    }

    /**
     * The connectors for this config: plain HTTP when the keystore path is empty, else TLS with the
     * keystore loaded and checked now.
     *
     * @throws ConfigException naming {@code river.http.tls.keystore.path} when the file is missing,
     *     unreadable, not a keystore of the configured type or holds no private key, and
     *     {@code river.http.tls.keystore.password} when the password does not open the keystore or its key
     */
    static TlsConnectors of(RiverConfig config) {
        if (!enabled(config)) {
            return new TlsConnectors(null, null);
        }
        String file = config.get(RiverConfigKeys.HTTP_TLS_KEYSTORE_PATH);
        String password = config.get(RiverConfigKeys.HTTP_TLS_KEYSTORE_PASSWORD);
        String type = config.get(RiverConfigKeys.HTTP_TLS_KEYSTORE_TYPE);
        return new TlsConnectors(load(file, password, type), password);
    }

    /** The loaded keystore (TLS), or null (plain). */
    KeyStore keyStore() {
        return keyStore;
    }

    /** The password of the keystore and its key, or null (plain). */
    String password() {
        return password;
    }

    /** True when the connector speaks TLS. */
    boolean secure() {
        return keyStore != null;
    }

    /**
     * A connector on {@code server} with Javalin's HTTP configuration: TLS (a
     * {@link SecureRequestCustomizer} added to {@code http}) or plain. Host and port are the caller's.
     */
    ServerConnector connector(Server server, HttpConfiguration http) {
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        if (!secure()) {
            return new ServerConnector(server, h1);
        }
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false);
        http.addCustomizer(customizer);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(password);
        ssl.setSniRequired(false);
        return new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), h1);
    }

    private static KeyStore load(String file, String password, String type) {
        String pathKey = RiverConfigKeys.HTTP_TLS_KEYSTORE_PATH.name();
        String passwordKey = RiverConfigKeys.HTTP_TLS_KEYSTORE_PASSWORD.name();
        Path path = Paths.get(file);
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(pathKey, "no keystore file at " + path.toAbsolutePath());
        }
        if (!Files.isReadable(path)) {
            throw new ConfigException(pathKey, "keystore " + path.toAbsolutePath() + " is not readable");
        }
        char[] secret = password.toCharArray();
        KeyStore ks;
        try (InputStream in = Files.newInputStream(path)) {
            ks = KeyStore.getInstance(type);
            ks.load(in, secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigException(passwordKey, "the password does not open keystore " + path.toAbsolutePath());
            }
            throw new ConfigException(pathKey, path.toAbsolutePath() + " is not a " + type + " keystore (" + e + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(pathKey, path.toAbsolutePath() + " is not a " + type + " keystore (" + e + ")");
        }
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    hasKey = true;
                    ks.getKey(alias, secret); // the key manager opens each key with the keystore password
                }
            }
            if (!hasKey) {
                throw new ConfigException(
                        pathKey,
                        "keystore " + path.toAbsolutePath()
                                + " holds no private key (it needs the server's key and certificate)");
            }
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException(
                    passwordKey,
                    "the password does not open the private key in keystore " + path.toAbsolutePath()
                            + " (the key needs the keystore's password)");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(
                    pathKey, "cannot read the key in keystore " + path.toAbsolutePath() + ": " + e.getMessage());
        }
        return ks;
    }
}
