package io.river.engine;

import io.river.engine.cache.BlockCache;
import io.river.engine.checkpoint.CheckpointStore;
import io.river.engine.io.DataDir;
import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.manifest.TableEntry;
import io.river.engine.segment.SegmentReader;
import io.river.engine.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The offline scrub of a data directory ({@code river check}): reads every byte River would ever
 * need and checks it against its checksums — the manifest (CRC32C trailer), the checkpoint it names,
 * every block of every segment it lists (CRC32C, then a full decode), and every WAL entry (framing,
 * CRC32C, LSN sequence) — and lists segment files the manifest does not know. It changes nothing:
 * recovery is what cuts a torn WAL tail or removes an orphan. Holds the directory's LOCK while it
 * runs, so it refuses a directory a running River has open. Stateless; one call per check.
 */
public final class StoreChecker {
    /** What a finding says about one file. */
    public enum Status {
        /** Every checksum matches and everything decodes. */
        OK,
        /** The last WAL file ends in a torn or damaged entry: recovery cuts it (never acknowledged). */
        TORN_TAIL,
        /** Damaged: a checksum fails or the bytes do not decode. */
        DAMAGED,
        /** Listed in the manifest but absent. */
        MISSING,
        /** A segment file the manifest does not list (a crash's leftover): recovery deletes it. */
        ORPHAN
    }

    /** One file's verdict. */
    public record Finding(Path file, Status status, String detail) {}

    /** Every finding; {@link #healthy()} when no file is damaged or missing. */
    public record Report(List<Finding> findings) {
        public boolean healthy() {
            return findings.stream().noneMatch(f -> f.status() == Status.DAMAGED || f.status() == Status.MISSING);
        }
    }

    private StoreChecker() {}

    /** Checks the data directory {@code dir}; throws when it is in use or is not a River data directory. */
    public static Report check(Path dir) throws IOException {
        Backup.refuseIfIncomplete(new DataDir(dir));
        if (!Files.isRegularFile(new DataDir(dir).manifest())) {
            throw new IOException(dir + " is not a River data directory (no " + DataDir.MANIFEST + ")");
        }
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dir);
        } catch (DataDirLockedException e) {
            throw new DataDirLockedException("data directory " + dir
                    + " is in use by a running River (LOCK held); stop it first, or check a copy");
        }
        try (lock) {
            return checkLocked(dir);
        }
    }

    private static Report checkLocked(Path root) throws IOException {
        DataDir dir = new DataDir(root);
        List<Finding> out = new ArrayList<>();
        Path manifestFile = dir.manifest();
        Manifest manifest;
        try {
            manifest = ManifestStore.open(root).current();
            out.add(new Finding(
                    manifestFile,
                    Status.OK,
                    "generation " + manifest.generation() + ", "
                            + manifest.tables().size() + " tables"));
        } catch (IOException | RuntimeException e) {
            // Without the manifest nothing else can be judged: River refuses to start on it too.
            out.add(new Finding(manifestFile, Status.DAMAGED, String.valueOf(e.getMessage())));
            return new Report(out);
        }
        if (manifest.checkpoint() != null) {
            CheckpointStore checkpoints = new CheckpointStore(dir.checkpointDir());
            Path file = checkpoints.dir().resolve(manifest.checkpoint().file());
            if (!Files.exists(file)) {
                out.add(new Finding(file, Status.MISSING, "named by the manifest"));
            } else {
                try {
                    var ckpt = checkpoints.read(manifest.checkpoint().file());
                    out.add(new Finding(
                            file,
                            Status.OK,
                            "LSN " + manifest.checkpoint().lsn() + ", "
                                    + ckpt.sections().size() + " sections"));
                } catch (IOException | RuntimeException e) {
                    out.add(new Finding(file, Status.DAMAGED, String.valueOf(e.getMessage())));
                }
            }
        }
        try (BufferAllocator allocator = new RootAllocator(Long.MAX_VALUE);
                BlockCache noCache = new BlockCache(0)) {
            long fileId = 0;
            for (TableEntry table : manifest.tables().values()) {
                for (FileEntry fe : table.allFiles()) {
                    Path file = dir.segment(table.name(), fe.file());
                    if (!Files.exists(file)) {
                        out.add(new Finding(
                                file, Status.MISSING, "listed in level " + fe.level() + " of table " + table.name()));
                        continue;
                    }
                    try (SegmentReader r = SegmentReader.open(file, fileId++, allocator, noCache)) {
                        long rows = r.verify();
                        if (rows != fe.rows()) {
                            out.add(new Finding(file, Status.DAMAGED, rows + " rows; the manifest says " + fe.rows()));
                        } else {
                            out.add(new Finding(file, Status.OK, r.blockCount() + " blocks, " + rows + " rows"));
                        }
                    } catch (IOException | RuntimeException e) {
                        out.add(new Finding(file, Status.DAMAGED, String.valueOf(e.getMessage())));
                    }
                }
            }
        }
        for (Path f : OrphanFiles.find(dir, manifest)) {
            out.add(new Finding(f, Status.ORPHAN, "not in the manifest; removed at start-up"));
        }
        Path walDir = dir.walDir();
        if (Files.isDirectory(walDir)) {
            List<WalReader.FileCheck> wal = WalReader.verify(walDir);
            for (int i = 0; i < wal.size(); i++) {
                WalReader.FileCheck c = wal.get(i);
                String entries = c.entries() + " entries to LSN " + c.lastLsn();
                if (c.problem() == null) {
                    out.add(new Finding(c.file(), Status.OK, entries));
                } else {
                    boolean last = i == wal.size() - 1;
                    out.add(new Finding(
                            c.file(),
                            last ? Status.TORN_TAIL : Status.DAMAGED,
                            entries + "; at byte " + c.validBytes() + " of " + c.size() + ": " + c.problem()));
                }
            }
        }
        return new Report(out);
    }
}
