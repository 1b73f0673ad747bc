package io.river.connect;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link RiverEngine} per data directory per worker JVM, shared by every sink task writing to
 * that directory: the first {@link #acquire} opens (and recovers) the engine and starts the
 * embedded REST API when {@code river.http.port} is not -1; each acquire returns a {@link Lease};
 * closing the last lease stops the REST API and closes the engine (WAL synced, buffers and LOCK
 * released). Reference counting is per data directory (absolute, normalized path). The engine's
 * configuration is the one of the first acquirer; a later acquirer with different engine settings
 * shares it anyway (one directory has one engine) and a warning says so.
 *
 * <p>Thread-safe: all state is guarded by the class lock. Opening and closing an engine happen
 * under that lock, so a task that stops while another starts on the same directory never sees a
 * half-closed engine. Static state lives per class loader: with Connect's plugin isolation that
 * is one registry per plugin installation in the worker.
 */
public final class EngineRegistry {
    private static final Logger log = LoggerFactory.getLogger(EngineRegistry.class);

    /** Guarded by EngineRegistry.class. */
    private static final Map<Path, Entry> ENGINES = new HashMap<>();

    private EngineRegistry() {}

    /** Opens or shares the engine of {@code river.data.dir}; the caller closes the lease. */
    public static synchronized Lease acquire(RiverConfig config) throws IOException {
        Path dir =
                Path.of(config.get(RiverConfigKeys.DATA_DIR)).toAbsolutePath().normalize();
        Entry entry = ENGINES.get(dir);
        if (entry == null) {
            entry = open(dir, config);
            ENGINES.put(dir, entry);
        } else if (!entry.config.describe().equals(config.describe())) {
            log.warn(
                    "River data directory {} is already open in this worker with other settings; sharing the open "
                            + "engine (settings of the first connector win): open={}, requested={}",
                    dir,
                    entry.config.describe(),
                    config.describe());
        }
        entry.refs++;
        return new Lease(dir, entry.engine);
    }

    /** Number of open engines (for tests). */
    static synchronized int openEngines() {
        return ENGINES.size();
    }

    /** Whether this worker has the engine of that data directory open (for tests and diagnostics). */
    public static synchronized boolean isOpen(Path dataDir) {
        return ENGINES.containsKey(dataDir.toAbsolutePath().normalize());
    }

    private static Entry open(Path dir, RiverConfig config) throws IOException {
        RiverEngine engine = RiverEngine.open(config);
        AutoCloseable server = null;
        int port = config.get(RiverConfigKeys.HTTP_PORT);
        if (port != -1) {
            try {
                server = startServer(engine, config);
            } catch (Exception e) {
                closeQuietly(engine);
                throw new IOException(
                        "River could not start its REST API on river.http.port=" + port
                                + " (set river.http.port=-1 to run without it): " + e.getMessage(),
                        e);
            }
        }
        log.info("River engine opened on {} (REST API {})", dir, server == null ? "off" : "on port " + port);
        return new Entry(engine, server, config);
    }

    private static AutoCloseable startServer(RiverEngine engine, RiverConfig config) throws Exception {
        Iterator<EmbeddedServerHook> hooks = ServiceLoader.load(
                        EmbeddedServerHook.class, EngineRegistry.class.getClassLoader())
                .iterator();
        if (!hooks.hasNext()) {
            log.warn(
                    "river.http.port={} but no REST server is on the plugin's class path; River runs without "
                            + "its REST API",
                    config.get(RiverConfigKeys.HTTP_PORT));
            return null;
        }
        return hooks.next().start(engine, config);
    }

    private static synchronized void release(Path dir, RiverEngine engine) throws IOException {
        Entry entry = ENGINES.get(dir);
        if (entry == null || entry.engine != engine) {
            return;
        }
        if (--entry.refs > 0) {
            return;
        }
        ENGINES.remove(dir);
        try {
            if (entry.server != null) {
                entry.server.close();
            }
        } catch (Exception e) {
            log.warn("Stopping River's REST API on {} failed", dir, e);
        } finally {
            entry.engine.close();
            log.info("River engine on {} closed", dir);
        }
    }

    private static void closeQuietly(RiverEngine engine) {
        try {
            engine.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Closing River engine after a failed start failed", e);
        }
    }

    private static final class Entry {
        final RiverEngine engine;
        final AutoCloseable server;
        final RiverConfig config;
        int refs;

        Entry(RiverEngine engine, AutoCloseable server, RiverConfig config) {
            this.engine = engine;
            this.server = server;
            this.config = config;
        }
    }

    /**
     * One holder's share of an engine. Closing it is idempotent; the engine must not be used
     * through this lease after close. Thread-safe.
     */
    public static final class Lease implements AutoCloseable {
        private final Path dir;
        private final RiverEngine engine;
        private boolean closed;

        private Lease(Path dir, RiverEngine engine) {
            this.dir = dir;
            this.engine = engine;
        }

        public RiverEngine engine() {
            return engine;
        }

        @Override
        public void close() throws IOException {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(dir, engine);
        }
    }
}
