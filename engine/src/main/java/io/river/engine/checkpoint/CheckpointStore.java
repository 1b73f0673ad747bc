package io.river.engine.checkpoint;

import io.river.engine.io.AtomicFiles;
import io.river.engine.io.DataDir;
import io.river.engine.io.IoFaults;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes and reads checkpoint files in a directory. A checkpoint is written to a temp file,
 * fsynced and renamed ({@link AtomicFiles}); the manifest, updated afterwards, decides which one
 * recovery uses. Stateless apart from the directory; callers serialize writes.
 */
public final class CheckpointStore {
    private final Path dir;

    public CheckpointStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public static String fileName(long lsn) {
        return DataDir.checkpointFileName(lsn);
    }

    public Path dir() {
        return dir;
    }

    /** Writes the checkpoint durably; returns its file name. */
    public String write(long lsn, List<CheckpointSection> sections) throws IOException {
        String name = fileName(lsn);
        Path target = dir.resolve(name);
        Path tmp = DataDir.temp(target);
        IoFaults.check(IoFaults.Op.WRITE, tmp);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            CheckpointFormat.write(out, lsn, sections);
        }
        AtomicFiles.syncFile(tmp);
        AtomicFiles.commit(tmp, target);
        return name;
    }

    public CheckpointFormat.Checkpoint read(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return CheckpointFormat.read(in, file.toString());
        }
    }
}
