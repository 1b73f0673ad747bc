package io.river.http;

import io.river.config.ConfigLoader;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.DataDirLockedException;
import io.river.engine.RiverEngine;
import io.river.http.flight.FlightSqlService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code river serve}: parses flags into configuration, binds the HTTP port, opens (recovers)
 * the engine, attaches it, writes {@code river.pid} in the data directory and prints one
 * "River listening on http(s)://host:port ..." line (https when river.http.tls.keystore.path is
 * set; a keystore that cannot be opened stops start-up with one line naming the key, exit 2). A
 * JVM shutdown hook (SIGTERM, Ctrl-C) stops HTTP gracefully (listener closed, open connections
 * answered with {@code Connection: close} and drained, in-flight requests finished), removes the
 * pid file and then closes the engine (WAL synced, LOCK released).
 *
 * <p>Flight SQL. With {@code river.flight.port} at 0 or more, an Arrow Flight SQL endpoint
 * ({@link FlightSqlService}: same host, token and TLS as the REST API) starts once the engine is
 * attached, and a second line "Flight SQL on grpc://host:port" follows the listening line; it stops
 * first on shutdown, before HTTP drains and the engine closes. Its port is not shared during a
 * graceful restart: the successor binds it once the old process has stopped (Flight clients
 * reconnect). A port that cannot be bound stops a fresh start (exit 1); a successor then serves
 * without Flight SQL and logs why.
 *
 * <p>Graceful restart. With {@code --takeover PID} (what {@code river restart} and SIGUSR1 start)
 * the process binds the same port next to the old one (SO_REUSEPORT), holds the requests it
 * accepts, sends SIGTERM to PID, opens the engine as soon as PID has released the LOCK, attaches
 * it (the held requests proceed) and only then writes the pid file. SIGUSR1 to a running server
 * starts such a successor with the server's own arguments. Not thread-safe; used once from main.
 */
