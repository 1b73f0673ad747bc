package io.river.engine;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.compaction.Compactor;
import io.river.engine.lsm.LsmTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's background work on named executors: {@code river-flush} (flushes frozen memtables
 * in order, freezes memtables older than {@code river.flush.interval.ms}), {@code river-checkpoint}
 * (every {@code river.checkpoint.interval.ms}) and {@code river-compaction-N}. Also applies write
 * back-pressure: too many frozen memtables or L0 files first slow writers down, then make them wait.
 * A failed background step is logged and retried on the next tick; the data it was moving stays in
 * the WAL. {@link #close()} stops every executor and waits for running work.
 */
final class EngineBackground implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineBackground.class);
    private static final int MAX_IMMUTABLES = 4;

    private final EngineState state;
    private final ScheduledExecutorService flushExec;
    private final ScheduledExecutorService checkpointExec;
    private final Compactor compactor;
    private final long flushIntervalNanos;
    private final int l0Slowdown;
    private final int l0Stop;
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final Object backPressure = new Object();
    private volatile boolean closed;

    EngineBackground(EngineState state, RiverConfig config) {
        this.state = state;
        this.flushExec = Executors.newSingleThreadScheduledExecutor(named("river-flush"));
        this.checkpointExec = Executors.newSingleThreadScheduledExecutor(named("river-checkpoint"));
        this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.get(RiverConfigKeys.FLUSH_INTERVAL_MS));
        this.l0Slowdown = config.get(RiverConfigKeys.L0_SLOWDOWN_FILES);
        this.l0Stop = config.get(RiverConfigKeys.L0_STOP_FILES);
        this.compactor = new Compactor(new EngineCompactionHost(state), config, this::onStructureChange);
        state.setFlushSignal(this::signalFlush);
        flushExec.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        long ckpt = config.get(RiverConfigKeys.CHECKPOINT_INTERVAL_MS);
        if (ckpt > 0) {
            checkpointExec.scheduleWithFixedDelay(this::checkpointQuietly, ckpt, ckpt, TimeUnit.MILLISECONDS);
        }
        signalFlush(); // recovery may have left frozen memtables behind
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + (prefix.endsWith("-") ? n.incrementAndGet() : ""));
            t.setDaemon(true);
            return t;
        };
    }

    void signalFlush() {
        if (!closed && flushQueued.compareAndSet(false, true)) {
            try {
                flushExec.execute(this::flushPending);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flushQueued.set(false);
            }
        }
    }

    private void tick() {
        if (flushIntervalNanos > 0) {
            state.rotateAll(flushIntervalNanos);
        }
        flushPending();
    }

    private void flushPending() {
        try {
            flushPendingOrThrow();
        } catch (IOException | RuntimeException e) {
            LOG.error("memtable flush failed (will retry; data is safe in the WAL): {}", e.toString(), e);
        }
    }

    private void flushPendingOrThrow() throws IOException {
        flushQueued.set(false);
        boolean any = true;
        while (any && !closed) {
            any = false;
            for (LsmTable t : state.tables()) {
                any |= state.flushOldest(t);
            }
            if (any) {
                onStructureChange();
            }
        }
    }

    private void onStructureChange() {
        synchronized (backPressure) {
            backPressure.notifyAll();
        }
        compactor.maybeSchedule();
    }

    private void checkpointQuietly() {
        try {
            state.checkpoint();
        } catch (IOException | RuntimeException e) {
            LOG.error("checkpoint failed (will retry): {}", e.toString(), e);
        }
    }

    /** Called before each write: slows down or blocks while flushes and L0 compaction catch up. */
    void applyBackPressure() {
        for (LsmTable t : state.tables()) {
            int imm = t.peek().immutables().size();
            int l0 = t.peek().level(0).size();
            if (imm < MAX_IMMUTABLES && l0 < l0Slowdown) {
                continue;
            }
            if (imm < MAX_IMMUTABLES && l0 < l0Stop) {
                state.metrics().writeSlowdowns.increment();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                continue;
            }
            state.metrics().writeStalls.increment();
            LOG.warn(
                    "write stall on table {}: {} frozen memtables, {} L0 files; waiting for flush/compaction",
                    t.name(),
                    imm,
                    l0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (backPressure) {
                while (!closed
                        && (t.peek().immutables().size() >= MAX_IMMUTABLES
                                || t.peek().level(0).size() >= l0Stop)
                        && System.nanoTime() < deadline) {
                    signalFlush();
                    compactor.maybeSchedule();
                    try {
                        backPressure.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    void afterWrite() {
        // Flushes are signalled by the write path when a memtable fills; nothing else to do yet.
    }

    void flushAllAndWait() throws IOException {
        state.rotateAll(0);
        // An explicit flush reports its failure (a background one logs it and retries later).
        awaitOn(flushExec, () -> {
            flushPendingOrThrow();
            return null;
        });
    }

    void checkpointAndWait() throws IOException {
        awaitOn(checkpointExec, () -> {
            state.checkpoint();
            return null;
        });
    }

    void compactAndWait() throws IOException {
        compactor.runUntilIdle();
    }

    Map<String, Object> compactionStats() {
        return compactor.stats();
    }

    Map<String, Object> backPressureStats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("slowdowns", state.metrics().writeSlowdowns.sum());
        out.put("stalls", state.metrics().writeStalls.sum());
        out.put("l0SlowdownFiles", l0Slowdown);
        out.put("l0StopFiles", l0Stop);
        return out;
    }

    private interface IoCallable<T> {
        T call() throws IOException;
    }

    private static <T> T awaitOn(ScheduledExecutorService exec, IoCallable<T> work) throws IOException {
        CompletableFuture<T> f = new CompletableFuture<>();
        exec.execute(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            if (c instanceof UncheckedIOException) {
                throw ((UncheckedIOException) c).getCause();
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IOException(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (backPressure) {
            backPressure.notifyAll();
        }
        compactor.close();
        for (ScheduledExecutorService e : new ScheduledExecutorService[] {flushExec, checkpointExec}) {
            e.shutdown();
        }
        try {
            flushExec.awaitTermination(60, TimeUnit.SECONDS);
            checkpointExec.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
