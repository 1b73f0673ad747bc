package io.river.engine.wal;

import io.river.engine.io.AtomicFiles;
import io.river.engine.io.IoFaults;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.EngineClosedException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends entries to River's write-ahead log and makes them durable with group commit.
 *
 * <p>Call sequence (what {@code RiverEngine} does):
 * <pre>{@code
 * WalReader.ReplayResult r = WalReader.replay(walDir, checkpointLsn, entry -> apply(entry));  // repairs a torn tail
 * WalWriter wal = WalWriter.open(walDir, options, Math.max(r.nextLsn(), lastLsnKnownElsewhere + 1));
 * long lsn = wal.append(WriteBatchCodec.encode(batch));   // in LSN order, under the caller's write lock if it needs
 * one
 * wal.awaitDurable(lsn);                                   // BATCH: before acknowledging; ALWAYS: returns at once
 * wal.sync();                                              // INTERVAL / preCommit: everything appended so far
 * wal.deleteFilesUpTo(lsnInSegmentsOrCheckpoint);          // after a flush or checkpoint
 * wal.close();                                             // fsyncs what is left
 * }</pre>
 *
 * <p>Files are {@code wal-<first LSN>.log} (layout in {@link WalEntryFormat}); {@link #open} always
 * starts a new file at {@code nextLsn} (or reuses an empty one that starts there), and
 * {@link #append} rolls to a new file once the current one has reached
 * {@link WalOptions#fileMaxBytes()}; the old file is fsynced before the new one is written, and
 * every new file's creation is made durable by fsyncing the directory.
 *
 * <p>Thread-safety: all methods may be called from any thread. Appends are serialized by one lock
 * and get consecutive LSNs in call order. Durability is group commit by leader/follower: a thread
 * in {@link #awaitDurable} whose entry is not yet durable either becomes the one syncing thread
 * (it fsyncs everything appended up to then, without holding the append lock, so appends go on
 * meanwhile) or waits for the running fsync and re-checks. I/O goes through
 * {@link RandomAccessFile} and {@link java.io.FileDescriptor#sync()}, which an interrupt cannot
 * close (a {@code FileChannel} would be closed for every thread by one interrupted writer).
 *
 * <p>Durability and failure: an entry is durable once {@link #syncedLsn()} has reached its LSN.
 * After any failed write or fsync the writer refuses all further work (every call throws): after a
 * failed fsync the kernel may have dropped dirty pages, so nothing written since the last good
 * fsync may be reported durable; recovery sorts it out on the next start. Payload arrays are only
 * read during {@link #append}; the caller keeps ownership.
 */
public final class WalWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WalWriter.class);
    /** Payloads up to this size are copied behind their header and written with one system call. */
    private static final int COPY_LIMIT = 64 << 10;

    private final Path dir;
    private final WalOptions options;
    private final EngineMetrics metrics;
    private final ScheduledExecutorService intervalSyncer;

    private final ReentrantLock appendLock = new ReentrantLock();
    /** @GuardedBy appendLock */
    private final CRC32C crc = new CRC32C();
    /** @GuardedBy appendLock */
    private byte[] frame = new byte[WalEntryFormat.ENTRY_HEADER_BYTES + 4096];
    /** @GuardedBy appendLock */
    private WalFile current;
    /** @GuardedBy appendLock: first LSN -> size of every live file before the current one. */
    private final NavigableMap<Long, Long> olderFiles = new TreeMap<>();
    /** @GuardedBy appendLock */
    private boolean closed;
    /** Serializes {@link #deleteFilesUpTo}. */
    private final Object deleteLock = new Object();
    /** Written under appendLock. */
    private volatile long lastLsn;

    private final Object syncMonitor = new Object();
    /** @GuardedBy syncMonitor: true while one thread (the leader) runs an fsync for waiters. */
    private boolean syncing;
    /** Written under syncMonitor; only grows. */
    private volatile long syncedLsn;
    /** The first I/O failure; once set, the writer is unusable. */
    private volatile IOException failure;

    private WalWriter(Path dir, WalOptions options, WalFile current, long lastLsn, Map<Long, Long> olderFiles) {
        this.dir = dir;
        this.olderFiles.putAll(olderFiles);
        this.options = options;
        this.metrics = options.metrics();
        this.current = current;
        this.lastLsn = lastLsn;
        this.syncedLsn = lastLsn;
        metrics.syncedLsn.accumulateAndGet(lastLsn, Math::max);
        if (options.syncPolicy() == WalSyncPolicy.INTERVAL) {
            intervalSyncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "river-wal-sync");
                t.setDaemon(true);
                return t;
            });
            intervalSyncer.scheduleWithFixedDelay(
                    this::intervalSync, options.syncIntervalMs(), options.syncIntervalMs(), TimeUnit.MILLISECONDS);
        } else {
            intervalSyncer = null;
        }
    }

    /**
     * Opens the WAL in {@code dir} (created if missing) for appends starting at {@code nextLsn}.
     * Call {@link WalReader#replay} first: it cuts off a torn tail, and {@code nextLsn} must be at
     * least its {@link WalReader.ReplayResult#nextLsn()}. Every existing WAL file is fsynced first
     * (a crashed process may have left writes in the page cache only), so every entry before
     * {@code nextLsn} counts as durable.
     */
    public static WalWriter open(Path dir, WalOptions options, long nextLsn) throws IOException {
        Objects.requireNonNull(options, "options");
        if (nextLsn < 1) {
            throw new IllegalArgumentException("nextLsn must be >= 1: " + nextLsn);
        }
        Files.createDirectories(dir);
        List<Path> files = WalFiles.list(dir);
        WalFile current = null;
        Map<Long, Long> older = new TreeMap<>();
        for (Path f : files) {
            AtomicFiles.syncFile(f);
            older.put(WalFiles.firstLsn(f), Files.size(f));
        }
        if (!files.isEmpty()) {
            Path last = files.get(files.size() - 1);
            long first = WalFiles.firstLsn(last);
            if (first > nextLsn || (first == nextLsn && Files.size(last) != WalEntryFormat.FILE_HEADER_BYTES)) {
                throw new IllegalArgumentException("next LSN " + nextLsn + " is behind WAL file " + last
                        + ": replay the WAL first and continue after its last entry");
            }
            if (first == nextLsn) {
                current = WalFile.openEmpty(last, first);
            }
        }
        if (current == null) {
            current = WalFile.create(dir, nextLsn, options.metrics());
        }
        older.remove(current.firstLsn);
        AtomicFiles.syncDirectory(dir);
        LOG.debug(
                "WAL {} open at {} (next LSN {}, sync {})",
                dir,
                current.path.getFileName(),
                nextLsn,
                options.syncPolicy().configName());
        return new WalWriter(dir, options, current, nextLsn - 1, older);
    }

    /**
     * Appends one entry and returns its LSN. The entry is in the OS page cache on return; with
     * {@link WalSyncPolicy#ALWAYS} it is also fsynced (on its own) before this returns.
     */
    public long append(byte[] payload) throws IOException {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > WalEntryFormat.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("WAL entry of " + payload.length + " bytes exceeds the limit of "
                    + WalEntryFormat.MAX_PAYLOAD_BYTES);
        }
        appendLock.lock();
        try {
            checkWritable();
            if (current.size >= options.fileMaxBytes() && current.size > WalEntryFormat.FILE_HEADER_BYTES) {
                roll();
            }
            long lsn = lastLsn + 1;
            try {
                writeEntry(current, lsn, payload);
            } catch (IOException e) {
                throw fail("append of LSN " + lsn + " to " + current.path, e);
            }
            lastLsn = lsn;
            if (options.syncPolicy() == WalSyncPolicy.ALWAYS) {
                try {
                    timedSync(current);
                } catch (IOException e) {
                    throw fail("fsync of " + current.path, e);
                }
                advanceSynced(lsn);
            }
            return lsn;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Blocks until an fsync covering {@code lsn} has completed (whatever the policy). Concurrent
     * callers share fsyncs: one leads, the others wait for it and usually find themselves covered.
     */
    public void awaitDurable(long lsn) throws IOException {
        if (lsn <= syncedLsn) {
            return;
        }
        if (lsn > lastLsn) {
            throw new IllegalArgumentException("LSN " + lsn + " has not been appended (last is " + lastLsn + ")");
        }
        while (true) {
            synchronized (syncMonitor) {
                while (true) {
                    if (syncedLsn >= lsn) {
                        return;
                    }
                    checkFailed();
                    if (!syncing) {
                        syncing = true;
                        break;
                    }
                    try {
                        syncMonitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for WAL fsync of LSN " + lsn);
                    }
                }
            }
            long reached = 0;
            try {
                reached = syncAppended();
            } finally {
                synchronized (syncMonitor) {
                    syncing = false;
                    advanceSynced(reached);
                }
            }
        }
    }

    /**
     * Fsyncs everything appended before this call (joining a running fsync if one covers it); returns {@link
     * #syncedLsn()}.
     */
    public long sync() throws IOException {
        long target = lastLsn;
        if (target > syncedLsn) {
            awaitDurable(target);
        }
        checkFailed();
        return syncedLsn;
    }

    /** Highest LSN known to be fsynced. */
    public long syncedLsn() {
        return syncedLsn;
    }

    /** Highest LSN appended (durable or not); {@code nextLsn - 1} right after {@link #open}. */
    public long lastLsn() {
        return lastLsn;
    }

    /** Number of live WAL files (the current one included). */
    public int fileCount() {
        appendLock.lock();
        try {
            return olderFiles.size() + 1;
        } finally {
            appendLock.unlock();
        }
    }

    /** Total size in bytes of the live WAL files. */
    public long totalBytes() {
        appendLock.lock();
        try {
            long total = current.size;
            for (long size : olderFiles.values()) {
                total += size;
            }
            return total;
        } finally {
            appendLock.unlock();
        }
    }

    /** One WAL file held open for a backup: its name and its bytes at the moment of {@link #snapshot}. */
    public record SnapshotFile(String name, FileChannel channel, long bytes) implements Closeable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Opens every live WAL file for reading and records its current length, all at one moment
     * (appends and deletions wait meanwhile), so a backup copies a prefix of the log even if a file
     * is deleted or grows while it copies. The caller closes the files.
     */
    public List<SnapshotFile> snapshot() throws IOException {
        synchronized (deleteLock) {
            appendLock.lock();
            List<SnapshotFile> out = new ArrayList<>();
            try {
                for (Map.Entry<Long, Long> f : olderFiles.entrySet()) {
                    String name = WalFiles.name(f.getKey());
                    out.add(new SnapshotFile(
                            name, FileChannel.open(dir.resolve(name), StandardOpenOption.READ), f.getValue()));
                }
                out.add(new SnapshotFile(
                        current.path.getFileName().toString(),
                        FileChannel.open(current.path, StandardOpenOption.READ),
                        current.size));
                return out;
            } catch (IOException | RuntimeException e) {
                for (SnapshotFile f : out) {
                    f.close();
                }
                throw e;
            } finally {
                appendLock.unlock();
            }
        }
    }

    /**
     * Deletes the WAL files, oldest first, whose entries all have LSNs {@code <= lsn} (a file's last
     * LSN is the next file's first minus one). The current file is never deleted. Returns how many
     * files went. Appends go on meanwhile; files set aside as {@code *.corrupt} are left for an
     * operator.
     */
    public int deleteFilesUpTo(long lsn) throws IOException {
        synchronized (deleteLock) {
            List<Long> doomed = new ArrayList<>();
            appendLock.lock();
            try {
                Long first = olderFiles.isEmpty() ? null : olderFiles.firstKey();
                while (first != null) {
                    Long next = olderFiles.higherKey(first);
                    long lastInFile = (next != null ? next : current.firstLsn) - 1;
                    if (lastInFile > lsn) {
                        break;
                    }
                    doomed.add(first);
                    first = next;
                }
            } finally {
                appendLock.unlock();
            }
            int deleted = 0;
            try {
                for (long first : doomed) {
                    Files.deleteIfExists(dir.resolve(WalFiles.name(first)));
                    deleted++;
                }
            } finally {
                appendLock.lock();
                try {
                    for (int i = 0; i < deleted; i++) {
                        olderFiles.remove(doomed.get(i));
                    }
                } finally {
                    appendLock.unlock();
                }
            }
            if (deleted > 0) {
                AtomicFiles.syncDirectory(dir);
                LOG.debug("deleted {} WAL file(s) up to LSN {}", deleted, lsn);
            }
            return deleted;
        }
    }

    /** Stops the interval syncer, fsyncs what was appended and closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (intervalSyncer != null) {
            intervalSyncer.shutdown();
            try {
                intervalSyncer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        IOException error = null;
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (failure == null && lastLsn > syncedLsn) {
                try {
                    timedSync(current);
                    advanceSynced(lastLsn);
                } catch (IOException e) {
                    error = fail("final fsync of " + current.path, e);
                }
            }
            current.retire();
        } finally {
            appendLock.unlock();
        }
        if (error != null) {
            throw error;
        }
    }

    // ------------------------------------------------------------------------------ internals

    /** The leader's fsync: captures what is appended, then syncs without holding the append lock. */
    private long syncAppended() throws IOException {
        WalFile f;
        long target;
        appendLock.lock();
        try {
            checkFailed();
            f = current;
            target = lastLsn;
        } finally {
            appendLock.unlock();
        }
        if (target <= syncedLsn) {
            return target;
        }
        try {
            timedSync(f);
        } catch (IOException e) {
            if (!f.retired) {
                throw fail("fsync of " + f.path, e);
            }
            // A roll or close fsynced and closed this file under us; if that fsync failed, say so.
            checkFailed();
        }
        return target;
    }

    /** Caller holds appendLock. Fsyncs the full file, then starts the next at {@code lastLsn + 1}. */
    private void roll() throws IOException {
        WalFile old = current;
        try {
            timedSync(old);
        } catch (IOException e) {
            throw fail("fsync of " + old.path + " before roll-over", e);
        }
        advanceSynced(lastLsn);
        try {
            current = WalFile.create(dir, lastLsn + 1, metrics);
            olderFiles.put(old.firstLsn, old.size);
            AtomicFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw fail("roll-over to a new WAL file at LSN " + (lastLsn + 1), e);
        }
        old.retire();
    }

    /** Caller holds appendLock. */
    private void writeEntry(WalFile f, long lsn, byte[] payload) throws IOException {
        IoFaults.check(IoFaults.Op.WRITE, f.path);
        int n = payload.length;
        if (n <= COPY_LIMIT) {
            int total = WalEntryFormat.ENTRY_HEADER_BYTES + n;
            if (frame.length < total) {
                frame = new byte
                        [Math.max(total, Math.min(frame.length * 2, WalEntryFormat.ENTRY_HEADER_BYTES + COPY_LIMIT))];
            }
            WalEntryFormat.putEntryHeader(frame, 0, lsn, payload, 0, n, crc);
            System.arraycopy(payload, 0, frame, WalEntryFormat.PAYLOAD_OFFSET, n);
            f.raf.write(frame, 0, total);
        } else {
            WalEntryFormat.putEntryHeader(frame, 0, lsn, payload, 0, n, crc);
            f.raf.write(frame, 0, WalEntryFormat.ENTRY_HEADER_BYTES);
            f.raf.write(payload);
        }
        f.size += WalEntryFormat.ENTRY_HEADER_BYTES + n;
    }

    private void timedSync(WalFile f) throws IOException {
        long t0 = System.nanoTime();
        IoFaults.check(IoFaults.Op.FSYNC, f.path);
        f.raf.getFD().sync();
        metrics.walSyncs.increment();
        metrics.walSyncNanos.add(System.nanoTime() - t0);
    }

    /** Raises syncedLsn (never lowers it) and wakes waiters. Lock order: appendLock, then syncMonitor. */
    private void advanceSynced(long lsn) {
        synchronized (syncMonitor) {
            if (lsn > syncedLsn) {
                syncedLsn = lsn;
                metrics.syncedLsn.accumulateAndGet(lsn, Math::max);
            }
            syncMonitor.notifyAll();
        }
    }

    private void intervalSync() {
        if (failure != null || lastLsn <= syncedLsn) {
            return;
        }
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            // fail() has logged the cause; the writer is now unusable and every caller will hear of it.
        }
    }

    private IOException fail(String what, IOException cause) {
        IOException f = new IOException("WAL " + what + " failed", cause);
        synchronized (syncMonitor) {
            if (failure == null) {
                failure = f;
                LOG.error("WAL {} failed; the WAL refuses further writes until restart: {}", what, cause.toString());
            }
            syncMonitor.notifyAll();
        }
        return f;
    }

    private void checkFailed() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException("WAL is unusable after an earlier I/O failure", f);
        }
    }

    /** Caller holds appendLock. */
    private void checkWritable() throws IOException {
        if (closed) {
            throw new EngineClosedException("WAL " + dir + " is closed");
        }
        checkFailed();
    }

    /** One open WAL file. Fields other than {@code retired} are guarded by the writer's appendLock. */
    private static final class WalFile {
        final Path path;
        final long firstLsn;
        final RandomAccessFile raf;
        long size;
        /** Set (after a final fsync) before the file is closed; a failed fsync on a retired file is not a failure. */
        volatile boolean retired;

        private WalFile(Path path, long firstLsn, RandomAccessFile raf, long size) {
            this.path = path;
            this.firstLsn = firstLsn;
            this.raf = raf;
            this.size = size;
        }

        /** Creates {@code wal-<firstLsn>.log} with its header, fsynced (the caller fsyncs the directory). */
        static WalFile create(Path dir, long firstLsn, EngineMetrics metrics) throws IOException {
            Path path = dir.resolve(WalFiles.name(firstLsn));
            if (Files.exists(path)) {
                throw new IOException("WAL file " + path + " already exists");
            }
            RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
            try {
                byte[] header = WalEntryFormat.fileHeader(firstLsn);
                raf.write(header);
                long t0 = System.nanoTime();
                raf.getFD().sync();
                metrics.walSyncs.increment();
                metrics.walSyncNanos.add(System.nanoTime() - t0);
                return new WalFile(path, firstLsn, raf, header.length);
            } catch (IOException e) {
                raf.close();
                throw e;
            }
        }

        /** Opens an existing header-only file to append after its header. */
        static WalFile openEmpty(Path path, long firstLsn) throws IOException {
            RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
            try {
                byte[] header = new byte[WalEntryFormat.FILE_HEADER_BYTES];
                raf.readFully(header);
                String problem = WalEntryFormat.checkFileHeader(header, firstLsn);
                if (problem != null) {
                    throw new IOException("WAL file " + path + ": " + problem + " (run WalReader.replay first)");
                }
                raf.seek(header.length);
                return new WalFile(path, firstLsn, raf, header.length);
            } catch (IOException e) {
                raf.close();
                throw e;
            }
        }

        void retire() {
            retired = true;
            try {
                raf.close();
            } catch (IOException e) {
                LOG.warn("closing WAL file {}: {}", path, e.toString());
            }
        }
    }
}
