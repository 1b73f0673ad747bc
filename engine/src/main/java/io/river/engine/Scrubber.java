package io.river.engine;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live scrub: a background thread that, every {@code river.scrub.interval.ms} (the first time one
 * interval after the engine opens), re-reads every
 * segment file of every table (each block's CRC32C, then a full decode: {@code SegmentReader.verify})
 * while River serves, at most {@code river.scrub.bytes.per.second} (it sleeps after each file for
 * as long as the file's bytes take at that rate). A damaged file is logged, counted and marked
 * ({@link SegmentHandle#markDamaged}), so every later read of it fails with an error naming it rather
 * than a wrong answer; the mark lasts until the process ends (the next process's scrub finds the
 * damage again). Each file is read from a pinned table version, so compaction never deletes it under
 * the scrub. Progress is in {@code /stats} ({@link #stats}) and the engine metrics. Thread-safe.
 */
final class Scrubber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);

    private final EngineState state;
    private final long intervalMillis;
    private final long bytesPerSecond;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean closed;
    private volatile long passes;
    private volatile long lastPassEndedMillis;
    private final List<String> damaged = new ArrayList<>(); // guarded by itself

    Scrubber(EngineState state, RiverConfig config) {
        this.state = state;
        this.intervalMillis = config.get(RiverConfigKeys.SCRUB_INTERVAL_MS);
        this.bytesPerSecond = config.get(RiverConfigKeys.SCRUB_BYTES_PER_SECOND);
        this.thread = new Thread(this::loop, "river-scrub");
        this.thread.setDaemon(true);
        if (intervalMillis > 0) {
            thread.start();
        }
    }

    private void loop() {
        pause(intervalMillis); // the first pass waits an interval: start-up and recovery come first
        while (!closed) {
            long start = System.currentTimeMillis();
            try {
                pass();
            } catch (RuntimeException e) {
                LOG.warn("scrub pass failed; the next one starts on time", e);
            }
            passes++;
            lastPassEndedMillis = System.currentTimeMillis();
            pause(Math.max(0, start + intervalMillis - System.currentTimeMillis()));
        }
    }

    /** One pass over every segment of every table. */
    private void pass() {
        for (LsmTable t : state.tables()) {
            if (closed) {
                return;
            }
            TableVersion v = t.acquire();
            try {
                for (List<SegmentHandle> level : v.levels()) {
                    for (SegmentHandle h : level) {
                        if (closed) {
                            return;
                        }
                        verify(t.name(), h);
                        pause(TimeUnit.SECONDS.toMillis(1) * h.entry().sizeBytes() / bytesPerSecond);
                    }
                }
            } finally {
                v.release();
            }
        }
    }

    private void verify(String table, SegmentHandle h) {
        if (h.damage() != null) {
            return;
        }
        try {
            h.uncheckedReader().verify();
            state.metrics().scrubbedSegments.increment();
            state.metrics().scrubbedBytes.add(h.entry().sizeBytes());
        } catch (IOException | RuntimeException e) {
            h.markDamaged("found by the live scrub: " + e.getMessage());
            state.metrics().damagedSegments.increment();
            synchronized (damaged) {
                damaged.add(table + "/" + h.entry().file() + ": " + e.getMessage());
            }
            LOG.error(
                    "scrub: segment {} of table {} is damaged; reads of it now fail: {}",
                    h.path(),
                    table,
                    e.getMessage());
        }
    }

    private void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        synchronized (wake) {
            long until = System.currentTimeMillis() + millis;
            long left = millis;
            while (!closed && left > 0) {
                try {
                    wake.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                left = until - System.currentTimeMillis();
            }
        }
    }

    /** Figures for {@code /stats}: on or off, passes done, bytes and files verified, damage found. */
    Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", intervalMillis > 0);
        out.put("intervalMs", intervalMillis);
        out.put("bytesPerSecond", bytesPerSecond);
        out.put("passes", passes);
        out.put("lastPassEndedMillis", lastPassEndedMillis == 0 ? null : lastPassEndedMillis);
        out.put("segmentsVerified", state.metrics().scrubbedSegments.sum());
        out.put("bytesVerified", state.metrics().scrubbedBytes.sum());
        synchronized (damaged) {
            out.put("damaged", List.copyOf(damaged));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
