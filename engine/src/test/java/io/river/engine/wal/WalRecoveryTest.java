package io.river.engine.wal;

import static io.river.engine.wal.WalTestUtils.assertEntries;
import static io.river.engine.wal.WalTestUtils.copyDir;
import static io.river.engine.wal.WalTestUtils.fileNames;
import static io.river.engine.wal.WalTestUtils.options;
import static io.river.engine.wal.WalTestUtils.payload;
import static io.river.engine.wal.WalTestUtils.replayAll;
import static io.river.engine.wal.WalTestUtils.writeEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRecoveryTest {
    @TempDir
    Path tmp;

    private static final WalOptions ONE_FILE = options(WalSyncPolicy.BATCH, 64L << 20);

    @Test
    void emptyOrMissingDirectoryReplaysNothing() throws IOException {
        WalReader.ReplayResult r = WalReader.replay(tmp.resolve("absent"), 0, e -> {
            throw new AssertionError("no entries expected");
        });
        assertEquals(1, r.nextLsn());
        assertEquals(0, r.lastLsn());
        assertFalse(r.truncated());
        assertEquals(11, WalReader.replay(tmp, 10, e -> {}).nextLsn());
    }

    @Test
    void tornLastEntryAtEveryByteOffsetKeepsEveryEarlierEntry() throws IOException {
        Path pristine = tmp.resolve("pristine");
        writeEntries(pristine, ONE_FILE, 1, 5);
        Path file = pristine.resolve(WalFiles.name(1));
        long before = WalEntryFormat.FILE_HEADER_BYTES;
        for (long lsn = 1; lsn <= 4; lsn++) {
            before += WalEntryFormat.ENTRY_HEADER_BYTES + payload(lsn).length;
        }
        long after = Files.size(file);
        assertEquals(before + WalEntryFormat.ENTRY_HEADER_BYTES + payload(5).length, after);
        assertEntries(replayAll(pristine, 0), 1, 5);

        for (long cut = before; cut < after; cut++) {
            Path dir = tmp.resolve("cut-" + cut);
            copyDir(pristine, dir);
            Path f = dir.resolve(WalFiles.name(1));
            truncate(f, cut);

            List<WalEntry> got = new ArrayList<>();
            WalReader.ReplayResult r = WalReader.replay(dir, 0, got::add);
            assertEntries(got, 1, 4);
            assertEquals(5, r.nextLsn());
            assertEquals(cut != before, r.truncated(), "cut at " + cut);
            if (r.truncated()) {
                assertEquals(before, r.corruption().offset());
                assertEquals(5, r.corruption().lsn());
                assertTrue(r.corruption().lastFile());
            }
            assertEquals(before, Files.size(f), "tail cut back to the last good entry");

            // Appends after recovery continue with the next LSN and read back with the rest.
            try (WalWriter w = WalWriter.open(dir, ONE_FILE, r.nextLsn())) {
                assertEquals(4, w.lastLsn());
                assertEquals(5, w.append(payload(5)));
                assertEquals(6, w.append(payload(6)));
                w.sync();
            }
            WalReader.ReplayResult again = WalReader.replay(dir, 0, e -> {});
            assertFalse(again.truncated());
            assertEntries(replayAll(dir, 0), 1, 6);
        }
    }

    @Test
    void zeroFilledOrGarbageTailIsCutOff() throws IOException {
        writeEntries(tmp, ONE_FILE, 1, 3);
        Path file = tmp.resolve(WalFiles.name(1));
        long good = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(good + 4096); // what a file system may show after a crash: zeros past the data
        }
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> {});
        assertTrue(r.truncated());
        assertEquals(good, Files.size(file));
        assertEquals(4, r.nextLsn());

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(good);
            raf.writeInt(Integer.MAX_VALUE); // a garbage length
            raf.writeInt(0);
            raf.writeLong(4);
        }
        r = WalReader.replay(tmp, 0, e -> {});
        assertTrue(r.truncated());
        assertTrue(r.corruption().reason().contains("length"), r.corruption().reason());
        assertEntries(replayAll(tmp, 0), 1, 3);
    }

    @Test
    void bitFlipAnywhereInAMiddleEntryStopsRecoveryThere() throws IOException {
        Path pristine = tmp.resolve("pristine");
        writeEntries(pristine, ONE_FILE, 1, 10);
        long start = WalEntryFormat.FILE_HEADER_BYTES;
        for (long lsn = 1; lsn < 5; lsn++) {
            start += WalEntryFormat.ENTRY_HEADER_BYTES + payload(lsn).length;
        }
        long end = start + WalEntryFormat.ENTRY_HEADER_BYTES + payload(5).length;
        for (long at = start; at < end; at++) {
            Path dir = tmp.resolve("flip-" + at);
            copyDir(pristine, dir);
            Path f = dir.resolve(WalFiles.name(1));
            flipBit(f, at, at % 8);

            List<WalEntry> got = new ArrayList<>();
            WalReader.ReplayResult r = WalReader.replay(dir, 0, got::add);
            assertEntries(got, 1, 4);
            assertTrue(r.truncated(), "flip at " + at);
            assertEquals(start, r.corruption().offset());
            assertEquals(5, r.corruption().lsn());
            assertEquals(5, r.nextLsn());
            assertEquals(start, Files.size(f));
        }
    }

    @Test
    void corruptionInAnOlderFileSetsLaterFilesAside() throws IOException {
        WalOptions small = options(WalSyncPolicy.BATCH, 512);
        writeEntries(tmp, small, 1, 60);
        List<Path> files = WalFiles.list(tmp);
        assertTrue(files.size() >= 3, "need at least three files, got " + files.size());
        Path first = files.get(0);
        long secondFirst = WalFiles.firstLsn(files.get(1));
        // Damage the payload of the third entry of the first file.
        long at = WalEntryFormat.FILE_HEADER_BYTES;
        for (long lsn = 1; lsn < 3; lsn++) {
            at += WalEntryFormat.ENTRY_HEADER_BYTES + payload(lsn).length;
        }
        long firstSize = Files.size(first);
        flipBit(first, at + WalEntryFormat.ENTRY_HEADER_BYTES + 2, 3);

        List<WalEntry> got = new ArrayList<>();
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, got::add);
        assertEntries(got, 1, 2);
        assertEquals(3, r.nextLsn());
        WalReader.Corruption c = r.corruption();
        assertEquals(first, c.file());
        assertEquals(at, c.offset());
        assertEquals(3, c.lsn());
        assertFalse(c.lastFile());
        assertEquals(List.of(first), WalFiles.list(tmp), "only the repaired first file is live");
        assertEquals(at, Files.size(first));
        // Later files and the damaged tail are kept for inspection, not replayed.
        assertEquals(files.size(), c.setAside().size());
        for (Path p : c.setAside()) {
            assertTrue(Files.exists(p) && p.getFileName().toString().endsWith(".corrupt"), p.toString());
        }
        Path tail = tmp.resolve(first.getFileName() + ".from-" + at + ".corrupt");
        assertEquals(firstSize - at, Files.size(tail));
        assertTrue(fileNames(tmp).contains(WalFiles.name(secondFirst) + ".corrupt"));

        // The WAL goes on from LSN 3, and a second start finds nothing wrong.
        try (WalWriter w = WalWriter.open(tmp, small, r.nextLsn())) {
            assertEquals(3, w.append(payload(3)));
            assertEquals(4, w.append(payload(4)));
        }
        WalReader.ReplayResult again = WalReader.replay(tmp, 0, e -> {});
        assertNull(again.corruption());
        assertEntries(replayAll(tmp, 0), 1, 4);
    }

    @Test
    void tornHeaderOfTheNewestFileIsDeleted() throws IOException {
        WalOptions small = options(WalSyncPolicy.BATCH, 512);
        writeEntries(tmp, small, 1, 20);
        long next = WalReader.replay(tmp, 0, e -> {}).nextLsn();
        Path torn = tmp.resolve(WalFiles.name(next));
        Files.write(torn, java.util.Arrays.copyOf(WalEntryFormat.fileHeader(next), 7));

        WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> {});
        assertTrue(r.truncated());
        assertEquals(next, r.nextLsn());
        assertFalse(Files.exists(torn));
        assertEntries(replayAll(tmp, 0), 1, 20);
    }

    @Test
    void newestFileWithAForeignHeaderIsSetAside() throws IOException {
        writeEntries(tmp, ONE_FILE, 1, 5);
        Path junk = tmp.resolve(WalFiles.name(6));
        Files.write(junk, new byte[100]);
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> {});
        assertTrue(r.truncated());
        assertEquals(6, r.nextLsn());
        assertFalse(Files.exists(junk));
        assertTrue(Files.exists(tmp.resolve(WalFiles.name(6) + ".corrupt")));
        assertEntries(replayAll(tmp, 0), 1, 5);
    }

    @Test
    void replayAfterAnLsnSkipsOlderFilesAndEntries() throws IOException {
        WalOptions small = options(WalSyncPolicy.BATCH, 512);
        writeEntries(tmp, small, 1, 80);
        int files = WalFiles.list(tmp).size();
        List<WalEntry> got = new ArrayList<>();
        WalReader.ReplayResult r = WalReader.replay(tmp, 50, got::add);
        assertEntries(got, 51, 80);
        assertEquals(81, r.nextLsn());
        assertTrue(r.filesRead() < files, r.filesRead() + " of " + files + " files read");
        // Replaying past the end still reports where the log continues.
        assertEquals(81, WalReader.replay(tmp, 80, e -> {}).nextLsn());
        assertEquals(1001, WalReader.replay(tmp, 1000, e -> {}).nextLsn());
    }

    @Test
    void writerRefusesANextLsnBehindTheLog() throws IOException {
        writeEntries(tmp, ONE_FILE, 1, 5);
        // Reopening at 6 created wal-...6 (empty); asking to start at 3 would reuse LSNs.
        try (WalWriter w = WalWriter.open(tmp, ONE_FILE, 6)) {
            assertEquals(5, w.lastLsn());
        }
        assertThrows(IllegalArgumentException.class, () -> WalWriter.open(tmp, ONE_FILE, 3));
    }

    @Test
    void aGapLeftByACheckpointAheadOfTheLogIsReadAcross() throws IOException {
        writeEntries(tmp, ONE_FILE, 1, 5);
        writeEntries(tmp, ONE_FILE, 100, 102); // the engine restarted after a checkpoint at LSN 99
        List<WalEntry> got = new ArrayList<>();
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, got::add);
        assertFalse(r.truncated());
        assertEquals(8, got.size());
        assertEquals(103, r.nextLsn());
        assertEntries(got.subList(5, 8), 100, 102);
    }

    @Test
    void aWellFormedEntryWithTheWrongLsnEndsTheLog() throws IOException {
        writeEntries(tmp, ONE_FILE, 1, 4);
        Path file = tmp.resolve(WalFiles.name(1));
        long good = Files.size(file);
        appendRawEntry(file, 7, payload(7)); // valid CRC, but LSN 5 was due
        appendRawEntry(file, 8, payload(8));
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> {});
        assertTrue(r.truncated());
        assertTrue(
                r.corruption().reason().contains("out of sequence"),
                r.corruption().reason());
        assertEquals(good, r.corruption().offset());
        assertEquals(5, r.nextLsn());
        assertEntries(replayAll(tmp, 0), 1, 4);
    }

    @Test
    void aFileOverlappingItsPredecessorIsSetAside() throws IOException {
        writeEntries(tmp, ONE_FILE, 1, 5);
        Path overlapping = tmp.resolve(WalFiles.name(3));
        Files.write(overlapping, WalEntryFormat.fileHeader(3));
        appendRawEntry(overlapping, 3, payload(3));
        WalReader.ReplayResult r = WalReader.replay(tmp, 0, e -> {});
        assertTrue(r.truncated());
        assertEquals(overlapping, r.corruption().file());
        assertEquals(6, r.nextLsn());
        assertFalse(Files.exists(overlapping));
        assertEntries(replayAll(tmp, 0), 1, 5);
    }

    // ---------------------------------------------------------------------------------- helpers

    private static void appendRawEntry(Path file, long lsn, byte[] payload) throws IOException {
        byte[] frame = new byte[WalEntryFormat.ENTRY_HEADER_BYTES + payload.length];
        WalEntryFormat.putEntryHeader(frame, 0, lsn, payload, 0, payload.length, new java.util.zip.CRC32C());
        System.arraycopy(payload, 0, frame, WalEntryFormat.PAYLOAD_OFFSET, payload.length);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length());
            raf.write(frame);
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    private static void flipBit(Path file, long offset, long bit) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ (1 << bit));
        }
    }
}
