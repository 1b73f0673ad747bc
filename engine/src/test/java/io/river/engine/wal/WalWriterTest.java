package io.river.engine.wal;

import static io.river.engine.wal.WalTestUtils.assertEntries;
import static io.river.engine.wal.WalTestUtils.options;
import static io.river.engine.wal.WalTestUtils.payload;
import static io.river.engine.wal.WalTestUtils.replayAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.EngineClosedException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalWriterTest {
    @TempDir
    Path tmp;

    private static final int THREADS = 8;

    @Test
    void groupCommitSharesFsyncsAcrossEightThreads() throws Exception {
        WalOptions opts = options(WalSyncPolicy.BATCH, 64L << 20);
        EngineMetrics m = opts.metrics();
        int rounds = 50;
        CyclicBarrier appended = new CyclicBarrier(THREADS);
        Map<Long, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
        long syncsBefore;
        try (WalWriter w = WalWriter.open(tmp, opts, 1)) {
            syncsBefore = m.walSyncs.sum();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < rounds; i++) {
                            byte[] p = threadPayload(thread, i);
                            long lsn = w.append(p);
                            written.put(lsn, p);
                            // Everyone appends before anyone waits: the first fsync covers all eight.
                            appended.await();
                            w.awaitDurable(lsn);
                            assertTrue(w.syncedLsn() >= lsn);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long appends = (long) THREADS * rounds;
            long syncs = m.walSyncs.sum() - syncsBefore;
            assertEquals(appends, w.lastLsn());
            assertEquals(appends, w.syncedLsn());
            // Each round's first waiter fsyncs all eight entries; the other seven find theirs covered.
            assertEquals(rounds, syncs, syncs + " fsyncs for " + appends + " appends in " + rounds + " rounds");
            assertTrue(m.walSyncNanos.sum() > 0);
            assertEquals(appends, m.syncedLsn.get());
        }
        assertReplaysExactly(written);
    }

    @Test
    void oneFsyncCoversEverythingAppendedBeforeIt() throws Exception {
        WalOptions opts = options(WalSyncPolicy.BATCH, 64L << 20);
        try (WalWriter w = WalWriter.open(tmp, opts, 1)) {
            long before = opts.metrics().walSyncs.sum();
            for (int i = 1; i <= 8; i++) {
                w.append(payload(i));
            }
            w.awaitDurable(1);
            assertEquals(8, w.syncedLsn());
            for (int i = 1; i <= 8; i++) {
                w.awaitDurable(i);
            }
            assertEquals(1, opts.metrics().walSyncs.sum() - before);
        }
    }

    @Test
    void freeRunningWritersAllGetDurableEntriesWithFewerFsyncs() throws Exception {
        WalOptions opts = options(WalSyncPolicy.BATCH, 4096); // small files: rolls race with syncs
        EngineMetrics m = opts.metrics();
        int perThread = 300;
        Map<Long, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
        try (WalWriter w = WalWriter.open(tmp, opts, 1)) {
            long syncsBefore = m.walSyncs.sum();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            byte[] p = threadPayload(thread, i);
                            long lsn = w.append(p);
                            written.put(lsn, p);
                            w.awaitDurable(lsn);
                            assertTrue(w.syncedLsn() >= lsn);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long appends = (long) THREADS * perThread;
            assertEquals(appends, w.syncedLsn());
            assertTrue(w.fileCount() > 1, "rolled over");
            long syncs = m.walSyncs.sum() - syncsBefore;
            // One fsync per append would be 2400 plus two per roll-over; sharing must save some.
            assertTrue(syncs < appends, syncs + " fsyncs for " + appends + " appends");
        }
        assertReplaysExactly(written);
    }

    @Test
    void alwaysFsyncsEachAppendBeforeReturning() throws Exception {
        WalOptions opts = options(WalSyncPolicy.ALWAYS, 64L << 20);
        try (WalWriter w = WalWriter.open(tmp, opts, 1)) {
            long before = opts.metrics().walSyncs.sum();
            for (int i = 1; i <= 20; i++) {
                long lsn = w.append(payload(i));
                assertEquals(lsn, w.syncedLsn());
                w.awaitDurable(lsn); // returns at once
            }
            assertEquals(20, opts.metrics().walSyncs.sum() - before);
        }
        assertEntries(replayAll(tmp, 0), 1, 20);
    }

    @Test
    void intervalAcknowledgesAtOnceAndSyncsInTheBackground() throws Exception {
        WalOptions opts = options(WalSyncPolicy.INTERVAL, 64L << 20); // 50 ms
        try (WalWriter w = WalWriter.open(tmp, opts, 1)) {
            long before = opts.metrics().walSyncs.sum();
            for (int i = 1; i <= 10; i++) {
                w.append(payload(i));
            }
            assertEquals(before, opts.metrics().walSyncs.sum(), "no fsync on the append path");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> w.syncedLsn() == 10);
            assertTrue(opts.metrics().walSyncs.sum() > before);
            // Nothing new: the background thread does not fsync again.
            long settled = opts.metrics().walSyncs.sum();
            Thread.sleep(200);
            assertEquals(settled, opts.metrics().walSyncs.sum());
        }
        assertEntries(replayAll(tmp, 0), 1, 10);
    }

    @Test
    void syncMakesEverythingAppendedDurable() throws Exception {
        try (WalWriter w = WalWriter.open(tmp, options(WalSyncPolicy.BATCH, 64L << 20), 1)) {
            assertEquals(0, w.sync());
            w.append(payload(1));
            w.append(payload(2));
            assertEquals(0, w.syncedLsn());
            assertEquals(2, w.sync());
            assertEquals(2, w.syncedLsn());
            assertThrows(IllegalArgumentException.class, () -> w.awaitDurable(3));
        }
    }

    @Test
    void rollsOverAndDeletesFilesWhoseEntriesAreAllCovered() throws Exception {
        WalOptions opts = options(WalSyncPolicy.BATCH, 1024);
        try (WalWriter w = WalWriter.open(tmp, opts, 1)) {
            for (int i = 1; i <= 200; i++) {
                w.append(payload(i));
            }
            w.sync();
            List<Path> files = WalFiles.list(tmp);
            assertTrue(files.size() > 5, files.size() + " files");
            assertEquals(files.size(), w.fileCount());
            long total = 0;
            for (Path f : files) {
                long size = Files.size(f);
                total += size;
                // A file rolls once it reaches the limit, so it exceeds it by less than one entry.
                assertTrue(size < 1024 + WalEntryFormat.ENTRY_HEADER_BYTES + 64, f + " is " + size + " bytes");
            }
            assertEquals(total, w.totalBytes());
            long firstSize = Files.size(files.get(0));
            long secondSize = Files.size(files.get(1));
            assertEntries(replayAll(tmp, 0), 1, 200);

            // Delete up to an LSN in the middle of the third file: the first two go, the third stays.
            long thirdFirst = WalFiles.firstLsn(files.get(2));
            long fourthFirst = WalFiles.firstLsn(files.get(3));
            assertEquals(0, w.deleteFilesUpTo(WalFiles.firstLsn(files.get(1)) - 2));
            assertEquals(2, w.deleteFilesUpTo((thirdFirst + fourthFirst) / 2));
            assertEquals(files.subList(2, files.size()), WalFiles.list(tmp));
            assertEquals(files.size() - 2, w.fileCount());
            assertEquals(total - firstSize - secondSize, w.totalBytes());
            assertEntries(replayAll(tmp, 0), thirdFirst, 200);

            // Even with everything covered, the current file stays.
            w.deleteFilesUpTo(Long.MAX_VALUE);
            List<Path> left = WalFiles.list(tmp);
            assertEquals(List.of(files.get(files.size() - 1)), left);
            assertEquals(1, w.fileCount());
            assertEquals(Files.size(left.get(0)), w.totalBytes());
            assertEquals(201, w.append(payload(201)));
            w.sync();
        }
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> {});
        assertFalse(r.truncated());
        assertEquals(202, r.nextLsn());
    }

    @Test
    void reopeningWithoutAppendsReusesTheEmptyFile() throws Exception {
        WalOptions opts = options(WalSyncPolicy.BATCH, 64L << 20);
        WalWriter.open(tmp, opts, 1).close();
        for (int i = 0; i < 3; i++) {
            WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> {});
            assertEquals(1, r.nextLsn());
            WalWriter.open(tmp, opts, r.nextLsn()).close();
        }
        assertEquals(List.of(tmp.resolve(WalFiles.name(1))), WalFiles.list(tmp));
        try (WalWriter w = WalWriter.open(tmp, opts, 1)) {
            assertEquals(1, w.append(payload(1)));
        }
        assertEntries(replayAll(tmp, 0), 1, 1);
    }

    @Test
    void closedWriterRefusesAppendsAndLargePayloadsRoundTrip() throws Exception {
        WalWriter w = WalWriter.open(tmp, options(WalSyncPolicy.BATCH, 64L << 20), 1);
        byte[] big = new byte[3 << 20];
        new java.util.Random(1).nextBytes(big);
        assertEquals(1, w.append(big));
        w.close();
        w.close();
        assertEquals(1, w.syncedLsn(), "close fsyncs what was appended");
        assertThrows(EngineClosedException.class, () -> w.append(payload(2)));
        List<WalEntry> got = replayAll(tmp, 0);
        assertEquals(1, got.size());
        assertArrayEquals(big, got.get(0).payload());
    }

    private static byte[] threadPayload(int thread, int i) {
        return ByteBuffer.allocate(8 + i % 50).putInt(thread).putInt(i).array();
    }

    private void assertReplaysExactly(Map<Long, byte[]> written) throws Exception {
        Map<Long, byte[]> read = new HashMap<>();
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> read.put(e.lsn(), e.payload()));
        assertFalse(r.truncated());
        assertEquals(written.size(), read.size());
        assertEquals(written.size() + 1, r.nextLsn());
        for (Map.Entry<Long, byte[]> e : written.entrySet()) {
            assertArrayEquals(e.getValue(), read.get(e.getKey()), "LSN " + e.getKey());
        }
    }
}
