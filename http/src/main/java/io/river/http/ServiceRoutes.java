package io.river.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes about the service itself: {@code /health}, {@code /health/ready}, {@code /stats},
 * {@code /metrics}, {@code /openapi.json}, the console page at {@code /} and its assets at
 * {@code /console/{file}} (class-path folder {@code console/}; a name must match
 * {@link #ASSET_NAME}, so no path ever reaches the class loader unchecked). Static documents are
 * read from the class path once and cached. Thread-safe.
 */
final class ServiceRoutes {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final EngineRef engines;
    private final ServerMetrics metrics;
    private final byte[] openApi = resource("openapi.json");
    static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9-]+\\.(js|css|html|svg)");
    private static final Map<String, String> ASSET_TYPES = Map.of(
            "js",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "html",
            "text/html; charset=utf-8",
            "svg",
            "image/svg+xml");

    private final byte[] index = resource("console/index.html");
    private final Map<String, Optional<byte[]>> assets = new ConcurrentHashMap<>();

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

    void consoleAsset(Context ctx) {
        String file = ctx.pathParam("file");
        Matcher m = ASSET_NAME.matcher(file);
        Optional<byte[]> body = m.matches()
                ? assets.computeIfAbsent(file, f -> Optional.ofNullable(optionalResource("console/" + f)))
                : Optional.empty();
        if (body.isEmpty()) {
            throw ApiException.notFound("not_found", "no console asset '" + file + "'");
        }
        ctx.status(200)
                .contentType(ASSET_TYPES.get(m.group(1)))
                .header("Cache-Control", "no-cache")
                .result(body.get());
    }

    private static byte[] optionalResource(String name) {
        try (InputStream in = ServiceRoutes.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
