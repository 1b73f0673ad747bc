package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.river.engine.RiverEngine;
import io.river.engine.io.IoFaults;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import io.river.engine.testing.DataDirs;
import io.river.engine.testing.EngineTestUtils;
import io.river.engine.testing.ReliabilityWorkload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File-system faults injected through {@link IoFaults}: a failed WAL fsync, ENOSPC while writing a
 * segment, a refused manifest rename, a failed checkpoint fsync. Each must surface as an
 * IOException (never a silent loss), leave the store consistent, and be recovered from once the
 * fault clears: background work succeeds on retry, and after a restart the state is exactly the
 * model after the last acknowledged write (or the unacknowledged one that failed), with no orphan.
 */
class FaultInjectionTest {
    private static final ReliabilityWorkload W = new ReliabilityWorkload(200);

    @TempDir
    Path dir;

    @AfterEach
    void clearFaults() {
        IoFaults.clear();
    }

    private RiverEngine open() throws IOException {
        return EngineTestUtils.openSmall(dir);
    }

    /** Writes ops {@code from..to} one per batch; returns the last acknowledged op. */
    private static long write(RiverEngine e, long from, long to) throws IOException {
        for (long s = from; s <= to; s++) {
            e.write(W.add(WriteBatch.builder(), s, s).build());
        }
        return to;
    }

    private static IoFaults.Hook failing(IoFaults.Op op, String nameContains, String message, AtomicInteger hits) {
        return (o, file) -> {
            if (o == op && file.getFileName().toString().contains(nameContains)) {
                hits.incrementAndGet();
                throw new IOException(message + ": " + file);
            }
        };
    }

    @Test
    void failedWalFsyncFailsTheWriteAndTheWalUntilRestartLosingNothingAcknowledged() throws Exception {
        long acked;
        AtomicInteger hits = new AtomicInteger();
        RiverEngine e = open();
        try {
            e.createTable(ReliabilityWorkload.TABLE, TableMode.UPSERT);
            acked = write(e, 0, 99);
            IoFaults.install(failing(IoFaults.Op.FSYNC, "wal-", "Input/output error (EIO) on fsync", hits));
            assertThrows(
                    IOException.class,
                    () -> e.write(W.add(WriteBatch.builder(), 100, 100).build()));
            IoFaults.clear();
            // After a failed fsync the kernel may have dropped dirty pages: the WAL stays failed.
            assertThrows(
                    IOException.class,
                    () -> e.write(W.add(WriteBatch.builder(), 101, 101).build()));
        } finally {
            try {
                e.close();
            } catch (IOException walFailed) {
                // close() reports the failed WAL; the LOCK and every buffer are released regardless.
            }
        }
        assertTrue(hits.get() > 0);
        try (RiverEngine reopened = open()) {
            long at = checkPrefix(reopened, acked, acked + 1);
            write(reopened, at + 1, at + 50);
            checkPrefix(reopened, at + 50, at + 50);
        }
        DataDirs.assertNoOrphans(dir);
    }

    @Test
    void enospcWhileWritingASegmentFailsTheFlushKeepsTheDataAndRetries() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        long acked;
        try (RiverEngine e = open()) {
            e.createTable(ReliabilityWorkload.TABLE, TableMode.UPSERT);
            acked = write(e, 0, 299);
            IoFaults.install(failing(IoFaults.Op.WRITE, ".arrow", "No space left on device", hits));
            assertThrows(IOException.class, e::flush);
            acked = write(e, acked + 1, acked + 100); // the WAL still takes writes
            checkPrefix(e, acked, acked);
            IoFaults.clear();
            e.flush();
            checkPrefix(e, acked, acked);
        }
        assertTrue(hits.get() > 0);
        reopenAndCheck(acked);
    }

    @Test
    void refusedManifestRenameFailsTheFlushAndLeavesNoOrphanAfterRecovery() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        long acked;
        try (RiverEngine e = open()) {
            e.createTable(ReliabilityWorkload.TABLE, TableMode.UPSERT);
            acked = write(e, 0, 299);
            IoFaults.install(failing(IoFaults.Op.RENAME, ManifestStore.FILE_NAME, "Operation not permitted", hits));
            assertThrows(IOException.class, e::flush);
            acked = write(e, acked + 1, acked + 50);
            checkPrefix(e, acked, acked);
            IoFaults.clear();
            e.flush();
            e.compact();
            checkPrefix(e, acked, acked);
        }
        assertTrue(hits.get() > 0);
        reopenAndCheck(acked);
    }

    @Test
    void failedCheckpointFsyncFailsTheCheckpointAndTheNextOneSucceeds() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        long acked;
        try (RiverEngine e = open()) {
            e.createTable(ReliabilityWorkload.TABLE, TableMode.UPSERT);
            acked = write(e, 0, 150);
            IoFaults.install(failing(IoFaults.Op.FSYNC, ".ckpt", "Input/output error (EIO) on fsync", hits));
            assertThrows(IOException.class, e::checkpoint);
            IoFaults.clear();
            acked = write(e, acked + 1, acked + 20);
            e.checkpoint();
        }
        assertTrue(hits.get() > 0);
        reopenAndCheck(acked);
    }

    private void reopenAndCheck(long acked) throws Exception {
        try (RiverEngine e = open()) {
            checkPrefix(e, acked, acked);
        }
        DataDirs.assertNoOrphans(dir);
    }

    /** The state is the model after some op in [lo, hi]; returns which. */
    private static long checkPrefix(RiverEngine e, long lo, long hi) {
        Table t = e.table(ReliabilityWorkload.TABLE).orElseThrow();
        String last = null;
        for (long at = lo; at <= hi; at++) {
            Long[] want = W.expected(at);
            last = null;
            for (int k = 0; k < W.keys() && last == null; k++) {
                last = W.diff(k, want[k], t.get(ReliabilityWorkload.key(k)).orElse(null));
            }
            if (last == null) {
                return at;
            }
        }
        fail("state is not the model after any op in [" + lo + ", " + hi + "]: " + last);
        return -1;
    }
}
