package io.river.engine;

import io.river.engine.io.AtomicFiles;
import io.river.engine.io.DataDir;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.TableVersion;
import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.manifest.TableEntry;
import io.river.engine.wal.WalWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A hot backup of a running engine into an empty directory, in these steps:
 *
 * <ol>
 *   <li>write the {@code BACKUP-INCOMPLETE} marker into the target (fsynced), so a backup cut short by a
 *       crash can never be opened as a data directory ({@link #refuseIfIncomplete});</li>
 *   <li>fsync the WAL, so everything acknowledged so far is in it;</li>
 *   <li>under the structure lock (held only as long as a manifest edit; writes go on): take the
 *       manifest, pin every table's current version (so compaction deletes none of its files),
 *       open the checkpoint it names and every WAL file at its present length;</li>
 *   <li>hard-link each segment file (copy where links are refused, e.g. across file systems),
 *       copy the checkpoint, and copy each WAL file up to the recorded length;</li>
 *   <li>fsync every file and directory, then write the manifest last, atomically;</li>
 *   <li>remove the marker and fsync the directory.</li>
 * </ol>
 *
 * The result is a normal data directory at one point of the log: opening it recovers every write
 * acknowledged before the backup began (and possibly a few after, always a prefix of the log).
 * Segment files are immutable, so a hard link is a safe copy. Thread-safe (one backup at a time).
 */
final class Backup {
    private final EngineState state;

    Backup(EngineState state) {
        this.state = state;
    }

    /** What a backup wrote: the manifest generation it holds, files and bytes, and how many were linked. */
    record Result(Path target, long generation, int files, long bytes, int linked) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", target.toString());
            m.put("manifestGeneration", generation);
            m.put("files", files);
            m.put("bytes", bytes);
            m.put("hardLinked", linked);
            return m;
        }
    }

    synchronized Result to(Path targetRoot) throws IOException {
        DataDir target = new DataDir(targetRoot.toAbsolutePath().normalize());
        checkTarget(target);
        Files.createDirectories(target.root());
        AtomicFiles.write(target.backupIncomplete(), markerText().getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(target.tablesDir());
        Files.createDirectories(target.walDir());
        Files.createDirectories(target.checkpointDir());
        state.sync();
        Snapshot snap = state.versions().locked(this::snapshot);
        try {
            Result result = copy(snap, target);
            ManifestStore.writeTo(target.root(), snap.manifest);
            AtomicFiles.syncDirectory(target.root());
            Files.delete(target.backupIncomplete());
            AtomicFiles.syncDirectory(target.root());
            return result;
        } finally {
            snap.close();
        }
    }

    /**
     * Throws when {@code dir} holds an unfinished backup (the process writing it died): opening it would
     * serve a partial copy, so the engine and {@code river check} refuse it with this message.
     */
    static void refuseIfIncomplete(DataDir dir) throws IOException {
        if (Files.exists(dir.backupIncomplete())) {
            throw new IOException(dir.root() + " holds a backup that did not finish (" + DataDir.BACKUP_INCOMPLETE
                    + " is present): it is not a data directory; delete it and take the backup again");
        }
    }

    private String markerText() {
        return "hot backup of " + state.dataDir().root() + " started " + Instant.now()
                + "; this file is removed when the backup is complete\n";
    }

    private void checkTarget(DataDir target) throws IOException {
        if (target.root().startsWith(state.dataDir().root())) {
            throw new IllegalArgumentException("backup target " + target.root() + " is inside the data directory");
        }
        if (Files.exists(target.root())) {
            try (Stream<Path> entries = Files.list(target.root())) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("backup target " + target.root() + " is not empty");
                }
            }
        }
    }

    /** The manifest, pinned table versions and open checkpoint and WAL files, at one moment. */
    private static final class Snapshot implements AutoCloseable {
        Manifest manifest;
        final List<TableVersion> pinned = new ArrayList<>();
        FileChannel checkpoint;
        long checkpointBytes;
        List<WalWriter.SnapshotFile> wal = List.of();

        @Override
        public void close() throws IOException {
            for (TableVersion v : pinned) {
                v.release();
            }
            if (checkpoint != null) {
                checkpoint.close();
            }
            for (WalWriter.SnapshotFile f : wal) {
                f.close();
            }
        }
    }

    /** Step 2, under the structure lock. */
    private Snapshot snapshot() throws IOException {
        Snapshot snap = new Snapshot();
        try {
            snap.manifest = state.versions().current();
            for (LsmTable t : state.tables()) {
                snap.pinned.add(t.acquire());
            }
            Manifest.CheckpointRef ref = snap.manifest.checkpoint();
            if (ref != null) {
                Path file = state.dataDir().checkpointDir().resolve(ref.file());
                snap.checkpoint = FileChannel.open(file, StandardOpenOption.READ);
                snap.checkpointBytes = snap.checkpoint.size();
            }
            snap.wal = state.wal().snapshot();
            return snap;
        } catch (IOException | RuntimeException e) {
            snap.close();
            throw e;
        }
    }

    /** Step 3 and the fsyncs of step 4. */
    private Result copy(Snapshot snap, DataDir target) throws IOException {
        int files = 0;
        int linked = 0;
        long bytes = 0;
        for (TableEntry te : snap.manifest.tables().values()) {
            Files.createDirectories(target.tableDir(te.name()));
            for (FileEntry fe : te.allFiles()) {
                Path from = state.dataDir().segment(te.name(), fe.file());
                Path to = target.segment(te.name(), fe.file());
                linked += linkOrCopy(from, to) ? 1 : 0;
                files++;
                bytes += fe.sizeBytes();
            }
            AtomicFiles.syncDirectory(target.tableDir(te.name()));
        }
        if (snap.checkpoint != null) {
            copyPrefix(
                    snap.checkpoint,
                    snap.checkpointBytes,
                    target.checkpointDir().resolve(snap.manifest.checkpoint().file()));
            files++;
            bytes += snap.checkpointBytes;
        }
        for (WalWriter.SnapshotFile f : snap.wal) {
            copyPrefix(f.channel(), f.bytes(), target.walDir().resolve(f.name()));
            files++;
            bytes += f.bytes();
        }
        AtomicFiles.syncDirectory(target.tablesDir());
        AtomicFiles.syncDirectory(target.checkpointDir());
        AtomicFiles.syncDirectory(target.walDir());
        return new Result(target.root(), snap.manifest.generation(), files, bytes, linked);
    }

    /** Hard-links {@code from} as {@code to}, or copies and fsyncs it where the file system refuses; true if linked. */
    private static boolean linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
            return true;
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(from, to);
            AtomicFiles.syncFile(to);
            return false;
        }
    }

    /** Copies the first {@code bytes} of an open file into a new file, fsynced. */
    private static void copyPrefix(FileChannel from, long bytes, Path to) throws IOException {
        try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < bytes) {
                long n = from.transferTo(done, bytes - done, out);
                if (n <= 0) {
                    throw new IOException("copying " + to.getFileName() + " stopped at byte " + done + " of " + bytes);
                }
                done += n;
            }
            out.force(true);
        }
    }
}
