package io.river.engine.compaction;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.scan.StringDictionary;
import io.river.engine.segment.DictionaryCollector;
import io.river.engine.segment.EncodingCollector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs compactions in the background on {@code river-compaction-N} threads: for each table, asks
 * the {@link CompactionPicker} for work, merge-reads the inputs (newest version of each key wins),
 * leaves out rows the table's retention has expired ({@link CompactionHost#retained}),
 * writes output segments of about {@code river.segment.target.bytes}, and installs the result in
 * one atomic step through the {@link CompactionHost}. At most one compaction runs per table at a
 * time; different tables compact in parallel. A failed compaction is logged and leaves the tree as
 * it was (its partial outputs are orphans removed at the next start). Thread-safe.
 */
public final class Compactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final CompactionHost host;
    private final CompactionPicker picker;
    private final long fileTargetBytes;
    private final ExecutorService exec;
    private final Runnable onChange;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final String style;
    private volatile boolean closed;

    private final LongAdder count = new LongAdder();
    private final LongAdder moves = new LongAdder();
    private final LongAdder blocks = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder rowsIn = new LongAdder();
    private final LongAdder rowsOut = new LongAdder();
    private final LongAdder wallNanos = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder failures = new LongAdder();

    public Compactor(CompactionHost host, RiverConfig config, Runnable onChange) {
        this.host = host;
        this.onChange = onChange;
        this.fileTargetBytes = config.get(RiverConfigKeys.SEGMENT_TARGET_BYTES);
        this.style = config.get(RiverConfigKeys.COMPACTION_STYLE);
        int trigger = config.get(RiverConfigKeys.L0_COMPACTION_TRIGGER);
        if ("size-tiered".equals(style)) {
            this.picker =
                    new SizeTieredCompactionPicker(trigger, config.get(RiverConfigKeys.L0_SLOWDOWN_FILES) - 1, 2.0);
        } else {
            this.picker = new LeveledCompactionPicker(new LevelTargets(
                    config.get(RiverConfigKeys.LEVEL_BASE_BYTES),
                    config.get(RiverConfigKeys.LEVEL_SIZE_RATIO),
                    fileTargetBytes,
                    trigger));
        }
        int n = config.get(RiverConfigKeys.COMPACTION_THREADS);
        AtomicInteger id = new AtomicInteger();
        this.exec = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "river-compaction-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Schedules a compaction pass for every table that is not compacting already. */
    public void maybeSchedule() {
        if (closed) {
            return;
        }
        for (String table : host.tableNames()) {
            if (busy.add(table)) {
                try {
                    exec.execute(() -> {
                        try {
                            compactTable(table);
                        } finally {
                            busy.remove(table);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    busy.remove(table);
                }
            }
        }
    }

    /** Compacts every table until the picker finds nothing to do; runs in the caller's thread. */
    public void runUntilIdle() throws IOException {
        for (String table : host.tableNames()) {
            while (!busy.add(table)) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            try {
                while (!closed && runOne(table)) {
                    onChange.run();
                }
            } finally {
                busy.remove(table);
            }
        }
    }

    private void compactTable(String table) {
        try {
            while (!closed && runOne(table)) {
                onChange.run();
            }
        } catch (IOException | RuntimeException e) {
            failures.increment();
            LOG.error("compaction of {} failed; the tree is unchanged: {}", table, e.toString(), e);
        }
    }

    /** Picks and runs one compaction of the table; false if there was none to do. */
    private boolean runOne(String table) throws IOException {
        TableVersion v = host.acquire(table);
        if (v == null) {
            return false; // dropped
        }
        CompactionTask task;
        try {
            task = picker.pick(table, v);
            if (task == null) {
                return false;
            }
            // The version pins the inputs until the result is installed.
            return run(task);
        } finally {
            v.release();
        }
    }

    /**
     * Dictionaries for a compaction's outputs: per string column, the union of the inputs' values
     * (their dictionaries, or the distinct values of a plain input, given up on past the limit).
     */
    private Map<String, StringDictionary> dictionaries(List<SegmentHandle> inputs, long rows) {
        DictionaryCollector collector = new DictionaryCollector(host.dictionaryMaxEntries(), rows);
        Set<String> columns = new LinkedHashSet<>();
        for (SegmentHandle h : inputs) {
            h.reader().columnTypes().forEach((name, type) -> {
                if (type == ColumnType.STRING && !name.equals(SystemColumns.PK)) {
                    columns.add(name);
                }
            });
        }
        for (String column : columns) {
            for (SegmentHandle h : inputs) {
                if (!collector.wants(column)) {
                    break;
                }
                h.reader().offerValues(column, collector);
            }
        }
        return collector.build();
    }

    private boolean run(CompactionTask task) throws IOException {
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        if (task.trivialMove()) {
            host.move(task);
            moves.increment();
            LOG.debug(
                    "compaction of {}: moved {} to L{} ({})",
                    task.table(),
                    task.inputs().get(0).path().getFileName(),
                    task.outputLevel(),
                    task.reason());
            return true;
        }
        List<Iterator<Row>> sources = new ArrayList<>();
        long maxLsn = 0;
        long inBytes = 0;
        long inRows = 0;
        int inBlocks = 0;
        List<SegmentHandle> outputs = new ArrayList<>();
        long outBytes = 0;
        long outRows = 0;
        LongAdder expired = new LongAdder();
        // The inputs are opened inside the try: a row iterator may hold a decoded block as soon as it is
        // made, and a later input failing (a damaged file) must not leave it unclosed.
        try {
            for (SegmentHandle h : task.inputs()) {
                RoaringBitmap dead = host.deadRows(task.table(), h);
                sources.add(
                        dead == null
                                ? h.reader().rows()
                                : new LiveRowIterator(
                                        h.reader().rows(), dead, pk -> host.supersededInSegments(task.table(), pk)));
                maxLsn = Math.max(maxLsn, h.entry().maxLsn());
                inBytes += h.entry().sizeBytes();
                inRows += h.entry().rows();
                inBlocks += h.reader().blockCount();
            }
            Map<String, StringDictionary> dictionaries = dictionaries(task.inputs(), inRows);
            EncodingCollector encodings = new EncodingCollector();
            task.inputs().forEach(h -> encodings.offerSegment(h.reader()));
            Iterator<Row> merged = host.retained(
                    task.table(), new MergingIterator(sources, task.dropTombstones()), task.dropTombstones(), expired);
            long rowsPerFile =
                    inRows == 0 ? Long.MAX_VALUE : Math.max(1024, fileTargetBytes / Math.max(1, inBytes / inRows));
            if (task.outputLevel() == 0) {
                rowsPerFile = Long.MAX_VALUE; // a size-tiered run is one file
            }
            while (merged.hasNext()) {
                SegmentHandle out = host.writeSegment(
                        task.table(), limit(merged, rowsPerFile), dictionaries, encodings, task.outputLevel(), maxLsn);
                outputs.add(out);
                outBytes += out.entry().sizeBytes();
                outRows += out.entry().rows();
            }
        } catch (IOException | RuntimeException e) {
            for (SegmentHandle h : outputs) {
                h.markObsolete();
                h.releaseOwner();
            }
            throw e;
        } finally {
            for (Iterator<Row> it : sources) {
                if (it instanceof AutoCloseable) {
                    try {
                        ((AutoCloseable) it).close();
                    } catch (Exception e) {
                        LOG.warn("closing compaction input failed: {}", e.toString());
                    }
                }
            }
        }
        host.install(task, outputs);
        host.expiredRowsDropped(task.table(), expired.sum());
        long wall = System.nanoTime() - start;
        count.increment();
        blocks.add(inBlocks);
        bytesRead.add(inBytes);
        bytesWritten.add(outBytes);
        rowsIn.add(inRows);
        rowsOut.add(outRows);
        wallNanos.add(wall);
        cpuNanos.add(Math.max(0, threads.getCurrentThreadCpuTime() - cpuStart));
        LOG.debug(
                "compaction of {} into L{}: {} files/{} rows -> {} files/{} rows in {} ms ({})",
                task.table(),
                task.outputLevel(),
                task.inputs().size(),
                inRows,
                outputs.size(),
                outRows,
                wall / 1_000_000,
                task.reason());
        return true;
    }

    private static Iterator<Row> limit(Iterator<Row> it, long max) {
        return new Iterator<>() {
            long n;

            @Override
            public boolean hasNext() {
                return n < max && it.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                n++;
                return it.next();
            }
        };
    }

    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        long wall = wallNanos.sum();
        out.put("style", style);
        out.put("count", count.sum());
        out.put("trivialMoves", moves.sum());
        out.put("failures", failures.sum());
        out.put("running", busy.size());
        out.put("blocksCompacted", blocks.sum());
        out.put("bytesRead", bytesRead.sum());
        out.put("bytesWritten", bytesWritten.sum());
        out.put("rowsRead", rowsIn.sum());
        out.put("rowsWritten", rowsOut.sum());
        out.put("cpuPercent", wall == 0 ? 0.0 : Math.round(1000.0 * cpuNanos.sum() / wall) / 10.0);
        out.put("throughputBytesPerSec", wall == 0 ? 0 : (long) (bytesRead.sum() * 1e9 / wall));
        out.put("wallMillis", wall / 1_000_000);
        return out;
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }

    @Override
    public void close() {
        closed = true;
        exec.shutdown();
        try {
            if (!exec.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("compaction still running after 60 s at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
