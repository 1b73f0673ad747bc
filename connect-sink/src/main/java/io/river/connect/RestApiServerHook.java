package io.river.connect;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.http.RiverServer;

/**
 * The {@link EmbeddedServerHook} the plugin ships: River's REST API and console
 * ({@link RiverServer}) served from the Connect worker on the engine the sink tasks write to, on
 * {@code river.http.port}. Registered in {@code META-INF/services}; stateless and thread-safe.
 */
public final class RestApiServerHook implements EmbeddedServerHook {
    @Override
    public AutoCloseable start(RiverEngine engine, RiverConfig config) throws Exception {
        return RiverServer.start(config, engine);
    }
}
