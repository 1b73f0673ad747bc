package io.river.http;

import io.river.engine.RiverEngine;

/**
 * The engine the routes serve, attached once it has recovered. The HTTP server starts before the
 * engine (so {@code /health} answers and {@code /health/ready} says 503 during recovery), and
 * every route that needs data asks here. Thread-safe (a volatile reference).
 */
public final class EngineRef {
    private volatile RiverEngine engine;

    void attach(RiverEngine engine) {
        this.engine = engine;
    }

    void detach() {
        this.engine = null;
    }

    /** True when an engine is attached and ready. */
    public boolean isReady() {
        RiverEngine e = engine;
        return e != null && e.isReady();
    }

    /** The attached engine, or a 503 {@link ApiException} while there is none. */
    public RiverEngine get() {
        RiverEngine e = engine;
        if (e == null || !e.isReady()) {
            throw new ApiException(503, "not_ready", "River is starting up or shutting down; retry shortly");
        }
        return e;
    }

    /** The attached engine or null, without checks (for metrics). */
    RiverEngine peek() {
        return engine;
    }
}
