package io.river.engine;

import io.river.engine.io.DataDir;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive hold of a data directory: an OS file lock on {@code <dir>/LOCK}, so that one process
 * (the engine, or {@code river check}) has the directory at a time. The kernel drops the lock when
 * the process dies, so a crash never leaves the directory locked. {@link #close()} releases it.
 * Not thread-safe; owned by whoever acquired it.
 */
final class DataDirLock implements Closeable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (creating the LOCK file if needed), or throws
     * {@link DataDirLockedException} naming the directory when another process holds it.
     */
    static DataDirLock acquire(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(new DataDir(dir).lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock fl;
        try {
            fl = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            fl = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (fl == null) {
            ch.close();
            throw new DataDirLockedException(
                    "data directory " + dir + " is in use by another River process (LOCK held)");
        }
        return new DataDirLock(ch, fl);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