final class ServeCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    /** How long a successor waits for the old process to release the data directory. */
    static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The signal that makes a running server restart itself: USR1. Not USR2 (nginx's binary-upgrade
     * signal): on Linux HotSpot suspends its own threads with SIGUSR2 (JFR's sampler among others), so
     * a USR2 handler would restart a profiled server by itself. Not HUP, which a closing terminal
     * sends to a foreground {@code river serve} that should then exit.
     */
    static final String RESTART_SIGNAL = "USR1";

    private ServeCommand() {}

    /**
     * A running server, its engine and its Flight SQL endpoint (null when off); {@link #close()} is
     * what the shutdown hook does.
     */
    static final class Running implements AutoCloseable {
        final RiverServer server;
        final RiverEngine engine;
        final FlightSqlService flight;

        Running(RiverServer server, RiverEngine engine, FlightSqlService flight) {
            this.server = server;
            this.engine = engine;
            this.flight = flight;
        }

        /** "grpc://host:port" (grpc+tls with TLS) of the Flight SQL endpoint; null when it is off. */
        String flightUrl() {
            return flight == null ? null : flight.scheme() + "://" + server.displayHost() + ":" + flight.port();
        }

        @Override
        public synchronized void close() {
            if (flight != null) {
                flight.close();
            }
            server.stop(RiverServer.IDLE_DRAIN);
            try {
                // Before the LOCK goes: a successor writes its own pid file only after taking the LOCK.
                PidFile.removeIfOwned(engine.dataDir(), ProcessHandle.current().pid());
            } catch (IOException | RuntimeException e) {
                LOG.warn("removing the pid file failed", e);
            }
            try {
                engine.close();
            } catch (IOException | RuntimeException e) {
                LOG.error("closing the engine failed", e);
            }
        }
    }

    /** Parsed {@code serve} flags: the configuration, and the pid to take over (0: none). */
    record Options(RiverConfig config, long takeoverPid) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = options(args);
        RiverConfig config = options.config();
        Running running;
        try {
            running = options.takeoverPid() > 0 ? takeOver(config, options.takeoverPid(), err) : start(config);
        } catch (StartupException e) {
            err.println(e.getMessage());
            return 1;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("River shutting down: draining HTTP, then closing the engine");
                            running.close();
                            LOG.info("River stopped");
                        },
                        "river-shutdown"));
        installRestartSignal(args, running.server.port(), err);
        // Last: the pid file announces a ready server whose shutdown hook is in place.
        try {
            new PidFile(ProcessHandle.current().pid(), config.get(RiverConfigKeys.HTTP_HOST), running.server.port())
                    .write(running.engine.dataDir());
        } catch (IOException e) {
            err.println("River cannot write its pid file: " + e.getMessage());
            return 1; // main exits; the hook closes the engine
        }
        out.println("River listening on " + running.server.baseUrl() + " (data dir " + running.engine.dataDir() + ")");
        if (running.flight != null) {
            out.println("Flight SQL on " + running.flightUrl());
        }
        out.flush();
        return RiverCli.RUNNING;
    }

    /** Binds HTTP first (so /health answers during recovery), then opens the engine. */
    static Running start(RiverConfig config) {
        // The socket is SO_REUSEPORT (for restarts), so a bind onto another River's port would succeed.
        if (config.get(RiverConfigKeys.HTTP_PORT) > 0 && answers(config)) {
            throw new StartupException("River cannot listen on " + config.get(RiverConfigKeys.HTTP_HOST) + ":"
                    + config.get(RiverConfigKeys.HTTP_PORT) + ": another server is listening there (use river restart "
                    + "to replace a running River)");
        }
        RiverServer server = bind(new RiverServer(config), config);
        RiverEngine engine;
        try {
            engine = RiverEngine.open(config);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw new StartupException(
                    "River cannot open data dir " + config.get(RiverConfigKeys.DATA_DIR) + ": " + e.getMessage());
        }
        return attach(server, engine, config, false);
    }

    /**
     * The successor's start: bind next to the old process, hold requests, ask the old process to
     * drain and exit (SIGTERM), open the engine once the LOCK is free, attach.
     */
    static Running takeOver(RiverConfig config, long oldPid, PrintStream err) {
        String warning = Successor.migrateWarning();
        if (warning != null) {
            LOG.warn("graceful restart: {}", warning);
            err.println("river: warning: " + warning);
        }
        RiverServer server = bind(new RiverServer(config).holdUntilAttached(TAKEOVER_TIMEOUT), config);
        if (PidFile.isRiver(oldPid)) {
            LOG.info("bound port {} next to pid {}; asking it to drain and hand over", server.port(), oldPid);
            // SIGTERM: its shutdown hook drains, syncs and releases the LOCK.
            ProcessHandle.of(oldPid).ifPresent(ProcessHandle::destroy);
        } else {
            LOG.warn("pid {} is not a running River server; taking the data dir once it is free", oldPid);
        }
        long deadline = System.nanoTime() + TAKEOVER_TIMEOUT.toNanos();
        RiverEngine engine;
        while (true) {
            try {
                engine = RiverEngine.open(config);
                break;
            } catch (DataDirLockedException e) {
                if (System.nanoTime() > deadline) {
                    server.stop();
                    throw new StartupException("River cannot take over data dir " + config.get(RiverConfigKeys.DATA_DIR)
                            + ": pid " + oldPid + " did not release it within " + TAKEOVER_TIMEOUT.toSeconds() + " s");
                }
                sleep(20);
            } catch (IOException | RuntimeException e) {
                server.stop();
                throw new StartupException(
                        "River cannot open data dir " + config.get(RiverConfigKeys.DATA_DIR) + ": " + e.getMessage());
            }
        }
        LOG.info("took over data dir {} from pid {}", engine.dataDir(), oldPid);
        return attach(server, engine, config, true);
    }

    private static RiverServer bind(RiverServer server, RiverConfig config) {
        try {
            return server.start();
        } catch (RuntimeException e) {
            // JavalinBindException when the port is taken; anything else Jetty refuses on start.
            server.stop();
            throw new StartupException("River cannot listen on " + config.get(RiverConfigKeys.HTTP_HOST) + ":"
                    + config.get(RiverConfigKeys.HTTP_PORT) + ": " + e.getMessage());
        }
    }

    /**
     * Attaches the engine, then starts Flight SQL when configured. A Flight port that cannot be bound
     * stops a fresh start; a successor ({@code tolerateFlight}) then serves without Flight SQL.
     */
    private static Running attach(RiverServer server, RiverEngine engine, RiverConfig config, boolean tolerateFlight) {
        try {
            server.attach(engine);
        } catch (IOException | RuntimeException e) {
            Running failed = new Running(server, engine, null);
            failed.close();
            throw new StartupException(
                    "River cannot prepare data dir " + config.get(RiverConfigKeys.DATA_DIR) + ": " + e.getMessage());
        }
        int flightPort = config.get(RiverConfigKeys.FLIGHT_PORT);
        if (flightPort < 0) {
            return new Running(server, engine, null);
        }
        String host = config.get(RiverConfigKeys.HTTP_HOST);
        try {
            TlsConnectors tls = TlsConnectors.of(config);
            String token = config.get(RiverConfigKeys.HTTP_AUTH_TOKEN);
            FlightSqlService flight =
                    FlightSqlService.start(host, flightPort, token, tls.keyStore(), tls.password(), engine);
            Running running = new Running(server, engine, flight);
            LOG.info("Flight SQL listening on {}", running.flightUrl());
            return running;
        } catch (IOException | RuntimeException e) {
            String why = "River cannot serve Flight SQL on " + host + ":" + flightPort + " (river.flight.port): "
                    + e.getMessage();
            if (tolerateFlight) {
                LOG.error("{}; serving without Flight SQL", why, e);
                return new Running(server, engine, null);
            }
            new Running(server, engine, null).close();
            throw new StartupException(why);
        }
    }

    /** True when something accepts connections on the configured port (wildcard host: loopback). */
    private static boolean answers(RiverConfig config) {
        String host = config.get(RiverConfigKeys.HTTP_HOST);
        String probe = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(probe, config.get(RiverConfigKeys.HTTP_PORT)), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * SIGUSR1: start a successor with this server's own arguments (the bound port pinned, in case
     * it was 0), logging to {@code river.log} in the data directory. Once a successor is on its way
     * further signals are ignored. Where the JVM does not allow the handler (e.g. -Xrs), restart
     * through {@code river restart} still works.
     */
    private static void installRestartSignal(String[] args, int port, PrintStream err) {
        AtomicBoolean spawned = new AtomicBoolean();
        List<String> own = new ArrayList<>(Arrays.asList(args));
        int takeover = own.indexOf("--takeover");
        if (takeover >= 0) {
            own.subList(takeover, Math.min(own.size(), takeover + 2)).clear();
        }
        own.add("--port");
        own.add(Integer.toString(port));
        Path log = Paths.get(parse(args).get(RiverConfigKeys.DATA_DIR))
                .toAbsolutePath()
                .resolve(RestartCommand.LOG_NAME);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(RESTART_SIGNAL), sig -> {
                if (!spawned.compareAndSet(false, true)) {
                    return;
                }
                LOG.info("SIG{}: starting a successor (log {})", RESTART_SIGNAL, log);
                try {
                    Successor.spawn(own, ProcessHandle.current().pid(), log);
                } catch (IOException | RuntimeException e) {
                    spawned.set(false);
                    LOG.error("starting a successor failed; still serving", e);
                }
            });
        } catch (IllegalArgumentException e) {
            err.println("river: warning: SIG" + RESTART_SIGNAL + " restarts are unavailable (" + e.getMessage()
                    + "); use river restart");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the data dir");
        }
    }

    /** Flags, a --config file and RIVER_* environment variables, validated into one config. */
    static RiverConfig parse(String[] args) {
        return options(args).config();
    }

    /** {@link #parse}, plus the internal {@code --takeover PID} flag of a restart successor. */
    static Options options(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        long takeover = 0;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new RiverCli.UsageException("Unexpected argument '" + arg + "' for serve; see river --help");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            }
            if (value == null) {
                throw new RiverCli.UsageException("Option '--" + name + "' needs a value (--" + name + "=<value>)");
            }
            switch (name) {
                case "data-dir":
                    overrides.put(RiverConfigKeys.DATA_DIR.name(), value);
                    break;
                case "port":
                    overrides.put(RiverConfigKeys.HTTP_PORT.name(), value);
                    break;
                case "host":
                    overrides.put(RiverConfigKeys.HTTP_HOST.name(), value);
                    break;
                case "config":
                    file = Paths.get(value);
                    break;
                case "takeover":
                    try {
                        takeover = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new RiverCli.UsageException(
                                "Option '--takeover' needs a process id, not '" + value + "'");
                    }
                    break;
                default:
                    if (!name.startsWith("river.")) {
                        throw new RiverCli.UsageException("Unknown option '--" + name + "' for serve; options are "
                                + "--data-dir, --port, --host, --config and --river.<key>=<value> (see river "
                                + "--help-config)");
                    }
                    overrides.put(name, value);
            }
        }
        RiverConfig config = ConfigLoader.load(file, System.getenv(), overrides);
        if (config.get(RiverConfigKeys.HTTP_PORT) < 0) {
            throw new RiverCli.UsageException("Invalid configuration 'river.http.port': serve needs HTTP; use a port "
                    + "in 0..65535 (0 picks a free one), not -1");
        }
        return new Options(config, takeover);
    }

    /** Start-up failed for a reason that is not bad usage (port taken, data dir locked). */
    static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message, null, false, false);
        }
    }
}
