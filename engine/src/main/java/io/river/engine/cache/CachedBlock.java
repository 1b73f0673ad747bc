package io.river.engine.cache;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A decoded block (or column of a block) that a {@link BlockCache} can hold, reference-counted so
 * that eviction never frees memory a reader still uses. It is born with one reference, owned by
 * its creator; the cache takes its own while the entry is cached, and every {@link
 * BlockCache#get} hands out one more. Whoever holds a reference calls {@link #release()} exactly
 * once; the last release calls {@link #free()}. Thread-safe.
 */
public abstract class CachedBlock {
    private final AtomicInteger refs = new AtomicInteger(1);

    /** Bytes this entry keeps alive, charged against the cache's capacity; constant. */
    public abstract long sizeBytes();

    /** Frees the entry's memory; called once, by the last {@link #release()}. */
    protected abstract void free();

    /** Takes one more reference, or returns false when the entry is already freed. */
    public final boolean tryRetain() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops one reference; frees the entry when it was the last. */
    public final void release() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            free();
        } else if (n < 0) {
            throw new IllegalStateException("cached block released too often");
        }
    }

    /** Current number of references (for tests and diagnostics). */
    public final int refCount() {
        return refs.get();
    }
}
