package io.river.engine.reliability;

import io.river.engine.testing.DataDirs;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.Table;
import io.river.engine.model.Row;
import io.river.engine.testing.CrashPhaseWriter;
import io.river.engine.testing.CrashWriter;
import io.river.engine.testing.EngineTestUtils;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
    @ValueSource(strings = {"wal-sync", "segment-write", "flush", "checkpoint-write", "checkpoint", "compaction",
        "manifest-replace"})
    void killNineAtPhaseLosesNoAcknowledgedWrite(String phase, @TempDir Path dir) throws Exception {
        Random rnd = new Random(SEED * 31 + phase.hashCode());
        long nextSeq = 0;
        int hit = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String style = rnd.nextBoolean() ? "leveled" : "size-tiered";
            int skip = rnd.nextInt(3);
            long[] run = runAndKill(dir, nextSeq, style, phase, skip);
            long lastAck = run[0];
            hit += (int) run[1];
            long durable = verify(dir, lastAck);
            nextSeq = durable + 1;
        }
        System.out.println("crash matrix " + phase + ": " + ROUNDS + " kill -9 rounds, " + hit
                + " killed at the phase (others on time-out), 0 acknowledged writes lost");
        assertTrue(hit > 0, "phase " + phase + " never observed in " + ROUNDS + " rounds");
    }

    /** Returns {last acknowledged seq, 1 if killed at the phase else 0}. */
    private static long[] runAndKill(Path dir, long startSeq, String style, String phase, int skip) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), CrashPhaseWriter.class.getName(),
                dir.toString(), Long.toString(startSeq), style);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        long last = startSeq - 1;
        long deadline = Long.MAX_VALUE;
        int seen = 0;
        boolean atPhase = false;
        boolean killed = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("READY")) {
                    deadline = System.currentTimeMillis() + PHASE_WAIT_MILLIS;
                } else if (line.startsWith("ACK ")) {
                    last = Long.parseLong(line.substring(4));
                } else if (!killed && line.equals("PHASE " + phase) && seen++ >= skip) {
                    kill9(p);
                    killed = true;
                    atPhase = true;
                }
                if (!killed && System.currentTimeMillis() > deadline) {
                    kill9(p);
                    killed = true;
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return new long[] {last, atPhase ? 1 : 0};
    }

    private static void kill9(Process p) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    private static long verify(Path dir, long lastAck) throws Exception {
        try (RiverEngine e = EngineTestUtils.openSmall(dir)) {
            Table t = e.table("c").orElseThrow();
            Long[] actual = new Long[CrashWriter.KEYS];
            for (int k = 0; k < CrashWriter.KEYS; k++) {
                Row r = t.get(CrashWriter.key(k)).orElse(null);
                actual[k] = r == null ? null : (Long) r.get("v");
            }
            for (long candidate : new long[] {lastAck, lastAck + 1}) {
                if (Arrays.equals(CrashWriter.expected(candidate), actual)) {
                    DataDirs.assertNoOrphans(dir);
                    return candidate;
                }
            }
            Long[] want = CrashWriter.expected(lastAck);
            List<String> diffs = new ArrayList<>();
            for (int k = 0; k < CrashWriter.KEYS && diffs.size() < 10; k++) {
                if (!Objects.equals(want[k], actual[k])) {
                    diffs.add("k" + k + ": want " + want[k] + " got " + actual[k]);
                }
            }
            throw new AssertionError("after kill -9, state matches neither op " + lastAck + " nor the next: " + diffs);
        }
    }
}
