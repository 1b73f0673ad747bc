package io.river.connect;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link EmbeddedServerHook} for tests, registered through META-INF/services in test
 * resources: counts starts and stops instead of serving HTTP. Thread-safe.
 */
public final class RecordingServerHook implements EmbeddedServerHook {
    static final AtomicInteger STARTS = new AtomicInteger();
    static final AtomicInteger STOPS = new AtomicInteger();
    static volatile RiverEngine lastEngine;

    @Override
    public AutoCloseable start(RiverEngine engine, RiverConfig config) {
        if (config.get(io.river.config.RiverConfigKeys.HTTP_PORT) == 1) {
            throw new IllegalStateException("port 1 is taken");
        }
        STARTS.incrementAndGet();
        lastEngine = engine;
        return STOPS::incrementAndGet;
    }
}
