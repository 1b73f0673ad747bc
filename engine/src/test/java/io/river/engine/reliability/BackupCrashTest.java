package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.StoreChecker;
import io.river.engine.io.DataDir;
import io.river.engine.testing.CrashHarness;
import io.river.engine.testing.CrashPhaseWriter;
import io.river.engine.testing.EngineTestUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash points inside a hot backup: {@link CrashPhaseWriter} writes and takes backups one after another
 * in a child JVM, and is killed with {@code kill -9} while a backup copies files or writes its manifest.
 * Then: the live directory holds every acknowledged write (as in the crash matrix); the last finished
 * backup opens and holds a prefix of the log that includes every write acknowledged before it began,
 * and passes {@code river check}; the backup cut short is refused by the engine and by the checker with
 * a message saying so, unless it had already finished, in which case it is checked like the others.
 * Rounds per phase: {@code -Driver.crashmatrix.rounds} (default 2).
 */
class BackupCrashTest {
    private static final int ROUNDS = Integer.getInteger("river.crashmatrix.rounds", 2);
    private static final long SEED = Long.getLong("river.crashmatrix.seed", 99L);
    private static final long PHASE_WAIT_MILLIS = 15_000;

    @ParameterizedTest
    @ValueSource(strings = {"backup-copy", "backup-manifest"})
    void killNineInsideABackupLosesNothingAndLeavesNoUsableHalfBackup(String phase, @TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("data");
        Random rnd = new Random(SEED * 17 + phase.hashCode());
        long nextSeq = 0;
        int hit = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path backups = tmp.resolve("backups-" + round);
            int skip = rnd.nextInt(3);
            int[] seen = {0};
            CrashHarness.Run run = CrashHarness.run(
                    CrashPhaseWriter.class,
                    dir,
                    nextSeq,
                    "leveled",
                    line -> line.equals("PHASE " + phase) && seen[0]++ >= skip,
                    PHASE_WAIT_MILLIS,
                    List.of(backups.toString()));
            hit += run.killedAtLine() ? 1 : 0;
            long durable = CrashHarness.verify(dir, run.lastAck());
            checkBackups(backups, run, durable);
            nextSeq = durable + 1;
        }
        System.out.println("backup crash points " + phase + ": " + ROUNDS + " kill -9 rounds, " + hit
                + " killed at the phase, live store and finished backups complete, half backups refused");
        assertTrue(hit > 0, "phase " + phase + " never observed in " + ROUNDS + " rounds");
    }

    /** Checks the last finished backup and the one the kill interrupted, from the writer's events. */
    private static void checkBackups(Path backups, CrashHarness.Run run, long durable) throws Exception {
        Map<Integer, long[]> started = new HashMap<>();
        int lastDone = -1;
        long[] lastDoneRange = null;
        for (String event : run.events()) {
            String[] f = event.split(" ");
            if (f[0].equals("backup-start")) {
                started.put(Integer.parseInt(f[1]), new long[] {Long.parseLong(f[2])});
            } else if (f[0].equals("backup-done")) {
                lastDone = Integer.parseInt(f[1]);
                lastDoneRange = new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
            } else if (f[0].equals("backup-failed")) {
                throw new AssertionError("a backup failed in the writer: " + event);
            }
        }
        if (lastDone >= 0) {
            checkFinished(backups.resolve("b-" + lastDone), lastDoneRange[0], lastDoneRange[1] + 1);
        }
        int cut = lastDone + 1;
        Path interrupted = backups.resolve("b-" + cut);
        if (started.containsKey(cut) && Files.exists(interrupted)) {
            if (Files.exists(new DataDir(interrupted).backupIncomplete())) {
                assertRefused(interrupted);
            } else if (Files.exists(new DataDir(interrupted).manifest())) {
                // Killed after the backup finished but before the writer printed so: a whole backup.
                checkFinished(interrupted, started.get(cut)[0], durable);
            }
        }
    }

    private static void checkFinished(Path backup, long first, long last) throws Exception {
        assertTrue(StoreChecker.check(backup).healthy(), "river check on the finished backup " + backup);
        CrashHarness.verifyBetween(backup, first, last);
    }

    private static void assertRefused(Path backup) {
        IOException open = assertThrows(
                IOException.class, () -> EngineTestUtils.openSmall(backup).close());
        assertTrue(open.getMessage().contains("did not finish"), open.getMessage());
        IOException check = assertThrows(IOException.class, () -> StoreChecker.check(backup));
        assertTrue(check.getMessage().contains("did not finish"), check.getMessage());
    }
}
