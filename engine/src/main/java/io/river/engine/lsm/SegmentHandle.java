package io.river.engine.lsm;

import io.river.engine.manifest.FileEntry;
import io.river.engine.model.SegmentDamagedException;
import io.river.engine.segment.SegmentReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment file in use: its manifest entry, its open reader and a reference count held by the
 * {@link TableVersion}s that list it. When the last version referencing it is released the reader
 * is closed, and if a compaction has made the file obsolete it is deleted then, never earlier, so a
 * scan that still holds an old version always finds its files. Thread-safe.
 */
public final class SegmentHandle {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentHandle.class);

    private final FileEntry entry;
    private final Path path;
    private final SegmentReader reader;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean obsolete;
    private volatile String damage;

    public SegmentHandle(FileEntry entry, Path path, SegmentReader reader) {
        this.entry = entry;
        this.path = path;
        this.reader = reader;
    }

    public FileEntry entry() {
        return entry;
    }

    /**
     * The reader of the file; throws {@link SegmentDamagedException} naming the file once it is known
     * damaged ({@link #markDamaged}), so no query is answered from it.
     */
    public SegmentReader reader() {
        String d = damage;
        if (d != null) {
            throw new SegmentDamagedException("segment " + path + " is damaged (" + d + "); River will not read "
                    + "it: restore the data directory from a backup");
        }
        return reader;
    }

    /** The reader even of a damaged file (the scrub's own reads). */
    public SegmentReader uncheckedReader() {
        return reader;
    }

    /** Marks the file damaged: every later {@link #reader()} call fails. */
    public void markDamaged(String why) {
        damage = why;
    }

    /** Why the file is known damaged, or null. */
    public String damage() {
        return damage;
    }

    public Path path() {
        return path;
    }

    void retain() {
        int before = refs.getAndIncrement();
        if (before <= 0) {
            throw new IllegalStateException("segment " + path + " already released");
        }
    }

    /** Marks the file for deletion once no version holds it. */
    public void markObsolete() {
        obsolete = true;
    }

    /** Drops the reference its creator holds once a version has taken its own. */
    public void releaseOwner() {
        release();
    }

    void release() {
        int after = refs.decrementAndGet();
        if (after == 0) {
            try {
                reader.close();
            } catch (Exception e) {
                LOG.warn("closing segment {} failed: {}", path, e.toString());
            }
            if (obsolete) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete obsolete segment " + path, e);
                }
            }
        } else if (after < 0) {
            throw new IllegalStateException("segment " + path + " released too often");
        }
    }
}
