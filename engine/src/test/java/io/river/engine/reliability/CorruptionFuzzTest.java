package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.river.engine.RiverEngine;
import io.river.engine.WriteResult;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryResult;
import io.river.engine.scan.Table;
import io.river.engine.testing.DataDirs;
import io.river.engine.testing.EngineTestUtils;
import io.river.engine.testing.FileDamage;
import io.river.engine.testing.ReliabilityWorkload;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Corruption fuzzing: builds one data directory with a real engine (writes, flushes, compactions,
 * a checkpoint, a WAL tail after it), then, for each kind of file River keeps, damages copies of it
 * with seeded random bit flips, truncations and zeroed runs and opens the engine on each copy.
 *
 * <p>Accepted outcomes: the engine refuses to open with an {@link IOException} whose message names
 * the damaged file; or it opens and every key read (point read and SQL scan) equals the model, where
 * a read may instead fail with an exception naming the damaged file. WAL damage is repaired, never
 * refused: the state must be the model after some prefix that includes every entry lying wholly
 * before the first damaged byte, and the repaired store must take new writes and keep them across a
 * restart. A wrong answer, any other exception, a leak of Arrow memory at close or a trial running
 * over its time limit fails the test. Trials per file kind: {@code -Driver.corruption.trials}
 * (default 40); seed: {@code -Driver.corruption.seed}; only some kinds:
 * {@code -Driver.corruption.kinds=SEGMENT,MANIFEST}.
 */
class CorruptionFuzzTest {
    private static final int TRIALS = Integer.getInteger("river.corruption.trials", 40);
    private static final long SEED = Long.getLong("river.corruption.seed", 20240917L);
    private static final long TRIAL_TIMEOUT_SECONDS = 60;
    private static final boolean VERBOSE = Boolean.getBoolean("river.corruption.verbose");
    private static final ReliabilityWorkload W = new ReliabilityWorkload(1000);
    private static final String[] CONFIG = {
        "river.memtable.max.bytes=64k",
        "river.segment.block.rows=32",
        "river.wal.file.max.bytes=64k",
        "river.level.base.bytes=128k",
        "river.segment.target.bytes=64k",
        "river.l0.compaction.trigger=3",
        "river.segment.codec=lz4",
        "river.segment.codec.cold.level=1", // L0 files LZ4, compacted files ZSTD: both codecs are damaged
        // No block cache: point reads of segment rows read single pages (format 4) and check their own
        // CRC32C, so damage inside a page meets that path; scans decode whole blocks (block CRC).
        "river.cache.max.bytes=0"
    };

    @TempDir
    static Path root;

    private static Path pristine;
    private static long lastSeq;
    /** Last seq each WAL entry (by LSN) holds. */
    private static final TreeMap<Long, Long> SEQ_OF_LSN = new TreeMap<>();

    private static QueryEngine queries;
    private static ExecutorService runner;

    enum FileKind {
        WAL,
        CHECKPOINT,
        SEGMENT,
        MANIFEST;

        boolean holds(Path rel) {
            String n = rel.getFileName().toString();
            return switch (this) {
                case WAL -> n.startsWith("wal-") && n.endsWith(".log");
                case CHECKPOINT -> n.endsWith(".ckpt");
                case SEGMENT -> n.endsWith(".arrow");
                case MANIFEST -> n.equals("manifest.json");
            };
        }
    }

    enum Outcome {
        REFUSED,
        INTACT,
        PREFIX,
        READ_ERRORS,
        UNCHANGED
    }

