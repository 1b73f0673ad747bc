package io.river.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.river.config.ConfigException;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import io.river.engine.model.TableMode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * River's REST API (README, REST API) on Javalin/Jetty. Life cycle: {@link #start()} binds
 * the port (so {@code /health} answers and {@code /health/ready} says 503 while the engine
 * recovers), {@link #attach} hands over the recovered engine, {@link #stop()} stops accepting,
 * drains open connections and in-flight requests (up to {@link #DRAIN_TIMEOUT}) and detaches; the
 * caller closes the engine afterwards.
 *
 * <p>Graceful restart: the listening socket is bound with {@code SO_REUSEPORT}, so a successor
 * process can bind the same port while this one still serves. {@link #stop(Duration)} (what
 * {@code river serve} does) then answers every request with {@code Connection: close}, waits for
 * the answers already under way ({@link DrainGate}), closes the listener (the kernel sends new
 * connections to the successor only), answers any further request on an open connection normally,
 * closes connections idle for {@link #IDLE_DRAIN}, and only when no connection is left stops Jetty. A
 * successor started with {@link #holdUntilAttached} keeps the requests it accepts waiting until its
 * engine is attached instead of answering 503. Every request gets a request id and an access-log line, passes the
 * optional
 * bearer-token check and, on any failure, a JSON error body. With {@code river.http.tls.keystore.path}
 * set the port speaks HTTPS only ({@code TlsConnectors}); {@link #scheme()} says which. Thread-safe; the
 * server does not own the engine.
 */
public final class RiverServer implements AutoCloseable {
    /** Longest time {@link #stop()} waits for in-flight requests. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /**
     * While {@code river serve} stops (SIGTERM, a restart handover), a keep-alive connection without
     * a request for this long is closed; one that sends a request sooner gets its answer with
     * {@code Connection: close}, so a client never writes into a connection the server closed.
     */
    public static final Duration IDLE_DRAIN = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(RiverServer.class);
    private static final String ROUTE = "river.route";

    /** One route of the API: method, Javalin path template and handler. */
    public record Route(HandlerType method, String path, Handler handler) {}

    private final RiverConfig config;
    private final EngineRef engines = new EngineRef();
    private final ServerMetrics metrics = new ServerMetrics();
    private final List<Route> routes;
    private final Javalin app;
    private final QueryHandler queryHandler;
    private final DrainGate drainGate = new DrainGate();
    private final FastGetHandler fastGet;
    private final TlsConnectors tls;
    private volatile ServerConnector connector;
    private boolean started;
    private boolean stopped;

    /**
     * A server whose {@code /query} runs on River's SQL executor.
     *
     * @throws ConfigException when {@code river.http.tls.keystore.path} is set but the
     *     keystore cannot be opened (see {@link #RiverServer(RiverConfig, QueryHandler)})
     */
    public RiverServer(RiverConfig config) {
        this(config, new SqlQueryHandler());
    }

    /**
     * A server with this {@code /query} handler. When {@code river.http.tls.keystore.path} is set the
     * port speaks HTTPS only; the keystore is read and checked here, before anything binds.
     *
     * @throws ConfigException naming {@code river.http.tls.keystore.path} (missing,
     *     unreadable, not a keystore, no private key) or {@code river.http.tls.keystore.password} (does
     *     not open the keystore or its key)
     */
    public RiverServer(RiverConfig config, QueryHandler queryHandler) {
        this(config, queryHandler, true);
    }

    /**
     * With {@code fastGet} false, {@code GET /get} is answered by its Javalin route like every other
     * route instead of by {@link FastGetHandler} (the reference the tests compare the handler with).
     */
    RiverServer(RiverConfig config, QueryHandler queryHandler, boolean fastGet) {
        this.config = config;
        this.queryHandler = queryHandler;
        this.tls = TlsConnectors.of(config);
        RequestLimits limits = new RequestLimits(config);
        ServiceRoutes service = new ServiceRoutes(engines, metrics);
        KeyValueRoutes kv = new KeyValueRoutes(engines, limits);
        TableRoutes tables = new TableRoutes(engines);
        QueryRoute query = new QueryRoute(engines, limits, queryHandler, metrics);
        ServerPositions positions = new ServerPositions();
        IngestRoute ingest = new IngestRoute(engines, positions, config);
        PositionRoutes positionRoutes = new PositionRoutes(engines, positions, limits);
        BackupRoute backup = new BackupRoute(engines, config, limits);
        // The hot routes first: Javalin tries a method's routes in registration order, a regex match each.
        this.routes = List.of(
                new Route(HandlerType.GET, "/get", kv::get),
                new Route(HandlerType.POST, "/put", kv::put),
                new Route(HandlerType.GET, "/query", query::get),
                new Route(HandlerType.POST, "/query", query::post),
                new Route(HandlerType.POST, "/ingest", ingest::post),
                new Route(HandlerType.GET, "/", service::index),
                new Route(HandlerType.GET, "/console/{file}", service::consoleAsset),
                new Route(HandlerType.GET, "/health", service::health),
                new Route(HandlerType.GET, "/health/ready", service::ready),
                new Route(HandlerType.DELETE, "/delete", kv::delete),
                new Route(HandlerType.GET, "/stats", service::stats),
                new Route(HandlerType.GET, "/tables", tables::list),
                new Route(HandlerType.GET, "/tables/{name}", tables::describe),
                new Route(HandlerType.GET, "/positions", positionRoutes::list),
                new Route(HandlerType.POST, "/positions/claim", positionRoutes::claim),
                new Route(HandlerType.POST, "/positions/sync", positionRoutes::sync),
                new Route(HandlerType.POST, "/backup", backup::post),
                new Route(HandlerType.GET, "/metrics", service::metrics),
                new Route(HandlerType.GET, "/openapi.json", service::openApi));
        BearerAuth auth = new BearerAuth(config.get(RiverConfigKeys.HTTP_AUTH_TOKEN));
        AccessLog access = new AccessLog(metrics);
        int maxKeyBytes = config.get(RiverConfigKeys.HTTP_MAX_KEY_BYTES);
        this.fastGet = fastGet ? new FastGetHandler(kv, limits, auth, access) : null;
        this.app = Javalin.create(c -> configure(c, limits, auth, access, maxKeyBytes));
    }

    private void configure(JavalinConfig c, RequestLimits limits, BearerAuth auth, AccessLog access, int maxKeyBytes) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.prefer405over404 = true;
        c.http.maxRequestSize = limits.maxBodyBytes();
        c.jetty.addConnector((server, http) -> {
            ServerConnector sc = tls.connector(server, http);
            sc.setHost(config.get(RiverConfigKeys.HTTP_HOST));
            sc.setPort(Math.max(0, config.get(RiverConfigKeys.HTTP_PORT)));
            sc.setReusePort(true); // a restart successor binds the same port while this process serves
            connector = sc;
            return sc;
        });
        c.jetty.modifyServer(server -> {
            // Stop = stop accepting, then wait for in-flight requests to finish (up to the timeout).
            server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
            // Javalin puts its handler inside the innermost wrapper: Graceful -> DrainGate -> [/get] -> Javalin.
            GracefulHandler graceful = new GracefulHandler();
            graceful.setHandler(drainGate);
            if (fastGet != null) {
                drainGate.setHandler(fastGet);
            }
            server.setHandler(graceful);
            server.setErrorHandler(new JsonErrorHandler());
        });
        c.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
        c.jetty.modifyHttpConfiguration(h -> {
            h.setSendServerVersion(false);
            // A key travels percent-encoded in the URI (room for 3 bytes per key byte plus the rest);
            // River-Positions names every partition of an ingest request (~30 bytes each).
            h.setRequestHeaderSize((int) Math.min(Integer.MAX_VALUE, Math.max(64L << 10, 3L * maxKeyBytes + 4096)));
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
     * Makes data routes wait up to {@code hold} for {@link #attach} instead of answering 503 at once
     * (a restart successor: its engine opens once the old process has released the data directory).
     */
    public RiverServer holdUntilAttached(Duration hold) {
        engines.holdUntilAttached(hold);
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

    /** Requests being handled right now (tests wait on it instead of sleeping). */
    long requestsInFlight() {
        return drainGate.inFlight();
    }

    /** {@code GET /get} requests answered below Javalin ({@link FastGetHandler}); 0 when it is off. */
    long fastGetsAnswered() {
        return fastGet == null ? 0 : fastGet.answered();
    }

    /** Requests held waiting for an engine ({@link #holdUntilAttached}) right now. */
    int requestsHeld() {
        return engines.waiting();
    }

    /** True once an engine is attached and ready (what {@code /health/ready} reports). */
    public boolean isReady() {
        return engines.isReady();
    }

    /** The bound port (the real one when the config asked for 0). */
    public int port() {
        return app.port();
    }

    /** {@code "https"} when the port speaks TLS (river.http.tls.keystore.path set), else {@code "http"}. */
    public String scheme() {
        return tls.secure() ? "https" : "http";
    }

    /**
     * The base URL to reach the server at, without a trailing slash: {@link #scheme()}, {@link #displayHost()}
     * and the bound {@link #port()}, e.g. {@code https://localhost:8443}. Valid once started.
     */
    public String baseUrl() {
        String host = displayHost();
        return scheme() + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
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
     * closes the remaining connections, then detaches the engine. Quick, for embedded servers and
     * tests; a request arriving meanwhile on a kept-alive connection gets 503 — {@code river serve}
     * uses {@link #stop(Duration)}. Idempotent. Does not close the engine.
     */
    public void stop() {
        stop(Duration.ZERO);
    }

    /**
     * With a positive {@code idleDrain}: closes the listener, then drains open connections (each
     * gets its next answer, with {@code Connection: close}; ones idle for {@code idleDrain} are
     * closed) and in-flight requests, all within {@link #DRAIN_TIMEOUT}, stops Jetty, then detaches
     * the engine. With zero, {@link #stop()}. Idempotent. Does not close the engine.
     */
    public synchronized void stop(Duration idleDrain) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (started) {
            if (idleDrain.compareTo(Duration.ZERO) > 0) {
                drainConnections(idleDrain);
            }
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

    /**
     * Every answer from now on closes its connection; once the keep-alive answers under way are
     * done, Jetty's connector shutdown closes the listening socket and completes when no
     * connection is open. (Stopping the server directly would answer 503 to a request arriving on
     * a kept-alive connection.)
     */
    private void drainConnections(Duration idleDrain) {
        ServerConnector sc = connector;
        if (sc == null || !sc.isStarted()) {
            return;
        }
        sc.setShutdownIdleTimeout(idleDrain.toMillis());
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        try {
            drainGate.beginDrain();
            if (!drainGate.awaitEarlier(DRAIN_TIMEOUT)) {
                LOG.warn("requests still running after {} s of draining", DRAIN_TIMEOUT.toSeconds());
            }
            long left = Math.max(1, deadline - System.nanoTime());
            sc.shutdown().get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("connections still open after {} s of draining; closing them", DRAIN_TIMEOUT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("draining connections failed; stopping anyway", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
