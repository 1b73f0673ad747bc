package io.river.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way River replaces a small file that must survive a crash (manifest, checkpoint
 * pointers): write {@code name.tmp}, fsync it, rename it over {@code name} atomically, fsync the
 * directory. A crash at any point leaves either the old file or the new one, never a mix; a
 * leftover {@code .tmp} is garbage that start-up deletes. Stateless and thread-safe (callers
 * serialize writes to one path).
 */
public final class AtomicFiles {
    /** Suffix of files being written; never read by recovery. */
    public static final String TMP_SUFFIX = ".tmp";

    private AtomicFiles() {}

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = DataDir.temp(target);
        IoFaults.check(IoFaults.Op.WRITE, tmp);
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            IoFaults.check(IoFaults.Op.FSYNC, tmp);
            ch.force(true);
        }
        commit(tmp, target);
    }

    /** Renames an already fsynced temp file over the target and fsyncs the directory. */
    public static void commit(Path tmp, Path target) throws IOException {
        IoFaults.check(IoFaults.Op.RENAME, target);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system cannot rename atomically: " + target.getParent(), e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Fsyncs a file's contents and metadata. */
    public static void syncFile(Path file) throws IOException {
        IoFaults.check(IoFaults.Op.FSYNC, file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Fsyncs a directory so that renames and creations in it are durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories for sync; nothing more can be done there.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }
}
