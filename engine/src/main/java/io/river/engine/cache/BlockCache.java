package io.river.engine.cache;

import io.river.engine.metrics.EngineMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Byte-bounded LRU cache of decoded segment blocks, shared by every segment reader of an engine
 * ({@code river.cache.max.bytes}; 0 disables it: {@link #get} always misses, {@link #put} keeps
 * nothing). Entries are {@link CachedBlock}s, reference-counted: the cache holds one reference
 * per cached entry and {@link #get} returns the entry with one more for the caller, so an entry
 * evicted (or invalidated) while a reader uses it is only freed when that reader releases it.
 * Memory of an entry in use may therefore briefly exceed the capacity; what the cache itself keeps
 * never does. An entry larger than the whole capacity is not cached.
 *
 * <p>Thread-safe: one lock guards the LRU map (operations under it are O(1) except {@link
 * #invalidateFile}); entries are freed outside the lock. Counters are monotonic and also feed the
 * engine's {@link EngineMetrics} when given. Not durable: a cache is memory only.
 */
public final class BlockCache implements AutoCloseable {
    private final long capacityBytes;
    private final EngineMetrics metrics;
    private final Object lock = new Object();
    /** Access-ordered: the first entry is the least recently used. Guarded by {@link #lock}. */
    private final LinkedHashMap<BlockKey, CachedBlock> entries = new LinkedHashMap<>(256, 0.75f, true);
    /** Guarded by {@link #lock}. */
    private long sizeBytes;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** A cache of at most {@code capacityBytes} (0 = disabled); {@code metrics} may be null. */
    public BlockCache(long capacityBytes, EngineMetrics metrics) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("cache capacity must be >= 0: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.metrics = metrics;
    }

    public BlockCache(long capacityBytes) {
        this(capacityBytes, null);
    }

    /** True when the cache can hold anything (capacity above 0). */
    public boolean enabled() {
        return capacityBytes > 0;
    }

    /**
     * The cached entry with one reference taken for the caller (who must {@link
     * CachedBlock#release()} it), or null on a miss. Counts a hit or a miss.
     */
    public CachedBlock get(BlockKey key) {
        CachedBlock b;
        synchronized (lock) {
            b = entries.get(key);
            // An entry in the map always holds the cache's reference, so tryRetain cannot fail here.
            if (b != null && !b.tryRetain()) {
                b = null;
            }
        }
        if (b != null) {
            hits.increment();
            if (metrics != null) {
                metrics.cacheHits.increment();
            }
        } else {
            misses.increment();
            if (metrics != null) {
                metrics.cacheMisses.increment();
            }
        }
        return b;
    }

    /**
     * Offers an entry. When it fits, the cache takes its own reference (the caller keeps its own)
     * and evicts least recently used entries until the total fits the capacity again; an older
     * entry under the same key is replaced. Returns whether the entry was cached.
     */
    public boolean put(BlockKey key, CachedBlock block) {
        long size = block.sizeBytes();
        if (capacityBytes == 0 || size > capacityBytes) {
            return false;
        }
        List<CachedBlock> dropped = new ArrayList<>();
        synchronized (lock) {
            if (closed || !block.tryRetain()) {
                return false;
            }
            CachedBlock old = entries.put(key, block);
            sizeBytes += size;
            if (old != null) {
                sizeBytes -= old.sizeBytes();
                dropped.add(old);
            }
            Iterator<Map.Entry<BlockKey, CachedBlock>> it = entries.entrySet().iterator();
            while (sizeBytes > capacityBytes && it.hasNext()) {
                Map.Entry<BlockKey, CachedBlock> e = it.next();
                if (e.getValue() == block) {
                    continue;
                }
                it.remove();
                sizeBytes -= e.getValue().sizeBytes();
                dropped.add(e.getValue());
                evictions.increment();
            }
        }
        dropped.forEach(CachedBlock::release);
        return true;
    }

    /** Drops every entry of a segment file (called when its reader closes). */
    public void invalidateFile(long fileId) {
        List<CachedBlock> dropped = new ArrayList<>();
        synchronized (lock) {
            Iterator<Map.Entry<BlockKey, CachedBlock>> it = entries.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<BlockKey, CachedBlock> e = it.next();
                if (e.getKey().fileId() == fileId) {
                    it.remove();
                    sizeBytes -= e.getValue().sizeBytes();
                    dropped.add(e.getValue());
                }
            }
        }
        dropped.forEach(CachedBlock::release);
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    /**
     * True when entries of {@code bytes} more would fit without evicting anything (a reader that
     * can read without caching uses this to admit only what costs no other entry).
     */
    public boolean hasRoom(long bytes) {
        synchronized (lock) {
            return capacityBytes > 0 && sizeBytes + bytes <= capacityBytes;
        }
    }

    /** Bytes of the entries the cache holds now (at most the capacity). */
    public long sizeBytes() {
        synchronized (lock) {
            return sizeBytes;
        }
    }

    public int entryCount() {
        synchronized (lock) {
            return entries.size();
        }
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long evictions() {
        return evictions.sum();
    }

    /** Releases every entry; afterwards the cache keeps nothing (gets miss, puts are refused). */
    @Override
    public void close() {
        List<CachedBlock> dropped;
        synchronized (lock) {
            closed = true;
            dropped = new ArrayList<>(entries.values());
            entries.clear();
            sizeBytes = 0;
        }
        dropped.forEach(CachedBlock::release);
    }
}
