package io.river.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The routes about the service itself: {@code /health}, {@code /health/ready}, {@code /stats},
 * {@code /metrics}, {@code /openapi.json} and the console page at {@code /}. Static documents
 * are read from the classpath once. Thread-safe.
 */
final class ServiceRoutes {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final EngineRef engines;
    private final ServerMetrics metrics;
    private final byte[] openApi = resource("openapi.json");
    private final byte[] index = resource("public/index.html");

    ServiceRoutes(EngineRef engines, ServerMetrics metrics) {
        this.engines = engines;
        this.metrics = metrics;
    }

    void health(Context ctx) {
        Json.respond(ctx, 200, Map.of("status", "UP"));
    }

    void ready(Context ctx) {
        if (!engines.isReady()) {
            throw new ApiException(503, "not_ready", "the engine is recovering or shutting down");
        }
        Json.respond(ctx, 200, Map.of("status", "READY"));
    }

    void stats(Context ctx) {
        Json.respond(ctx, 200, engines.get().stats());
    }

    void metrics(Context ctx) {
        ctx.status(200).contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }

    void openApi(Context ctx) {
        ctx.status(200).contentType(Json.CONTENT_TYPE).result(openApi);
    }

    void index(Context ctx) {
        ctx.status(200).contentType("text/html; charset=utf-8").result(index);
    }

    static byte[] resource(String name) {
        try (InputStream in = ServiceRoutes.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the river-http jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
