package io.river.engine.testing;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.Table;
import io.river.engine.scan.TableSnapshot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The crash harness of the engine's kill tests: runs a writer ({@link CrashWriter} or
 * {@link CrashPhaseWriter}) as a child JVM on a data directory, kills it with {@code kill -9} when a
 * line it prints matches a rule or when a time after its READY line has passed, and checks that the
 * reopened directory holds exactly the state after the last acknowledged batch (or the next one: a
 * batch may be durable before its ACK line was printed), with no orphan file. Stateless.
 */
public final class CrashHarness {
    private CrashHarness() {}

    /**
     * What a run ended with: the last acknowledged sequence number, whether the line rule killed it, and
     * the {@code EVENT ...} lines the writer printed (without the prefix), in order.
     */
    public record Run(long lastAck, boolean killedAtLine, List<String> events) {}

    /**
     * Starts {@code writer} on {@code dir} from {@code startSeq} with a compaction {@code style}, and
     * kills it at the first line {@code killAt} accepts, or {@code killAfterMillis} after READY.
     */
    public static Run run(
            Class<?> writer, Path dir, long startSeq, String style, Predicate<String> killAt, long killAfterMillis)
            throws Exception {
        return run(writer, dir, startSeq, style, killAt, killAfterMillis, List.of());
    }

    /** As {@link #run(Class, Path, long, String, Predicate, long)}, passing {@code extraArgs} to the writer. */
    public static Run run(
            Class<?> writer,
            Path dir,
            long startSeq,
            String style,
            Predicate<String> killAt,
            long killAfterMillis,
            List<String> extraArgs)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                writer.getName(),
                dir.toString(),
                Long.toString(startSeq),
                style));
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        long last = startSeq - 1;
        long deadline = Long.MAX_VALUE;
        boolean killed = false;
        boolean atLine = false;
        List<String> events = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("READY")) {
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killAfterMillis);
                } else if (line.startsWith("ACK ")) {
                    last = Long.parseLong(line.substring(4));
                } else if (line.startsWith("EVENT ")) {
                    events.add(line.substring(6));
                } else if (!killed && killAt.test(line)) {
                    kill9(p);
                    killed = true;
                    atLine = true;
                }
                if (!killed && System.nanoTime() > deadline) {
                    kill9(p);
                    killed = true;
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return new Run(last, atLine, events);
    }

    private static void kill9(Process p) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    /**
     * Reopens the directory and checks it holds exactly the state after batch {@code lastAck} or
     * after {@code lastAck + 1}, and, once the engine is closed again (its background flushes write
     * temp files while it runs), no orphan file; returns which one it is.
     */
    public static long verify(Path dir, long lastAck) throws Exception {
        long matched = check(dir, lastAck);
        DataDirs.assertNoOrphans(dir);
        return matched;
    }

    /**
     * Reopens a directory that must hold the state after some batch in {@code [first, last]} (a backup:
     * everything acknowledged before it began, and a prefix of what came after); returns which batch.
     */
    public static long verifyBetween(Path dir, long first, long last) throws Exception {
        long matched;
        Long[] actual;
        try (RiverEngine e = EngineTestUtils.openSmall(dir)) {
            actual = readState(e);
            matched = Long.MIN_VALUE;
            for (long candidate = last; candidate >= first && matched == Long.MIN_VALUE; candidate--) {
                if (Arrays.equals(CrashWriter.expected(candidate), actual)) {
                    matched = candidate;
                }
            }
        }
        if (matched == Long.MIN_VALUE) {
            throw new AssertionError("the directory holds the state after no batch in [" + first + ", " + last + "]: "
                    + Arrays.toString(actual));
        }
        DataDirs.assertNoOrphans(dir);
        return matched;
    }

    private static Long[] readState(RiverEngine e) throws Exception {
        Table t = e.table("c").orElseThrow();
        Long[] actual = new Long[CrashWriter.KEYS];
        for (int k = 0; k < CrashWriter.KEYS; k++) {
            Row r = t.get(CrashWriter.key(k)).orElse(null);
            actual[k] = r == null ? null : (Long) r.get("v");
        }
        assertScanAgrees(t, actual);
        return actual;
    }

    /**
     * A full scan (the upsert table's rows minus those its rebuilt deletion vectors mark dead) must
     * show each live key once with the value the point reads found, and no deleted key.
     */
    private static void assertScanAgrees(Table t, Long[] pointReads) throws Exception {
        Long[] scanned = new Long[CrashWriter.KEYS];
        java.util.Map<String, Integer> indexOf = new java.util.HashMap<>();
        for (int k = 0; k < CrashWriter.KEYS; k++) {
            indexOf.put(CrashWriter.key(k), k);
        }
        try (TableSnapshot snap = t.snapshot()) {
            for (ScanSplit split : snap.splits(new ScanRequest(List.of("_key", "v"), null), new ScanMetrics())) {
                try (split) {
                    for (ScanBatch next = split.next(); next != null; next = split.next()) {
                        try (ScanBatch b = next) {
                            VarCharVector k = (VarCharVector) b.root().getVector(0);
                            BigIntVector v = (BigIntVector) b.root().getVector(1);
                            int[] sel = b.selection();
                            for (int j = 0; j < b.liveRows(); j++) {
                                int r = sel == null ? j : sel[j];
                                String key = new String(k.get(r), StandardCharsets.UTF_8);
                                int index = indexOf.getOrDefault(key, -1);
                                if (index < 0 || scanned[index] != null) {
                                    throw new AssertionError("after kill -9, the scan returned key " + key
                                            + (index < 0 ? " which was never written" : " twice"));
                                }
                                scanned[index] = v.get(r);
                            }
                        }
                    }
                }
            }
        }
        if (!Arrays.equals(pointReads, scanned)) {
            throw new AssertionError("after kill -9, the scan disagrees with the point reads: scan "
                    + Arrays.toString(scanned) + ", point reads " + Arrays.toString(pointReads));
        }
    }

    private static long check(Path dir, long lastAck) throws Exception {
        try (RiverEngine e = EngineTestUtils.openSmall(dir)) {
            Long[] actual = readState(e);
            for (long candidate : new long[] {lastAck, lastAck + 1}) {
                if (Arrays.equals(CrashWriter.expected(candidate), actual)) {
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
            throw new AssertionError(
                    "after kill -9, the state matches neither batch " + lastAck + " nor the next: " + diffs);
        }
    }
}
