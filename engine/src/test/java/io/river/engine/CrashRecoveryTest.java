package io.river.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.testing.CrashHarness;
import io.river.engine.testing.CrashWriter;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a real child JVM ({@code kill -9}) that writes through the engine while flushes,
 * checkpoints and compactions run, many times at random moments, and checks after each restart
 * that every acknowledged write is there (and nothing unacknowledged beyond the next batch), and
 * that no orphan file survives recovery.
 */
class CrashRecoveryTest {
    private static final int ROUNDS = Integer.getInteger("river.crash.rounds", 6);

    @ParameterizedTest
    @ValueSource(strings = {"leveled", "size-tiered"})
    void everyAcknowledgedWriteSurvivesKillNine(String style, @TempDir Path dir) throws Exception {
        Random rnd = new Random(Long.getLong("river.crash.seed", 7L) ^ style.hashCode());
        long nextSeq = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long lastAck = CrashHarness.run(
                            CrashWriter.class, dir, nextSeq, style, line -> false, 300 + rnd.nextInt(1500))
                    .lastAck();
            assertTrue(lastAck >= nextSeq, "child acknowledged nothing in round " + round);
            long durableSeq = CrashHarness.verify(dir, lastAck);
            nextSeq = durableSeq + 1;
        }
    }
}
