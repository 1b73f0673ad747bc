package io.river.http.flight;

import io.river.engine.RiverEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * River's Arrow Flight SQL endpoint ({@code river.flight.port}): a Flight server on {@code host:port}
 * whose {@link RiverFlightSqlProducer} answers Flight SQL (JDBC's {@code jdbc:arrow-flight-sql://},
 * ADBC, BI tools) with the engine's tables and River's SQL. With a token every call needs it
 * ({@link TokenAuthenticator}); with a keystore the port speaks TLS only, with the keystore's key and
 * certificate chain. Arrow memory comes from a child of the engine's allocator, closed by
 * {@link #close()}.
 *
 * <p>Life cycle: {@link #start} binds and serves (the engine already open); {@link #close()} stops
 * accepting calls, waits up to {@link #STOP_TIMEOUT_SECONDS} for running ones, cancels the rest,
 * then releases the executor and the allocator. The caller closes the engine afterwards.
 * Thread-safe.
 */
public final class FlightSqlService implements AutoCloseable {
    /** Longest wait for running calls (streams being read) when stopping. */
    public static final long STOP_TIMEOUT_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(FlightSqlService.class);

    private final FlightServer server;
    private final RiverFlightSqlProducer producer;
    private final BufferAllocator allocator;
    private final boolean tls;
    private boolean closed;

    private FlightSqlService(
            FlightServer server, RiverFlightSqlProducer producer, BufferAllocator allocator, boolean tls) {
        this.server = server;
        this.producer = producer;
        this.allocator = allocator;
        this.tls = tls;
    }

    /**
     * Binds {@code host:port} (0: a free port) and serves Flight SQL on {@code engine}.
     *
     * @param token    the bearer token every call must carry; null or empty: no authentication
     * @param keyStore the keystore whose (first) private key and certificate chain serve TLS; null: plaintext
     * @param password the password of the keystore and its key (ignored without a keystore)
     * @throws IOException when the port cannot be bound (or the TLS material cannot be used)
     */
    public static FlightSqlService start(
            String host, int port, String token, KeyStore keyStore, String password, RiverEngine engine)
            throws IOException {
        BufferAllocator allocator = engine.allocator().newChildAllocator("flight-sql", 0, Long.MAX_VALUE);
        RiverFlightSqlProducer producer = new RiverFlightSqlProducer(engine, allocator, version());
        try {
            Location location =
                    keyStore == null ? Location.forGrpcInsecure(host, port) : Location.forGrpcTls(host, port);
            FlightServer.Builder builder = FlightServer.builder(allocator, location, producer);
            if (token != null && !token.isEmpty()) {
                builder.headerAuthenticator(new TokenAuthenticator(token));
            }
            if (keyStore != null) {
                Pem pem = pem(keyStore, password);
                builder.useTls(pem.chain(), pem.key());
            }
            FlightServer server = builder.build().start();
            return new FlightSqlService(server, producer, allocator, keyStore != null);
        } catch (IOException | RuntimeException e) {
            producer.close();
            allocator.close();
            throw e;
        }
    }

    /** River's version as GetSqlInfo reports it: the jar's Implementation-Version, else "dev". */
    static String version() {
        String v = FlightSqlService.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The bound port. */
    public int port() {
        return server.getPort();
    }

    /** {@code grpc+tls} with a keystore, else {@code grpc} (the scheme of Flight locations). */
    public String scheme() {
        return tls ? "grpc+tls" : "grpc";
    }

    /** Bytes of Arrow memory the endpoint holds now (0 when no call is running). */
    public long allocatedBytes() {
        return allocator.getAllocatedMemory();
    }

    /** Stops serving (see the class comment) and releases the allocator. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        try {
            if (!server.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Flight SQL calls still running after {} s; cancelling them", STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("stopping the Flight server failed", e);
        }
        producer.close();
        try {
            allocator.close();
        } catch (IllegalStateException e) {
            LOG.error("Flight SQL left Arrow memory allocated: {}", allocator.toVerboseString(), e);
        }
    }

    /** A key and its certificate chain as PEM, which gRPC's TLS takes. */
    private record Pem(InputStream chain, InputStream key) {}

    private static Pem pem(KeyStore keyStore, String password) throws IOException {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (!keyStore.isKeyEntry(alias)) {
                    continue;
                }
                Key key = keyStore.getKey(alias, secret);
                Certificate[] chain = keyStore.getCertificateChain(alias);
                if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
                    continue;
                }
                StringBuilder certs = new StringBuilder();
                for (Certificate c : chain) {
                    certs.append(pemBlock("CERTIFICATE", c.getEncoded()));
                }
                String pkcs8 = pemBlock("PRIVATE KEY", key.getEncoded()); // PKCS#8, as keystores hold keys
                return new Pem(
                        new ByteArrayInputStream(certs.toString().getBytes(StandardCharsets.US_ASCII)),
                        new ByteArrayInputStream(pkcs8.getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the TLS key for Flight SQL: " + e.getMessage(), e);
        }
        throw new IOException("the keystore holds no private key with a certificate chain for Flight SQL TLS");
    }

    private static String pemBlock(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
