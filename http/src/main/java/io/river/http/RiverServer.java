package io.river.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import io.river.engine.model.TableMode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * River's REST API (DESIGN.md, REST table) on Javalin/Jetty. Life cycle: {@link #start()} binds
 * the port (so {@code /health} answers and {@code /health/ready} says 503 while the engine
 * recovers), {@link #attach} hands over the recovered engine, {@link #stop()} stops accepting,
 * drains in-flight requests (up to {@link #DRAIN_TIMEOUT}) and detaches; the caller closes the
 * engine afterwards. Every request gets a request id and an access-log line, passes the optional
 * bearer-token check and, on any failure, a JSON error body. Thread-safe; the server does not own
 * the engine.
 */
public final class RiverServer implements AutoCloseable {
    /** Longest time {@link #stop()} waits for in-flight requests. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final String ROUTE = "river.route";

    /** One route of the API: method, Javalin path template and handler. */
    public record Route(HandlerType method, String path, Handler handler) {
    }

    private final RiverConfig config;
    private final EngineRef engines = new EngineRef();
    private final ServerMetrics metrics = new ServerMetrics();
    private final List<Route> routes;
    private final Javalin app;
    private final QueryHandler queryHandler;
    private boolean started;
    private boolean stopped;

    /** A server whose {@code /query} runs on River's SQL executor. */
    public RiverServer(RiverConfig config) {
        this(config, new SqlQueryHandler());
    }

    public RiverServer(RiverConfig config, QueryHandler queryHandler) {
        this.config = config;
        this.queryHandler = queryHandler;
        RequestLimits limits = new RequestLimits(config);
        ServiceRoutes service = new ServiceRoutes(engines, metrics);
        KeyValueRoutes kv = new KeyValueRoutes(engines, limits);
        TableRoutes tables = new TableRoutes(engines);
        QueryRoute query = new QueryRoute(engines, limits, queryHandler, metrics);
        this.routes = List.of(
                new Route(HandlerType.GET, "/", service::index),
                new Route(HandlerType.GET, "/console/{file}", service::consoleAsset),
                new Route(HandlerType.GET, "/health", service::health),
                new Route(HandlerType.GET, "/health/ready", service::ready),
                new Route(HandlerType.GET, "/get", kv::get),
                new Route(HandlerType.POST, "/put", kv::put),
                new Route(HandlerType.DELETE, "/delete", kv::delete),
                new Route(HandlerType.GET, "/stats", service::stats),
                new Route(HandlerType.GET, "/tables", tables::list),
                new Route(HandlerType.GET, "/tables/{name}", tables::describe),
                new Route(HandlerType.GET, "/query", query::get),
                new Route(HandlerType.POST, "/query", query::post),
                new Route(HandlerType.GET, "/metrics", service::metrics),
                new Route(HandlerType.GET, "/openapi.json", service::openApi));
        BearerAuth auth = new BearerAuth(config.get(RiverConfigKeys.HTTP_AUTH_TOKEN));
        AccessLog access = new AccessLog(metrics);
        int maxKeyBytes = config.get(RiverConfigKeys.HTTP_MAX_KEY_BYTES);
        this.app = Javalin.create(c -> configure(c, limits, auth, access, maxKeyBytes));
    }

    private void configure(JavalinConfig c, RequestLimits limits, BearerAuth auth, AccessLog access, int maxKeyBytes) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.prefer405over404 = true;
        c.http.maxRequestSize = limits.maxBodyBytes();
        c.jetty.host = config.get(RiverConfigKeys.HTTP_HOST);
        c.jetty.port = Math.max(0, config.get(RiverConfigKeys.HTTP_PORT));
        c.jetty.modifyServer(server -> {
            // Stop = stop accepting, then wait for in-flight requests to finish (up to the timeout).
            server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
            server.setHandler(new GracefulHandler());
            server.setErrorHandler(new JsonErrorHandler());
        });
        c.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
        c.jetty.modifyHttpConfiguration(h -> {
            h.setSendServerVersion(false);
            // A key travels percent-encoded in the URI: room for 3 bytes per key byte plus the rest.
            h.setRequestHeaderSize((int) Math.min(Integer.MAX_VALUE, Math.max(8192L, 3L * maxKeyBytes + 4096)));
        });
        c.requestLogger.http((ctx, ms) -> access.end(ctx, routeOf(ctx)));
        c.routes.before(ctx -> {
            access.begin(ctx);
            auth.check(ctx);
        });
        ErrorHandlers.register(c.routes);
        for (Route r : routes) {
            c.routes.addHttpHandler(r.method(), r.path(), tagged(r));
        }
    }

    private static Handler tagged(Route r) {
        return ctx -> {
            ctx.attribute(ROUTE, r.path());
            r.handler().handle(ctx);
        };
    }

    private static String routeOf(Context ctx) {
        String route = ctx.attribute(ROUTE);
        return route == null ? "unmatched" : route;
    }

    /** Starts a server on the config's host and port with this engine attached. */
    public static RiverServer start(RiverConfig config, RiverEngine engine) throws IOException {
        RiverServer server = new RiverServer(config).start();
        try {
            server.attach(engine);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** Binds the port and starts serving; data routes answer 503 until {@link #attach}. */
    public synchronized RiverServer start() {
        if (started) {
            throw new IllegalStateException("server already started");
        }
        started = true;
        app.start();
        return this;
    }

    /**
     * Hands over the recovered engine: data routes serve from now on. Creates the {@code default}
     * table (upsert) if the engine has none, so the key-value routes work on a fresh directory.
     */
    public void attach(RiverEngine engine) throws IOException {
        if (engine.table(RequestLimits.DEFAULT_TABLE).isEmpty()) {
            engine.createTable(RequestLimits.DEFAULT_TABLE, TableMode.UPSERT);
        }
        engines.attach(engine);
        metrics.bindEngine(engine.metrics(), engines::isReady);
    }

    /** True once an engine is attached and ready (what {@code /health/ready} reports). */
    public boolean isReady() {
        return engines.isReady();
    }

    /** The bound port (the real one when the config asked for 0). */
    public int port() {
        return app.port();
    }

    /** The host to reach the server at: the bound address, or localhost for a wildcard bind. */
    public String displayHost() {
        String host = config.get(RiverConfigKeys.HTTP_HOST);
        return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    }

    /** The routes, in registration order (the OpenAPI document must describe each). */
    public List<Route> routes() {
        return routes;
    }

    /**
     * Stops accepting connections, lets in-flight requests finish (up to {@link #DRAIN_TIMEOUT}),
     * then detaches the engine. Idempotent. Does not close the engine.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (started) {
            app.stop();
        }
        engines.detach();
        metrics.close();
        if (queryHandler instanceof AutoCloseable) {
            try {
                ((AutoCloseable) queryHandler).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the query executor failed", e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
