package io.river.http;

import io.river.config.ConfigDocs;
import io.river.config.ConfigException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code river} command line: {@code serve}, {@code query}, {@code check}, {@code restart}, {@code --help},
 * {@code --help-config}, and the commands still to come here ({@code demo}, {@code bench}).
 * Exit codes: 0 done, 1 failure, 2 bad usage or configuration (one line naming the key or option
 * and what is allowed). {@code serve} keeps running until SIGTERM/Ctrl-C, when
 * its shutdown hook drains HTTP and closes the engine. Not thread-safe (runs once, from main).
 */
public final class RiverCli {
    /** {@link #run} result meaning: a server is up; keep the JVM alive. */
    public static final int RUNNING = -1;

    static final String USAGE = String.join(
            "\n",
            "Usage: river <command> [options]",
            "",
            "Commands:",
            "  serve --data-dir DIR [--port N] [--host H] [--config FILE] [--river.<key>=<value> ...]",
            "        Run the River server (REST API) on a data directory until SIGTERM/Ctrl-C.",
            "        Every configuration key can be given as --<key>=<value>, in a properties/YAML file",
            "        (--config FILE) or as an environment variable (RIVER_WAL_SYNC=always).",
            "  query \"SQL\" [--port N] [--host H] [--token T] [--https]",
            "        Run a SQL query on a running server and print the result table (--https: a server",
            "        with river.http.tls.keystore.path; the JVM's trust, e.g. JAVA_OPTS=-Djavax.net.ssl.trustStore=F).",
            "  backup --to DIR [--port N] [--host H] [--token T] [--https]",
            "        Hot backup of a running server into DIR (absent or empty): a consistent data directory",
            "        that river check accepts and river serve opens. Writes go on meanwhile.",
            "  demo [--port N] [--data-dir DIR]",
            "        Kafka (KRaft) + Connect + River + sample orders + console in one process (./river demo).",
            "  bench [--quick] [kv|sql|upsert|recovery|connect|ingest|http|space|clickbench [--rows N]]",
            "        River against its peers (RocksDB, DuckDB, a no-op Connect sink); see BENCHMARKS.md.",
            "  check --data-dir DIR [--quiet]",
            "        Offline scrub of a stopped River's data directory: every checksum of the manifest, the",
            "        checkpoint, every segment block and every WAL entry; exit 1 if a file is damaged or missing.",
            "  restart --data-dir DIR [serve options] [--log FILE]",
            "        Graceful restart: start a new server with these options next to the one running on DIR",
            "        (same port, SO_REUSEPORT), let the old one drain and hand over, return once the new one",
            "        serves. No connection is refused and no request fails when net.ipv4.tcp_migrate_req=1",
            "        (Linux 5.14+). The new server logs to FILE (default DIR/river.log). kill -USR1 <pid>",
            "        (pid in DIR/river.pid) restarts a server with its own options.",
            "",
            "Options:",
            "  --help          This text.",
            "  --help-config   Every configuration key with its type, default and allowed values.",
            "");

    private RiverCli() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Throwable t) {
            // Jetty's threads would keep a half-started server (e.g. a restart successor) alive.
            org.slf4j.LoggerFactory.getLogger(RiverCli.class).error("river: unexpected failure", t);
            code = 1;
        }
        if (code != RUNNING) {
            System.exit(code);
        }
    }

    /** Runs one command; returns its exit code, or {@link #RUNNING} when a server is now up. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "--help":
                case "-h":
                case "help":
                    out.print(USAGE);
                    return 0;
                case "--help-config":
                    out.println(
                            "Configuration keys (give as --<key>=<value>, in --config FILE, or as RIVER_<KEY> env):");
                    out.print(ConfigDocs.text());
                    return 0;
                case "serve":
                    return ServeCommand.run(rest, out, err);
                case "query":
                    return QueryCommand.run(rest, out, err);
                case "restart":
                    return RestartCommand.run(rest, out, err);
                case "backup":
                    return BackupCommand.run(rest, out, err);
                case "check":
                    return CheckCommand.run(rest, out, err);
                case "demo":
                case "bench":
                    err.println("river " + args[0] + ": not yet available in this build");
                    return 1;
                default:
                    err.println("Unknown command '" + args[0] + "'; commands are serve, query, check, backup, demo, "
                            + "bench, restart (see river --help)");
                    return 2;
            }
        } catch (UsageException | ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    /** Bad command-line usage; the message is the one line to print. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
