package io.river.http;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code river restart <serve options> [--log FILE]}: replaces the server running on the data
 * directory without refusing a connection or failing a request. Finds the running server through
 * {@code river.pid} in the data directory, starts {@code river serve <options> --takeover <pid>}
 * detached (output appended to {@code --log}, default {@code river.log} in the data directory),
 * and returns once the successor has written its own pid file (engine attached, serving) — or
 * fails with the log's tail if it exits or does not get there within {@link #READY_TIMEOUT}.
 * When the options give port 0, the successor binds the running server's port. The handover
 * itself is {@link ServeCommand#takeOver}'s. Not thread-safe; used once from main.
 */
final class RestartCommand {
    static final String LOG_NAME = "river.log";
    static final Duration READY_TIMEOUT = ServeCommand.TAKEOVER_TIMEOUT.plusSeconds(60);

    private RestartCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> serveArgs = new ArrayList<>(Arrays.asList(args));
        Path log = null;
        int at = serveArgs.indexOf("--log");
        if (at >= 0) {
            if (at + 1 >= serveArgs.size()) {
                throw new RiverCli.UsageException("Option '--log' needs a file (--log FILE)");
            }
            log = Paths.get(serveArgs.get(at + 1));
            serveArgs.subList(at, at + 2).clear();
        }
        if (serveArgs.contains("--takeover")) {
            throw new RiverCli.UsageException("Option '--takeover' is internal to restart");
        }
        RiverConfig config = ServeCommand.parse(serveArgs.toArray(new String[0]));
        TlsConnectors.of(config); // a keystore the successor could not open fails here, naming the key
        Path dataDir = Paths.get(config.get(RiverConfigKeys.DATA_DIR)).toAbsolutePath();
        if (log == null) {
            log = dataDir.resolve(LOG_NAME);
        }
        try {
            Optional<PidFile> running = PidFile.read(dataDir);
            if (running.isEmpty() || !running.get().alive()) {
                err.println("river restart: no running River server on " + dataDir + " (no live River pid in "
                        + PidFile.path(dataDir) + "; or a restart is still under way); start one with river serve");
                return 1;
            }
            PidFile old = running.get();
            if (config.get(RiverConfigKeys.HTTP_PORT) == 0) {
                serveArgs.add("--port");
                serveArgs.add(Integer.toString(old.port()));
            }
            String warning = Successor.migrateWarning();
            if (warning != null) {
                err.println("river restart: warning: " + warning);
            }
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Process successor = Successor.spawn(serveArgs, old.pid(), log);
            return awaitReady(successor, old, dataDir, log, logStart, TlsConnectors.scheme(config), out, err);
        } catch (IOException e) {
            err.println("river restart: " + e.getMessage());
            return 1;
        }
    }

    private static int awaitReady(
            Process successor,
            PidFile old,
            Path dataDir,
            Path log,
            long logStart,
            String scheme,
            PrintStream out,
            PrintStream err)
            throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            // The new pid is the spawned process's own, unless setsid had to fork; any live River pid
            // other than the old one can only be the successor.
            Optional<PidFile> now = PidFile.read(dataDir);
            if (now.isPresent() && now.get().pid() != old.pid() && now.get().alive()) {
                out.println(
                        "River restarted: pid " + old.pid() + " -> " + now.get().pid() + " on " + scheme + "://"
                                + now.get().host() + ":" + now.get().port() + " (log " + log + ")");
                return 0;
            }
            if (!successor.isAlive() && successor.exitValue() != 0) {
                err.println("river restart: the new server (pid " + successor.pid() + ") exited with "
                        + successor.exitValue() + "; its log:\n" + tail(log, logStart));
                return 1;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        err.println("river restart: the new server (pid " + successor.pid() + ") was not ready after "
                + READY_TIMEOUT.toSeconds() + " s; it keeps running; its log:\n" + tail(log, logStart));
        return 1;
    }

    private static String tail(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int start = (int) Math.max(Math.min(from, all.length), all.length - 8192L);
        return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    }
}
