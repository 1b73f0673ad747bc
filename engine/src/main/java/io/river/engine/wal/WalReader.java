package io.river.engine.wal;

import io.river.engine.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the WAL at start-up and repairs its end, so that {@link WalWriter} appends after valid
 * data only.
 *
 * <p>Files are read oldest first; a file is skipped unread when the next file's first LSN shows
 * that all its entries are {@code <= afterLsn}. Entries are checked in order (length within the
 * file, CRC32C, LSN exactly one more than the previous) and every valid entry with
 * {@code lsn > afterLsn} goes to the consumer. The first invalid entry ends the log
 * (point-in-time recovery: nothing after a damaged entry can be trusted to be in order):
 * <ul>
 *   <li>in the last file (a torn write from a crash, or any damage there): the file is truncated
 *       at the end of the last good entry, and one WARN line names the file, LSN and byte offset;</li>
 *   <li>in an older file: every later file is renamed to {@code <name>.corrupt} (first, so a crash
 *       during the repair leaves a state the next replay handles the same way), the damaged file's
 *       bytes from the bad entry on are copied to {@code <name>.from-<offset>.corrupt}, and the file
 *       is truncated there; nothing of the set-aside files is replayed;</li>
 *   <li>a damaged file header: a last file no longer than a header (a creation cut short) is
 *       deleted; otherwise the file (and every later one) is set aside as {@code .corrupt}.</li>
 * </ul>
 * Damage is never thrown: it is logged, repaired and described in {@link ReplayResult#corruption()}.
 * Only real I/O errors (and exceptions from the consumer) propagate. Set-aside files stay for an
 * operator to inspect; the WAL never reads or deletes them.
 *
 * <p>Not thread-safe against a concurrent {@link WalWriter} on the same directory: run it before
 * opening the writer. Payload arrays handed to the consumer are fresh and owned by it.
 */
public final class WalReader {
    private static final Logger LOG = LoggerFactory.getLogger(WalReader.class);

    /**
     * What a replay found. {@code nextLsn} is the LSN the writer should continue with: above every
     * valid entry, at least the first LSN of the last file, and above {@code afterLsn}.
     */
    public record ReplayResult(long nextLsn, long entriesReplayed, int filesRead, Corruption corruption) {
        /** The highest LSN in use ({@code nextLsn - 1}). */
        public long lastLsn() {
            return nextLsn - 1;
        }

        /** True if damage was found and the log was cut there. */
        public boolean truncated() {
            return corruption != null;
        }
    }

    /**
     * Where the log was cut: the file, the byte offset of the first bad entry (0 for a bad file
     * header), the LSN that entry should have had, why, whether it was the last file (a torn tail)
     * and the files moved aside as {@code .corrupt} (or deleted, for a torn header).
     */
    public record Corruption(Path file, long offset, long lsn, String reason, boolean lastFile, List<Path> setAside) {}

    private WalReader() {}

    /** Replays every valid entry with {@code lsn > afterLsn} in LSN order; see the class comment. */
    public static ReplayResult replay(Path walDir, long afterLsn, Consumer<WalEntry> consumer) throws IOException {
        List<Path> files = WalFiles.list(walDir);
        long nextLsn = Math.max(1, afterLsn + 1);
        long entries = 0;
        int read = 0;
        long prevLast = -1; // last LSN of the previous file when it was read, else -1
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            boolean last = i == files.size() - 1;
            long first = WalFiles.firstLsn(file);
            if (!last && WalFiles.firstLsn(files.get(i + 1)) - 1 <= afterLsn) {
                prevLast = -1;
                continue;
            }
            if (prevLast >= 0 && first <= prevLast) {
                Corruption c = setAsideFrom(
                        files,
                        i,
                        first,
                        "file starts at LSN " + first + " but the previous file already reached LSN " + prevLast,
                        last);
                return new ReplayResult(nextLsn, entries, read, c);
            }
            if (prevLast >= 0 && first > prevLast + 1) {
                LOG.warn("WAL gap: {} starts at LSN {} but the previous file ends at LSN {}", file, first, prevLast);
            }
            FileScan scan = scan(file, first, afterLsn, consumer);
            read++;
            entries += scan.delivered;
            if (scan.goodEnd >= WalEntryFormat.FILE_HEADER_BYTES) {
                prevLast = scan.lastLsn;
                nextLsn = Math.max(nextLsn, scan.lastLsn + 1);
            }
            if (scan.problem != null) {
                Corruption c = repair(files, i, scan, nextLsn - 1);
                return new ReplayResult(nextLsn, entries, read, c);
            }
        }
        return new ReplayResult(nextLsn, entries, read, null);
    }

    /** What a read-only check of one WAL file found: its valid entries and the first problem, if any. */
    public record FileCheck(Path file, long entries, long lastLsn, long validBytes, long size, String problem) {}

    /**
     * Reads every WAL file of {@code walDir} and checks every entry's framing, CRC and LSN sequence
     * without changing anything (recovery, in {@link #replay}, is what cuts a damaged tail).
     */
    public static List<FileCheck> verify(Path walDir) throws IOException {
        List<FileCheck> out = new ArrayList<>();
        for (Path file : WalFiles.list(walDir)) {
            long first = WalFiles.firstLsn(file);
            FileScan s = scan(file, first, 0, entry -> {});
            long entries = Math.max(0, s.lastLsn - first + 1);
            out.add(new FileCheck(file, entries, s.lastLsn, s.problem == null ? s.size : s.goodEnd, s.size, s.problem));
        }
        return out;
    }

    /** Result of reading one file: entries delivered, last valid LSN, end of valid data, first problem. */
    private static final class FileScan {
        final Path file;
        final long size;
        long delivered;
        long lastLsn;
        long goodEnd;
        long badLsn;
        String problem;

        FileScan(Path file, long size, long firstLsn) {
            this.file = file;
            this.size = size;
            this.lastLsn = firstLsn - 1;
            this.badLsn = firstLsn;
        }
    }

    private static FileScan scan(Path file, long first, long afterLsn, Consumer<WalEntry> consumer) throws IOException {
        long size = Files.size(file);
        FileScan s = new FileScan(file, size, first);
        if (size < WalEntryFormat.FILE_HEADER_BYTES) {
            s.problem = "file is shorter than its header (" + size + " bytes)";
            return s;
        }
        CRC32C crc = new CRC32C();
        byte[] scratch = new byte[4096];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] header = new byte[WalEntryFormat.FILE_HEADER_BYTES];
            in.readFully(header);
            s.problem = WalEntryFormat.checkFileHeader(header, first);
            if (s.problem != null) {
                return s;
            }
            long off = WalEntryFormat.FILE_HEADER_BYTES;
            long expected = first;
            byte[] eh = new byte[WalEntryFormat.ENTRY_HEADER_BYTES];
            while (off < size) {
                s.goodEnd = off;
                s.badLsn = expected;
                if (size - off < WalEntryFormat.ENTRY_HEADER_BYTES) {
                    s.problem = "torn entry header (" + (size - off) + " of " + WalEntryFormat.ENTRY_HEADER_BYTES
                            + " bytes)";
                    return s;
                }
                in.readFully(eh);
                int len = WalEntryFormat.getInt(eh, WalEntryFormat.LENGTH_OFFSET);
                int storedCrc = WalEntryFormat.getInt(eh, WalEntryFormat.CRC_OFFSET);
                long lsn = WalEntryFormat.getLong(eh, WalEntryFormat.LSN_OFFSET);
                if (len < 0 || len > WalEntryFormat.MAX_PAYLOAD_BYTES) {
                    s.problem = "impossible entry length " + len;
                    return s;
                }
                if (len > size - off - WalEntryFormat.ENTRY_HEADER_BYTES) {
                    s.problem = "entry length " + len + " runs past the end of the file (torn write)";
                    return s;
                }
                boolean deliver = lsn > afterLsn;
                byte[] payload = deliver || len > scratch.length ? new byte[len] : scratch;
                in.readFully(payload, 0, len);
                if (WalEntryFormat.entryCrc(crc, lsn, payload, 0, len) != storedCrc) {
                    s.problem = "CRC mismatch";
                    return s;
                }
                if (lsn != expected) {
                    s.problem = "LSN " + lsn + " out of sequence";
                    return s;
                }
                if (deliver) {
                    consumer.accept(new WalEntry(lsn, payload));
                    s.delivered++;
                }
                s.lastLsn = lsn;
                expected++;
                off += WalEntryFormat.ENTRY_HEADER_BYTES + len;
            }
            s.goodEnd = size;
            return s;
        }
    }

    private static Corruption repair(List<Path> files, int i, FileScan scan, long lastGood) throws IOException {
        boolean last = i == files.size() - 1;
        if (scan.goodEnd < WalEntryFormat.FILE_HEADER_BYTES) {
            if (last && scan.size <= WalEntryFormat.FILE_HEADER_BYTES) {
                Files.delete(scan.file);
                AtomicFiles.syncDirectory(scan.file.toAbsolutePath().getParent());
                LOG.warn(
                        "WAL file {} has a torn header ({}); deleted it (LSN {}, byte offset 0); replay ends at LSN {}",
                        scan.file,
                        scan.problem,
                        scan.badLsn,
                        lastGood);
                return new Corruption(scan.file, 0, scan.badLsn, scan.problem, true, List.of(scan.file));
            }
            return setAsideFrom(files, i, scan.badLsn, scan.problem, last);
        }
        if (last) {
            truncate(scan.file, scan.goodEnd);
            LOG.warn(
                    "WAL tail cut: {} at byte offset {} (LSN {}): {}; {} bytes discarded, replay ends at LSN {}",
                    scan.file,
                    scan.goodEnd,
                    scan.badLsn,
                    scan.problem,
                    scan.size - scan.goodEnd,
                    lastGood);
            return new Corruption(scan.file, scan.goodEnd, scan.badLsn, scan.problem, true, List.of());
        }
        List<Path> aside = new ArrayList<>();
        for (int j = i + 1; j < files.size(); j++) {
            aside.add(WalFiles.setAside(files.get(j)));
        }
        AtomicFiles.syncDirectory(scan.file.toAbsolutePath().getParent());
        Path tail = WalFiles.corruptPath(scan.file, ".from-" + scan.goodEnd);
        try (FileChannel src = FileChannel.open(scan.file, StandardOpenOption.READ);
                FileChannel dst = FileChannel.open(tail, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = scan.goodEnd;
            while (pos < scan.size) {
                pos += src.transferTo(pos, scan.size - pos, dst);
            }
            dst.force(true);
        }
        aside.add(tail);
        truncate(scan.file, scan.goodEnd);
        AtomicFiles.syncDirectory(scan.file.toAbsolutePath().getParent());
        LOG.warn(
                "WAL corruption in older file {} at byte offset {} (LSN {}): {}; truncated there and set aside {}; "
                        + "replay ends at LSN {}",
                scan.file,
                scan.goodEnd,
                scan.badLsn,
                scan.problem,
                aside,
                lastGood);
        return new Corruption(scan.file, scan.goodEnd, scan.badLsn, scan.problem, false, aside);
    }

    /** Sets aside files[i..] as {@code .corrupt} because files[i] cannot be read from its start. */
    private static Corruption setAsideFrom(List<Path> files, int i, long lsn, String reason, boolean last)
            throws IOException {
        List<Path> aside = new ArrayList<>();
        for (int j = i; j < files.size(); j++) {
            aside.add(WalFiles.setAside(files.get(j)));
        }
        AtomicFiles.syncDirectory(files.get(i).toAbsolutePath().getParent());
        LOG.warn(
                "WAL file {} is unreadable from byte offset 0 (LSN {}): {}; set aside {}",
                files.get(i),
                lsn,
                reason,
                aside);
        return new Corruption(files.get(i), 0, lsn, reason, last, aside);
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
            raf.getFD().sync();
        }
    }
}