    @BeforeAll
    static void buildStore() throws Exception {
        pristine = root.resolve("pristine");
        queries = new QueryEngine(1);
        runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "corruption-trial");
            t.setDaemon(true);
            return t;
        });
        long seq = 0;
        try (RiverEngine e = EngineTestUtils.openSmall(pristine, CONFIG)) {
            e.createTable(ReliabilityWorkload.TABLE, TableMode.UPSERT);
            seq = write(e, seq, 3000);
            e.flush();
            e.compact();
            seq = write(e, seq, 1500);
            e.flush();
            seq = write(e, seq, 600);
            e.checkpoint();
            seq = write(e, seq, 4000);
        }
        lastSeq = seq - 1;
        for (FileKind k : FileKind.values()) {
            assertTrue(kindFiles(k).size() > 0, "fixture has no " + k + " file: " + DataDirs.files(pristine));
        }
        assertTrue(DataDirs.dictionaryColumns(pristine) > 0, "segments hold dictionary-encoded columns to damage");
        assertTrue(DataDirs.narrowedColumns(pristine) > 0, "segments hold narrowed numeric columns to damage");
    }

    /** Writes {@code n} operations, four per batch; returns the next seq. */
    private static long write(RiverEngine e, long from, int n) throws IOException {
        long seq = from;
        while (seq < from + n) {
            long to = Math.min(from + n, seq + 4) - 1;
            WriteResult r = e.write(W.add(WriteBatch.builder(), seq, to).build());
            SEQ_OF_LSN.put(r.lsn(), to);
            seq = to + 1;
        }
        return seq;
    }

    @AfterAll
    static void stop() {
        if (queries != null) {
            queries.close();
        }
        if (runner != null) {
            runner.shutdownNow();
        }
    }

    private static List<Path> kindFiles(FileKind kind) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path f : DataDirs.files(pristine)) {
            if (kind.holds(f)) {
                out.add(f);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(FileKind.class)
    void damagedFileNeverGivesAWrongAnswer(FileKind kind) throws Exception {
        String only = System.getProperty("river.corruption.kinds", "");
        if (!only.isEmpty() && !List.of(only.toUpperCase().split(",")).contains(kind.name())) {
            return;
        }
        Random rnd = new Random(SEED * 31 + kind.ordinal());
        List<Path> files = kindFiles(kind);
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path rel = files.get(rnd.nextInt(files.size()));
            FileDamage damage = FileDamage.random(rnd, Files.size(pristine.resolve(rel)));
            Path copy = root.resolve(kind + "-" + trial);
            DataDirs.copy(pristine, copy);
            String what = "trial " + trial + " (seed " + SEED + "): " + damage + " in " + rel;
            Outcome o;
            if (!damage.apply(copy.resolve(rel))) {
                o = Outcome.UNCHANGED;
            } else {
                Future<Outcome> f = runner.submit(() -> check(copy, kind, rel, damage));
                try {
                    o = f.get(TRIAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    throw new AssertionError(what + ": no answer within " + TRIAL_TIMEOUT_SECONDS + " s (hang)");
                } catch (ExecutionException e) {
                    throw new AssertionError(what + ": " + e.getCause(), e.getCause());
                }
            }
            outcomes.merge(o, 1, Integer::sum);
            DataDirs.delete(copy);
        }
        System.out.println("corruption fuzz " + kind + ": " + TRIALS + " damaged copies of " + files.size()
                + " files, outcomes " + outcomes);
    }

    private static Outcome check(Path dir, FileKind kind, Path rel, FileDamage damage) throws Exception {
        String name = rel.getFileName().toString();
        RiverEngine e;
        try {
            e = EngineTestUtils.openSmall(dir, CONFIG);
        } catch (IOException refused) {
            if (kind == FileKind.WAL) {
                throw new AssertionError("WAL damage must be repaired, not refused", refused);
            }
            assertNamed(refused, name);
            if (VERBOSE) {
                System.out.println("  refused: " + refused.getMessage());
            }
            return Outcome.REFUSED;
        }
        long recoveredTo;
        int readErrors;
        try (e) {
            Table t = e.table(ReliabilityWorkload.TABLE).orElse(null);
            assertNotNull(t, "table lost");
            Row[] rows = new Row[W.keys()];
            boolean[] failed = new boolean[W.keys()];
            long maxSeq = -1;
            readErrors = 0;
            for (int k = 0; k < W.keys(); k++) {
                try {
                    rows[k] = t.get(ReliabilityWorkload.key(k)).orElse(null);
                    if (rows[k] != null && rows[k].get("v") instanceof Long v) {
                        maxSeq = Math.max(maxSeq, v);
                    }
                } catch (RuntimeException readError) {
                    assertNamed(readError, name);
                    failed[k] = true;
                    readErrors++;
                }
            }
            recoveredTo = kind == FileKind.WAL ? maxSeq : lastSeq;
            if (kind == FileKind.WAL) {
                long vouched = vouchedSeq(rel, damage);
                assertTrue(
                        recoveredTo >= vouched,
                        "recovered only up to op " + recoveredTo + " but the WAL vouches for every op up to "
                                + vouched);
            }
            Long[] want = W.expected(recoveredTo);
            for (int k = 0; k < W.keys(); k++) {
                if (!failed[k]) {
                    String diff = W.diff(k, want[k], rows[k]);
                    if (diff != null) {
                        fail("wrong answer after recovery to op " + recoveredTo + ": " + diff);
                    }
                }
            }
            readErrors += checkScan(e, want, name);
        }
        if (kind == FileKind.WAL) {
            checkTakesWritesAfterRepair(dir, recoveredTo);
            return recoveredTo == lastSeq ? Outcome.INTACT : Outcome.PREFIX;
        }
        return readErrors > 0 ? Outcome.READ_ERRORS : Outcome.INTACT;
    }

    /** Compares a full SQL scan with the model; returns 1 if the scan failed naming the file. */
    private static int checkScan(RiverEngine e, Long[] want, String name) {
        QueryResult r;
        try {
            r = queries.execute("SELECT _key, v, s, d, b, c FROM t", new EngineCatalog(e));
        } catch (RuntimeException scanError) {
            assertNamed(scanError, name);
            return 1;
        }
        Map<String, Object[]> got = new HashMap<>();
        for (Object[] row : r.rows()) {
            assertTrue(got.put((String) row[0], row) == null, "key twice in a scan: " + row[0]);
        }
        int live = 0;
        for (int k = 0; k < W.keys(); k++) {
            Object[] row = got.get(ReliabilityWorkload.key(k));
            if (want[k] == null) {
                assertTrue(row == null, "scan shows deleted key " + ReliabilityWorkload.key(k));
                continue;
            }
            live++;
            assertNotNull(row, "scan lacks key " + ReliabilityWorkload.key(k));
            Row m = W.row(want[k]);
            assertEquals(
                    List.of(m.get("v"), m.get("s"), m.get("d"), m.get("b"), m.get("c")),
                    List.of(row[1], row[2], row[3], row[4], row[5]),
                    "scan row of " + ReliabilityWorkload.key(k));
        }
        assertEquals(live, got.size(), "scan rows");
        return 0;
    }

    /** After a WAL repair, a new write lands after the recovered state and survives a restart. */
    private static void checkTakesWritesAfterRepair(Path dir, long recoveredTo) throws IOException {
        Row marker = Row.builder("marker").set("_key", "marker").set("v", -1L).build();
        try (RiverEngine e = EngineTestUtils.openSmall(dir, CONFIG)) {
            e.write(WriteBatch.of(ReliabilityWorkload.TABLE, marker));
        }
        try (RiverEngine e = EngineTestUtils.openSmall(dir, CONFIG)) {
            Table t = e.table(ReliabilityWorkload.TABLE).orElseThrow();
            assertEquals(
                    -1L,
                    t.get("marker")
                            .orElseThrow(() -> new AssertionError("write after WAL repair lost"))
                            .get("v"));
            Long[] want = W.expected(recoveredTo);
            for (int k = 0; k < W.keys(); k++) {
                String diff =
                        W.diff(k, want[k], t.get(ReliabilityWorkload.key(k)).orElse(null));
                if (diff != null) {
                    fail("after a write following the WAL repair, state changed: " + diff);
                }
            }
        }
    }

    /**
     * The last op held by an entry of the damaged WAL file that lies wholly before the first
     * damaged byte (or by the file before it): recovery must keep at least that much.
     */
    private static long vouchedSeq(Path rel, FileDamage damage) throws IOException {
        Path file = pristine.resolve(rel);
        long firstLsn = Long.parseLong(rel.getFileName().toString().replaceAll("\\D", ""));
        long vouchedLsn = firstLsn - 1;
        long off = 20;
        try (InputStream in = Files.newInputStream(file);
                DataInputStream d = new DataInputStream(in)) {
            d.skipNBytes(20);
            long size = Files.size(file);
            while (off + 16 <= size) {
                int len = d.readInt();
                d.readInt();
                long lsn = d.readLong();
                d.skipNBytes(len);
                off += 16 + len;
                if (off > damage.firstOffset()) {
                    break;
                }
                vouchedLsn = lsn;
            }
        }
        Map.Entry<Long, Long> e = SEQ_OF_LSN.floorEntry(vouchedLsn);
        return e == null ? -1 : e.getValue();
    }

    private static void assertNamed(Throwable t, String fileName) {
        String msg = String.valueOf(t.getMessage());
        if (!msg.contains(fileName)) {
            throw new AssertionError("error does not name the damaged file " + fileName + ": " + t, t);
        }
    }
}
