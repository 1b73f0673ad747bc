package io.river.connect;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;

/**
 * Serves River's REST API from inside the Connect worker, on the engine the sink tasks write to.
 * The connector knows no HTTP: the http module provides an implementation and registers it in
 * {@code META-INF/services/io.river.connect.EmbeddedServerHook}; {@link EngineRegistry} loads the
 * first one found through {@link java.util.ServiceLoader} from the plugin's class loader, starts
 * it when it opens an engine whose {@code river.http.port} is not -1, and closes the returned
 * handle before it closes the engine. Implementations must be thread-safe; {@link #start} is
 * called at most once per open engine.
 */
public interface EmbeddedServerHook {
    /**
     * Starts serving {@code engine} on {@code river.http.port} of {@code config} and returns the
     * handle that stops it (waiting for in-flight requests). Throws if the server cannot start.
     */
    AutoCloseable start(RiverEngine engine, RiverConfig config) throws Exception;
}
