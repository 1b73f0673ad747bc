package io.river.engine;

import io.river.engine.testing.DataDirs;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.testing.CrashWriter;
import io.river.engine.testing.EngineTestUtils;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

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
            long lastAck = runAndKill(dir, nextSeq, style, 300 + rnd.nextInt(1500));
            assertTrue(lastAck >= nextSeq, "child acknowledged nothing in round " + round);
            long durableSeq = verify(dir, lastAck);
            nextSeq = durableSeq + 1;
        }
    }

    /** Starts the writer, kills it after {@code millis}, returns the last acknowledged seq. */
    private static long runAndKill(Path dir, long startSeq, String style, long millis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                dir.toString(), Long.toString(startSeq), style);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        long last = startSeq - 1;
        long deadline = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("READY")) {
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                } else if (line.startsWith("ACK ")) {
                    last = Long.parseLong(line.substring(4));
                }
                if (deadline > 0 && System.nanoTime() > deadline) {
                    kill9(p);
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return last;
    }

    private static void kill9(Process p) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    /**
     * Reopens the directory and checks it holds exactly the state after batch {@code lastAck} or
     * after {@code lastAck + 1} (a batch may be durable without its ACK having been printed).
     * Returns which one it is.
     */
    private static long verify(Path dir, long lastAck) throws Exception {
        try (RiverEngine e = EngineTestUtils.openSmall(dir)) {
            Table t = e.table("c").orElseThrow();
            Long[] actual = new Long[CrashWriter.KEYS];
            for (int k = 0; k < CrashWriter.KEYS; k++) {
                Row r = t.get(CrashWriter.key(k)).orElse(null);
                actual[k] = r == null ? null : (Long) r.get("v");
            }
            long matched = -2;
            for (long candidate : new long[] {lastAck, lastAck + 1}) {
                if (java.util.Arrays.equals(CrashWriter.expected(candidate), actual)) {
                    matched = candidate;
                    break;
                }
            }
            if (matched == -2) {
                Long[] want = CrashWriter.expected(lastAck);
                List<String> diffs = new ArrayList<>();
                for (int k = 0; k < CrashWriter.KEYS && diffs.size() < 10; k++) {
                    if (!java.util.Objects.equals(want[k], actual[k])) {
                        diffs.add("k" + k + ": want " + want[k] + " got " + actual[k]);
                    }
                }
                throw new AssertionError("state after recovery matches neither batch " + lastAck + " nor the next: "
                        + diffs);
            }
            DataDirs.assertNoOrphans(dir);
            return matched;
        }
    }
}
