package io.river.http;

import io.river.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code river.pid} in the data directory: which process serves this directory, and where.
 * Written by {@code river serve} once its engine is attached (so its presence with a live pid
 * means "ready"), removed by that process before it releases the LOCK, read by
 * {@code river restart}. Replaced atomically (temp, fsync, rename, directory fsync).
 *
 * <p>Layout (version 1), Java properties text in UTF-8:
 * <pre>
 *   format=river-pid
 *   version=1
 *   pid=&lt;process id&gt;
 *   host=&lt;bound host, as configured&gt;
 *   port=&lt;bound port&gt;
 * </pre>
 * Immutable value; the static methods are thread-safe (one writer per directory: the LOCK holder).
 */
record PidFile(long pid, String host, int port) {
    static final String NAME = "river.pid";
    static final int VERSION = 1;

    static Path path(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    void write(Path dataDir) throws IOException {
        String text =
                "format=river-pid\nversion=" + VERSION + "\npid=" + pid + "\nhost=" + host + "\nport=" + port + "\n";
        AtomicFiles.write(path(dataDir), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The pid file's content, or empty when there is none (no server, or one between owners). */
    static Optional<PidFile> read(Path dataDir) throws IOException {
        String text;
        try {
            text = Files.readString(path(dataDir), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        if (!"river-pid".equals(p.getProperty("format"))
                || !String.valueOf(VERSION).equals(p.getProperty("version"))) {
            throw new IOException(path(dataDir) + " is not a version " + VERSION + " River pid file");
        }
        try {
            return Optional.of(new PidFile(
                    Long.parseLong(p.getProperty("pid")),
                    p.getProperty("host"),
                    Integer.parseInt(p.getProperty("port"))));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException(path(dataDir) + " is damaged: " + text.strip());
        }
    }

    /** Removes the pid file if it still names {@code pid} (a successor's file is left alone). */
    static void removeIfOwned(Path dataDir, long pid) throws IOException {
        Optional<PidFile> current = read(dataDir);
        if (current.isPresent() && current.get().pid() == pid) {
            Files.deleteIfExists(path(dataDir));
        }
    }

    /**
     * True while the named process runs and is a River server (when its command line can be seen),
     * so a stale file whose pid now belongs to another program is never signalled.
     */
    boolean alive() {
        return isRiver(pid);
    }

    static boolean isRiver(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (h.isEmpty()) {
            return false;
        }
        // Linux: the whole command line (ProcessHandle.Info drops long ones, and River's class path is long).
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).contains(RiverCli.class.getName());
        } catch (IOException | UnsupportedOperationException e) {
            return h.get()
                    .info()
                    .commandLine()
                    .map(c -> c.contains(RiverCli.class.getName()))
                    .orElse(true);
        }
    }
}
