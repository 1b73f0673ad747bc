package io.river.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.scan.Table;
import io.river.engine.testing.DataDirs;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot backups taken while a writer, flushes, checkpoints and compactions go on: the backup is a
 * data directory the checker accepts and the engine opens, holding every write acknowledged
 * before the backup began, as a prefix of the log.
 */
class BackupTest {
    @TempDir
    Path dir;

    @Test
    void backupDuringWritesAndCompactionsHoldsEveryEarlierAcknowledgedWrite() throws Exception {
        Path data = dir.resolve("data");
        AtomicLong acknowledged = new AtomicLong(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(2_000);
        long ackedBeforeBackup;
        Map<String, Object> result;
        try (RiverEngine engine =
                EngineTestUtils.openSmall(data, "river.checkpoint.interval.ms=50", "river.flush.interval.ms=50")) {
            engine.createTable("t", TableMode.UPSERT);
            Thread writer = new Thread(
                    () -> {
                        try {
                            for (long i = 0; !Thread.currentThread().isInterrupted() && i < 200_000; i++) {
                                // Keys repeat, so compactions drop superseded versions while the backup runs.
                                EngineTestUtils.put(
                                        engine, "t", "k" + (i % 5_000), Map.of("v", i, "pad", "x".repeat(40)));
                                acknowledged.set(i);
                                started.countDown();
                            }
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    "backup-test-writer");
            writer.start();
            started.await();
            ackedBeforeBackup = acknowledged.get();
            result = engine.backup(dir.resolve("backup"));
            writer.interrupt();
            writer.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("writer failed", failure.get());
        }
        assertTrue((Integer) result.get("files") > 0, result.toString());
        StoreChecker.Report report = StoreChecker.check(dir.resolve("backup"));
        assertTrue(report.healthy(), report.findings().toString());
        try (RiverEngine restored = EngineTestUtils.openSmall(dir.resolve("backup"))) {
            Table t = restored.table("t").orElseThrow();
            // Every key's value is at least what it was when the backup began: nothing acknowledged is missing.
            for (long i = Math.max(0, ackedBeforeBackup - 4_999); i <= ackedBeforeBackup; i++) {
                Row row = t.get("k" + (i % 5_000)).orElseThrow(() -> new AssertionError("key missing"));
                assertTrue((Long) row.get("v") >= i, "key k" + (i % 5_000) + " holds " + row.get("v") + " < " + i);
            }
            // A prefix of the log: the values seen are consecutive writes, with no gap.
            long newest = -1;
            for (int k = 0; k < 5_000; k++) {
                Row row = t.get("k" + k).orElse(null);
                newest = row == null ? newest : Math.max(newest, (Long) row.get("v"));
            }
            for (long i = Math.max(0, newest - 4_999); i <= newest; i++) {
                assertEquals(i, (Long) t.get("k" + (i % 5_000)).orElseThrow().get("v"), "write " + i);
            }
        }
        DataDirs.assertNoOrphans(dir.resolve("backup"));
    }

    @Test
    void targetMustBeEmptyAndOutsideTheDataDirectory() throws Exception {
        try (RiverEngine engine = EngineTestUtils.openSmall(dir.resolve("data"))) {
            Path full = Files.createDirectories(dir.resolve("full"));
            Files.writeString(full.resolve("x"), "x");
            assertThrows(IllegalArgumentException.class, () -> engine.backup(full));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> engine.backup(dir.resolve("data").resolve("inside")));
        }
    }
}
