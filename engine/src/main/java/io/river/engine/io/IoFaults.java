package io.river.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The fault-injection seam of River's durable file I/O: the WAL writer, the segment writer, the
 * checkpoint store and {@link AtomicFiles} call {@link #check} right before each write, fsync and
 * rename of a file that must survive a crash. In production no hook is installed and a check is one
 * volatile read. Tests install a {@link Hook} that throws the IOException a failing disk would
 * (ENOSPC, EIO on fsync, a refused rename) for chosen operations and files, then clear it to let the
 * "disk" recover. Thread-safe: the hook is a volatile field; hooks must be thread-safe themselves.
 */
public final class IoFaults {
    /** The operation about to run on a file. */
    public enum Op {
        WRITE,
        FSYNC,
        RENAME
    }

    /** Decides whether an operation fails: throws to fail it, returns to let it run. */
    @FunctionalInterface
    public interface Hook {
        void before(Op op, Path file) throws IOException;
    }

    private static volatile Hook hook;

    private IoFaults() {}

    /** Installs a hook for every engine in this JVM (tests only). */
    public static void install(Hook h) {
        hook = h;
    }

    public static void clear() {
        hook = null;
    }

    /** Called by the engine right before {@code op} on {@code file}; throws when a fault is injected. */
    public static void check(Op op, Path file) throws IOException {
        Hook h = hook;
        if (h != null) {
            h.before(op, file);
        }
    }
}
