package io.river.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Peak memory of one benchmark: a daemon thread samples, every 10 ms, the JVM heap in use, the
 * process resident set (from {@code /proc/self/statm}, which also shows the native memory of
 * RocksDB and DuckDB that the heap does not) and an optional Arrow allocator's peak. Start one per
 * benchmark with {@link #start}, read the peaks after {@link #close}. Thread-safe.
 */
public final class MemoryMeter implements AutoCloseable {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE = 4096;

    private final MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakRss;
    private volatile LongSupplier arrowPeak = () -> 0;
    private volatile long arrowPeakSeen;

    private MemoryMeter() {
        sampler = new Thread(this::loop, "bench-memory-meter");
        sampler.setDaemon(true);
    }

    /** Collects garbage (so the peak is this benchmark's), then samples until closed. */
    public static MemoryMeter start() {
        System.gc();
        MemoryMeter m = new MemoryMeter();
        m.sample();
        m.sampler.start();
        return m;
    }

    /** The Arrow allocator whose peak to report, e.g. {@code engine.allocator()::getPeakMemoryAllocation}. */
    public void watchArrow(LongSupplier peak) {
        arrowPeak = peak;
        sample();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        peakHeap = Math.max(peakHeap, heap.getHeapMemoryUsage().getUsed());
        peakRss = Math.max(peakRss, rss());
        arrowPeakSeen = Math.max(arrowPeakSeen, arrowPeak.getAsLong());
    }

    static long rss() {
        try {
            List<String> f = List.of(Files.readString(STATM).trim().split("\\s+"));
            return Long.parseLong(f.get(1)) * PAGE;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public long peakHeapBytes() {
        return peakHeap;
    }

    public long peakRssBytes() {
        return peakRss;
    }

    public long peakArrowBytes() {
        return arrowPeakSeen;
    }

    /** "heap 812 MB, arrow 240 MB, rss 1.9 GB". */
    public String summary() {
        return String.format(
                "peak heap %.0f MB, Arrow %.0f MB, process RSS %.0f MB",
                peakHeap / 1e6, arrowPeakSeen / 1e6, peakRss / 1e6);
    }

    @Override
    public void close() {
        sample();
        running = false;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
