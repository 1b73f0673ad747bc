package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.testing.CrashHarness;
import io.river.engine.testing.CrashPhaseWriter;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash matrix: for each phase of the engine's write path (WAL sync, segment write, flush,
 * checkpoint write, checkpoint, compaction, manifest replace) runs {@link CrashPhaseWriter} in a
 * child JVM, waits for the n-th {@code PHASE} line of that phase (n seeded) and kills the child with
 * {@code kill -9} at once; then reopens the directory and checks that it holds exactly the state
 * after the last acknowledged write (or the one after it, which may be durable unacknowledged),
 * with no orphan or temp file left. Rounds run on one directory, each continuing where the last
 * one's state ended. Rounds per phase: {@code -Driver.crashmatrix.rounds} (default 2); seed:
 * {@code -Driver.crashmatrix.seed}.
 */
class CrashMatrixTest {
    private static final int ROUNDS = Integer.getInteger("river.crashmatrix.rounds", 2);
    private static final long SEED = Long.getLong("river.crashmatrix.seed", 99L);
    private static final long PHASE_WAIT_MILLIS = 15_000;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "wal-sync",
                "segment-write",
                "flush",
                "checkpoint-write",
                "checkpoint",
                "compaction",
                "manifest-replace"
            })
    void killNineAtPhaseLosesNoAcknowledgedWrite(String phase, @TempDir Path dir) throws Exception {
        Random rnd = new Random(SEED * 31 + phase.hashCode());
        long nextSeq = 0;
        int hit = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String style = rnd.nextBoolean() ? "leveled" : "size-tiered";
            int skip = rnd.nextInt(3);
            int[] seen = {0};
            CrashHarness.Run run = CrashHarness.run(
                    CrashPhaseWriter.class,
                    dir,
                    nextSeq,
                    style,
                    line -> line.equals("PHASE " + phase) && seen[0]++ >= skip,
                    PHASE_WAIT_MILLIS);
            hit += run.killedAtLine() ? 1 : 0;
            long durable = CrashHarness.verify(dir, run.lastAck());
            nextSeq = durable + 1;
        }
        System.out.println("crash matrix " + phase + ": " + ROUNDS + " kill -9 rounds, " + hit
                + " killed at the phase (others on time-out), 0 acknowledged writes lost");
        assertTrue(hit > 0, "phase " + phase + " never observed in " + ROUNDS + " rounds");
    }
}
