package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.river.engine.RiverEngine;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.scan.Table;
import io.river.engine.testing.EngineTestUtils;
import io.river.engine.testing.ReliabilityWorkload;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: ingest, point reads, SQL queries, flushes, checkpoints and compactions running together in
 * one JVM, with the engine closed and reopened every few seconds. After every restart the whole
 * state is checked against the model (every acknowledged write present, nothing else), and heap
 * after GC, Arrow memory held by the engine, open file descriptors and live threads are sampled;
 * their last samples must stay within a bounded distance of the first ones (flat, not growing with
 * the number of restarts). Length: {@code -Driver.soak.seconds} (default 20; 3600 for the full
 * run); restart period: {@code -Driver.soak.epoch.seconds} (default 4).
 */
class SoakTest {
    private static final int SECONDS = Integer.getInteger("river.soak.seconds", 20);
    private static final int EPOCH_SECONDS = Integer.getInteger("river.soak.epoch.seconds", 4);
    private static final ReliabilityWorkload W = new ReliabilityWorkload(2000);
    private static final long CACHE_BYTES = 8L << 20;

    record Sample(long heap, long arrow, long fds, int threads) {}

    @Test
    void resourcesStayFlatAcrossRestartsUnderMixedLoad(@TempDir Path dir) throws Exception {
        long end = System.currentTimeMillis() + SECONDS * 1000L;
        AtomicLong nextSeq = new AtomicLong();
        List<Sample> samples = new ArrayList<>();
        long queries = 0;
        int restarts = 0;
        try (RiverEngine e = open(dir)) {
            // The columns exist once the first rows are in: queries need them from the start.
            e.createTable(ReliabilityWorkload.TABLE, TableMode.UPSERT);
            e.write(W.add(WriteBatch.builder(), 0, 9).build());
            nextSeq.set(10);
        }
        try (QueryEngine sql = new QueryEngine(2)) {
            while (System.currentTimeMillis() < end || restarts < 2) {
                try (RiverEngine e = open(dir)) {
                    verify(e, sql, nextSeq.get() - 1);
                    samples.add(sample(e));
                    queries += runEpoch(e, sql, nextSeq);
                }
                restarts++;
            }
        }
        Sample first = samples.get(1); // after the first restart: caches, pools and classes warmed up
        Sample last = samples.get(samples.size() - 1);
        System.out.println("soak: " + SECONDS + " s, " + restarts + " restarts, " + nextSeq.get() + " ops written, "
                + queries + " queries; first " + first + ", last " + last);
        assertTrue(last.fds() <= first.fds() + 8, "open file descriptors grew: " + first + " -> " + last);
        assertTrue(last.threads() <= first.threads() + 4, "live threads grew: " + first + " -> " + last);
        assertTrue(last.arrow() <= CACHE_BYTES + (16L << 20), "Arrow memory beyond cache + memtable: " + last);
        assertTrue(last.heap() <= first.heap() * 2 + (64L << 20), "heap after GC grew: " + first + " -> " + last);
    }

    private static RiverEngine open(Path dir) throws Exception {
        return EngineTestUtils.openSmall(
                dir,
                "river.cache.max.bytes=" + CACHE_BYTES,
                "river.checkpoint.interval.ms=500",
                "river.memtable.max.bytes=128k",
                "river.l0.compaction.trigger=2");
    }

    /** One epoch of mixed load; returns queries run. Ops are acknowledged in seq order. */
    private static long runEpoch(RiverEngine e, QueryEngine sql, AtomicLong nextSeq) throws Exception {
        long epochEnd = System.currentTimeMillis() + EPOCH_SECONDS * 1000L;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong queries = new AtomicLong();
        Thread reader = new Thread(
                () -> {
                    Random r = new Random(nextSeq.get());
                    Table t = e.table(ReliabilityWorkload.TABLE).orElseThrow();
                    try {
                        while (!stop.get()) {
                            int k = r.nextInt(W.keys());
                            var row = t.get(ReliabilityWorkload.key(k)).orElse(null);
                            // A write is visible once applied, before its ack: the bound is the batch in
                            // flight after the read (at most 41 seqs past the last acknowledged one).
                            long bound = nextSeq.get() + 41;
                            if (row != null && (Long) row.get("v") > bound) {
                                throw new AssertionError("read a value never written yet: " + row.values());
                            }
                            sql.execute(
                                    r.nextBoolean()
                                            ? "SELECT count(*), sum(v), max(d) FROM t"
                                            : "SELECT b, count(*) FROM t WHERE v > " + r.nextInt(1000) + " GROUP BY b",
                                    new EngineCatalog(e));
                            queries.incrementAndGet();
                        }
                    } catch (Throwable ex) {
                        failure.set(ex);
                    }
                },
                "soak-reader");
        reader.start();
        Random r = new Random(nextSeq.get() * 7);
        try {
            while (System.currentTimeMillis() < epochEnd && failure.get() == null) {
                long from = nextSeq.get();
                long to = from + 1 + r.nextInt(40);
                e.write(W.add(WriteBatch.builder(), from, to).build());
                nextSeq.set(to + 1);
                switch (r.nextInt(200)) {
                    case 0 -> e.flush();
                    case 1 -> e.compact();
                    case 2 -> e.checkpoint();
                    default -> {}
                }
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        return queries.get();
    }

    private static void verify(RiverEngine e, QueryEngine sql, long lastSeq) {
        Table t = e.table(ReliabilityWorkload.TABLE).orElseThrow();
        Long[] want = W.expected(lastSeq);
        long live = 0;
        for (int k = 0; k < W.keys(); k++) {
            String diff = W.diff(k, want[k], t.get(ReliabilityWorkload.key(k)).orElse(null));
            if (diff != null) {
                fail("after restart at op " + lastSeq + ": " + diff);
            }
            live += want[k] == null ? 0 : 1;
        }
        Object count = sql.execute("SELECT count(*) FROM t", new EngineCatalog(e))
                .rows()
                .get(0)[0];
        assertEquals(live, ((Number) count).longValue(), "SQL count after restart");
    }

    private static Sample sample(RiverEngine e) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        File[] fds = new File("/proc/self/fd").listFiles();
        return new Sample(
                rt.totalMemory() - rt.freeMemory(),
                e.allocator().getAllocatedMemory(),
                fds == null ? -1 : fds.length,
                ManagementFactory.getThreadMXBean().getThreadCount());
    }
}
