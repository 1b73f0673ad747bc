package io.river.examples;

import java.nio.file.Path;

/**
 * The command line of {@code river demo}: {@code --port N} (River's API and console, 8080),
 * {@code --data-dir DIR} (Kafka log, Connect offsets and River data; reused by the next run),
 * {@code --rate N} (sample orders per second, 2000), {@code --kafka-port N} (9092, or any free
 * port when taken). Immutable.
 */
record DemoOptions(int port, Path dataDir, int rate, int kafkaPort) {
    static final String USAGE = String.join(
            "\n",
            "Usage: river demo [--port N] [--data-dir DIR] [--rate N] [--kafka-port N]",
            "",
            "Starts, in one process: a single-node Kafka broker (KRaft), a Kafka Connect worker running the",
            "River sink from its plugin archive, a generator of sample orders, and River's REST API and",
            "console on http://localhost:PORT. Ctrl-C stops everything; a second run continues on the same data.",
            "",
            "  --port N          River's REST API and console (default 8080)",
            "  --data-dir DIR    where Kafka, Connect and River keep their data (default: demo-data/ in the checkout)",
            "  --rate N          sample orders per second (default 2000; 0 = none)",
            "  --kafka-port N    the broker's port (default 9092, or a free one if 9092 is taken)",
            "");

    /** Thrown for bad usage; the message is the one line to print. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses the arguments; {@code null} means --help was asked for. */
    static DemoOptions parse(String[] args, Path defaultDataDir) {
        int port = 8080;
        Path dataDir = defaultDataDir;
        int rate = 2000;
        int kafkaPort = 9092;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                return null;
            }
            if (!name.equals("--port")
                    && !name.equals("--data-dir")
                    && !name.equals("--rate")
                    && !name.equals("--kafka-port")) {
                throw new UsageException("river demo: unknown option '" + arg + "' (see river demo --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("river demo: " + name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--port":
                    port = portValue(name, value);
                    break;
                case "--kafka-port":
                    kafkaPort = portValue(name, value);
                    break;
                case "--rate":
                    rate = intValue(name, value, 0, 1_000_000);
                    break;
                default:
                    dataDir = Path.of(value);
                    break;
            }
        }
        return new DemoOptions(port, dataDir.toAbsolutePath().normalize(), rate, kafkaPort);
    }

    private static int portValue(String name, String value) {
        return intValue(name, value, 1, 65535);
    }

    private static int intValue(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                throw new UsageException(
                        "river demo: " + name + " must be between " + min + " and " + max + ", got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("river demo: " + name + " must be a number, got '" + value + "'");
        }
    }
}
