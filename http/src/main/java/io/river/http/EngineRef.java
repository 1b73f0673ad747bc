package io.river.http;

import io.river.engine.RiverEngine;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The engine the routes serve, attached once it has recovered. The HTTP server starts before the
 * engine (so {@code /health} answers and {@code /health/ready} says 503 during recovery), and
 * every route that needs data asks here. By default a data route answers 503 while no engine is
 * attached; with a hold time set (a restart successor, see {@link RiverServer#holdUntilAttached})
 * it waits up to that long for {@link #attach} instead, so a client that reached the new process
 * during a graceful restart is served rather than refused. Once detached (stopping) nothing
 * waits. Thread-safe: the reference is guarded by {@code this}; reads of a ready engine take no
 * lock.
 */
public final class EngineRef {
    private volatile RiverEngine engine;
    private volatile long holdNanos;
    private volatile boolean detached;
    private int waiting; // requests held in await(); guarded by this

    /** Data routes wait up to {@code hold} for an engine before answering 503; zero means never wait. */
    void holdUntilAttached(Duration hold) {
        this.holdNanos = hold.toNanos();
    }

    synchronized void attach(RiverEngine engine) {
        this.engine = engine;
        notifyAll();
    }

    synchronized void detach() {
        this.engine = null;
        this.detached = true;
        notifyAll();
    }

    /** True when an engine is attached and ready. */
    public boolean isReady() {
        RiverEngine e = engine;
        return e != null && e.isReady();
    }

    /** The attached engine, or a 503 {@link ApiException} while there is none (after the hold time, if any). */
    public RiverEngine get() {
        RiverEngine e = engine;
        if (e == null && holdNanos > 0 && !detached) {
            e = await();
        }
        if (e == null || !e.isReady()) {
            throw new ApiException(503, "not_ready", "River is starting up or shutting down; retry shortly");
        }
        return e;
    }

    private synchronized RiverEngine await() {
        long deadline = System.nanoTime() + holdNanos;
        waiting++;
        try {
            while (engine == null && !detached) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            waiting--;
        }
        return engine;
    }

    /** Requests waiting for an engine right now (a signal for tests and diagnostics). */
    synchronized int waiting() {
        return waiting;
    }

    /** The attached engine or null, without checks (for metrics). */
    RiverEngine peek() {
        return engine;
    }
}
