package io.river.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.StoreChecker.Finding;
import io.river.engine.StoreChecker.Report;
import io.river.engine.StoreChecker.Status;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.testing.DataDirs;
import io.river.engine.testing.EngineTestUtils;
import io.river.engine.testing.ReliabilityWorkload;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code river check} on a real store (segments in several levels, a checkpoint, WAL files): a clean
 * store is healthy and every file is listed OK; a flipped byte in a segment, a missing segment, a
 * torn WAL tail, an orphan file and a damaged manifest are each reported on the right file with the
 * right verdict; the check changes no byte; a directory in use is refused.
 */
class StoreCheckerTest {
    private static final ReliabilityWorkload W = new ReliabilityWorkload(200);

    @TempDir
    Path tmp;

    Path store;

    @BeforeEach
    void buildStore() throws Exception {
        store = tmp.resolve("store");
        try (RiverEngine e = EngineTestUtils.openSmall(store)) {
            e.createTable(ReliabilityWorkload.TABLE, TableMode.UPSERT);
            for (long s = 0; s < 3_000; s += 50) {
                e.write(W.add(WriteBatch.builder(), s, s + 49).build());
            }
            e.flush();
            e.compact();
            for (long s = 3_000; s < 3_200; s += 50) {
                e.write(W.add(WriteBatch.builder(), s, s + 49).build());
            }
            e.flush(); // a second segment, in L0, however small compaction made the first
            e.checkpoint();
            e.write(W.add(WriteBatch.builder(), 3_200, 3_249).build()); // a WAL tail after the checkpoint
        }
    }

    private Path copy(String name) throws Exception {
        Path c = tmp.resolve(name);
        DataDirs.copy(store, c);
        return c;
    }

    private static List<Path> segments(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("tables"))) {
            return s.filter(p -> p.toString().endsWith(".arrow")).sorted().toList();
        }
    }

    private static Finding finding(Report r, Path file) {
        return r.findings().stream()
                .filter(f -> f.file().equals(file))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + file + " in " + r));
    }

    @Test
    void aCleanStoreIsHealthyAndTheCheckChangesNothing() throws Exception {
        Map<Path, Long> before = sizes(store);
        Report r = StoreChecker.check(store);
        assertTrue(r.healthy(), r.toString());
        assertTrue(r.findings().stream().allMatch(f -> f.status() == Status.OK), r.toString());
        List<Path> segs = segments(store);
        assertTrue(segs.size() >= 2, "segments: " + segs);
        for (Path s : segs) {
            assertEquals(Status.OK, finding(r, s).status());
        }
        assertTrue(r.findings().stream().anyMatch(f -> f.file().toString().endsWith(".ckpt")), r.toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.file().getParent().endsWith("wal")), r.toString());
        assertEquals(before, sizes(store));
        try (RiverEngine e = EngineTestUtils.openSmall(store)) {
            assertTrue(e.table(ReliabilityWorkload.TABLE).isPresent()); // and River still opens it
        }
    }

    @Test
    void aFlippedByteInASegmentIsDamageOnThatFile() throws Exception {
        Path dir = copy("flip");
        Path seg = segments(dir).get(0);
        flip(seg, Files.size(seg) / 3);
        Report r = StoreChecker.check(dir);
        assertFalse(r.healthy());
        Finding f = finding(r, seg);
        assertEquals(Status.DAMAGED, f.status(), f.toString());
        assertTrue(f.detail().contains(seg.getFileName().toString()), f.detail());
        assertEquals(
                1,
                r.findings().stream().filter(x -> x.status() == Status.DAMAGED).count(),
                r.toString());
    }

    @Test
    void missingSegmentTornWalTailAndOrphanAreEachNamed() throws Exception {
        Path dir = copy("mixed");
        Path seg = segments(dir).get(0);
        Files.delete(seg);
        Path orphan = seg.resolveSibling("99999.arrow");
        Files.write(orphan, new byte[] {1, 2, 3});
        List<Path> wal;
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            wal = s.sorted().toList();
        }
        Path lastWal = wal.get(wal.size() - 1);
        try (RandomAccessFile f = new RandomAccessFile(lastWal.toFile(), "rw")) {
            f.setLength(f.length() - 5);
        }
        Report r = StoreChecker.check(dir);
        assertEquals(Status.MISSING, finding(r, seg).status());
        assertEquals(Status.ORPHAN, finding(r, orphan).status());
        assertEquals(
                Status.TORN_TAIL,
                finding(r, lastWal).status(),
                finding(r, lastWal).toString());
        assertFalse(r.healthy()); // the missing segment
    }

    @Test
    void aDamagedManifestStopsTheCheckThere() throws Exception {
        Path dir = copy("manifest");
        Path m = dir.resolve("manifest.json");
        flip(m, Files.size(m) / 2);
        Report r = StoreChecker.check(dir);
        assertFalse(r.healthy());
        assertEquals(
                List.of(Status.DAMAGED),
                r.findings().stream().map(Finding::status).toList());
    }

    @Test
    void aDirectoryInUseIsRefused() throws Exception {
        try (RiverEngine e = EngineTestUtils.openSmall(store)) {
            assertThrows(DataDirLockedException.class, () -> StoreChecker.check(store));
        }
    }

    private static void flip(Path file, long at) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    private static Map<Path, Long> sizes(Path dir) throws Exception {
        Map<Path, Long> m = new HashMap<>();
        for (Path p : DataDirs.files(dir)) {
            if (!p.getFileName().toString().equals("LOCK")) {
                m.put(p, Files.size(dir.resolve(p)));
            }
        }
        return m;
    }
}
