package io.river.http;

import io.river.config.ConfigLoader;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code river serve}: parses flags into configuration, binds the HTTP port, opens (recovers)
 * the engine, attaches it and prints one "River listening on ..." line. A JVM shutdown hook
 * (SIGTERM, Ctrl-C) stops HTTP gracefully (no new connections, in-flight requests drained) and
 * then closes the engine (WAL synced, LOCK released). Not thread-safe; used once from main.
 */
final class ServeCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    private ServeCommand() {
    }

    /** A running server and its engine; {@link #close()} is what the shutdown hook does. */
    static final class Running implements AutoCloseable {
        final RiverServer server;
        final RiverEngine engine;

        Running(RiverServer server, RiverEngine engine) {
            this.server = server;
            this.engine = engine;
        }

        @Override
        public synchronized void close() {
            server.stop();
            try {
                engine.close();
            } catch (IOException | RuntimeException e) {
                LOG.error("closing the engine failed", e);
            }
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        RiverConfig config = parse(args);
        Running running;
        try {
            running = start(config);
        } catch (StartupException e) {
            err.println(e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("River shutting down: draining HTTP, then closing the engine");
            running.close();
            LOG.info("River stopped");
        }, "river-shutdown"));
        out.println("River listening on http://" + running.server.displayHost() + ":" + running.server.port()
                + " (data dir " + running.engine.dataDir() + ")");
        out.flush();
        return RiverCli.RUNNING;
    }

    /** Binds HTTP first (so /health answers during recovery), then opens the engine. */
    static Running start(RiverConfig config) {
        RiverServer server = new RiverServer(config);
        try {
            server.start();
        } catch (RuntimeException e) {
            // JavalinBindException when the port is taken; anything else Jetty refuses on start.
            server.stop();
            throw new StartupException("River cannot listen on " + config.get(RiverConfigKeys.HTTP_HOST) + ":"
                    + config.get(RiverConfigKeys.HTTP_PORT) + ": " + e.getMessage());
        }
        RiverEngine engine;
        try {
            engine = RiverEngine.open(config);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw new StartupException("River cannot open data dir " + config.get(RiverConfigKeys.DATA_DIR) + ": "
                    + e.getMessage());
        }
        try {
            server.attach(engine);
        } catch (IOException | RuntimeException e) {
            Running failed = new Running(server, engine);
            failed.close();
            throw new StartupException("River cannot prepare data dir " + config.get(RiverConfigKeys.DATA_DIR) + ": "
                    + e.getMessage());
        }
        return new Running(server, engine);
    }

    /** Flags, a --config file and RIVER_* environment variables, validated into one config. */
    static RiverConfig parse(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
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
                default:
                    if (!name.startsWith("river.")) {
                        throw new RiverCli.UsageException("Unknown option '--" + name + "' for serve; options are "
                                + "--data-dir, --port, --host, --config and --river.<key>=<value> (see river --help-config)");
                    }
                    overrides.put(name, value);
            }
        }
        RiverConfig config = ConfigLoader.load(file, System.getenv(), overrides);
        if (config.get(RiverConfigKeys.HTTP_PORT) < 0) {
            throw new RiverCli.UsageException("Invalid configuration 'river.http.port': serve needs HTTP; use a port "
                    + "in 0..65535 (0 picks a free one), not -1");
        }
        return config;
    }

    /** Start-up failed for a reason that is not bad usage (port taken, data dir locked). */
    static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message, null, false, false);
        }
    }
}
