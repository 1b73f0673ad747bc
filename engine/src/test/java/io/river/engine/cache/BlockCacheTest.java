package io.river.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.metrics.EngineMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockCacheTest {
    /** A cache entry that records whether it was freed, and fails loudly if read after that. */
    static final class TestBlock extends CachedBlock {
        final long size;
        final AtomicInteger frees = new AtomicInteger();

        TestBlock(long size) {
            this.size = size;
        }

        @Override
        public long sizeBytes() {
            return size;
        }

        @Override
        protected void free() {
            frees.incrementAndGet();
        }

        void read() {
            if (frees.get() != 0) {
                throw new IllegalStateException("read after free");
            }
        }
    }

    private static BlockKey key(int block) {
        return new BlockKey(1, block, "c");
    }

    @Test
    void countsHitsAndMisses() {
        EngineMetrics metrics = new EngineMetrics();
        try (BlockCache cache = new BlockCache(1000, metrics)) {
            assertNull(cache.get(key(0)));
            TestBlock b = new TestBlock(100);
            assertTrue(cache.put(key(0), b));
            b.release(); // creator's reference
            CachedBlock got = cache.get(key(0));
            assertSame(b, got);
            got.release();
            assertNull(cache.get(key(1)));
            assertEquals(1, cache.hits());
            assertEquals(2, cache.misses());
            assertEquals(1, metrics.cacheHits.sum());
            assertEquals(2, metrics.cacheMisses.sum());
        }
    }

    @Test
    void staysWithinItsByteBoundEvictingLeastRecentlyUsed() {
        try (BlockCache cache = new BlockCache(1000)) {
            List<TestBlock> blocks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                TestBlock b = new TestBlock(300);
                blocks.add(b);
                cache.put(key(i), b);
                b.release();
                if (i == 2) {
                    cache.get(key(0)).release(); // 0 is now more recent than 1 and 2
                }
                assertTrue(cache.sizeBytes() <= 1000);
            }
            assertEquals(900, cache.sizeBytes());
            assertEquals(1, cache.evictions());
            assertEquals(1, blocks.get(1).frees.get(), "least recently used entry evicted and freed");
            assertNotNull(releaseAfter(cache.get(key(0))));
            assertNull(cache.get(key(1)));
            assertNotNull(releaseAfter(cache.get(key(2))));
            assertNotNull(releaseAfter(cache.get(key(3))));
        }
    }

    private static CachedBlock releaseAfter(CachedBlock b) {
        if (b != null) {
            b.release();
        }
        return b;
    }

    @Test
    void evictedEntryInUseIsFreedOnlyWhenReleased() {
        try (BlockCache cache = new BlockCache(500)) {
            TestBlock old = new TestBlock(400);
            cache.put(key(0), old);
            old.release();
            CachedBlock pinned = cache.get(key(0));
            TestBlock newer = new TestBlock(400);
            cache.put(key(1), newer); // evicts key 0 while a reader holds it
            newer.release();
            assertNull(cache.get(key(0)));
            assertEquals(0, old.frees.get());
            old.read();
            pinned.release();
            assertEquals(1, old.frees.get());
        }
    }

    @Test
    void disabledOrTooSmallCacheKeepsNothing() {
        try (BlockCache off = new BlockCache(0)) {
            assertFalse(off.enabled());
            TestBlock b = new TestBlock(1);
            assertFalse(off.put(key(0), b));
            assertNull(off.get(key(0)));
            b.release();
            assertEquals(1, b.frees.get());
        }
        try (BlockCache small = new BlockCache(100)) {
            TestBlock big = new TestBlock(101);
            assertFalse(small.put(key(0), big));
            assertEquals(0, small.sizeBytes());
            big.release();
            assertEquals(1, big.frees.get());
        }
    }

    @Test
    void invalidateAndCloseReleaseEntries() {
        BlockCache cache = new BlockCache(10_000);
        TestBlock a = new TestBlock(10);
        TestBlock b = new TestBlock(10);
        TestBlock c = new TestBlock(10);
        cache.put(new BlockKey(1, 0, "x"), a);
        cache.put(new BlockKey(1, 1, "x"), b);
        cache.put(new BlockKey(2, 0, "x"), c);
        a.release();
        b.release();
        c.release();
        cache.invalidateFile(1);
        assertEquals(1, a.frees.get());
        assertEquals(1, b.frees.get());
        assertEquals(0, c.frees.get());
        assertEquals(10, cache.sizeBytes());
        cache.close();
        assertEquals(1, c.frees.get());
        TestBlock late = new TestBlock(10);
        assertFalse(cache.put(key(9), late));
        late.release();
        assertEquals(1, late.frees.get());
    }

    @Test
    void replacingAKeyReleasesTheOldEntry() {
        try (BlockCache cache = new BlockCache(1000)) {
            TestBlock first = new TestBlock(100);
            TestBlock second = new TestBlock(200);
            cache.put(key(0), first);
            cache.put(key(0), second);
            first.release();
            second.release();
            assertEquals(1, first.frees.get());
            assertEquals(200, cache.sizeBytes());
            assertEquals(1, cache.entryCount());
        }
    }

    @Test
    void concurrentReadersNeverSeeAFreedEntryAndEverythingIsFreedAtTheEnd() throws Exception {
        List<TestBlock> all = java.util.Collections.synchronizedList(new ArrayList<>());
        BlockCache cache = new BlockCache(2_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        BlockKey k = key(ThreadLocalRandom.current().nextInt(40));
                        CachedBlock b = cache.get(k);
                        if (b == null) {
                            TestBlock fresh = new TestBlock(100);
                            all.add(fresh);
                            cache.put(k, fresh);
                            b = fresh;
                        }
                        ((TestBlock) b).read();
                        b.release();
                        assertTrue(cache.sizeBytes() <= 2_000);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(80_000, cache.hits() + cache.misses());
        cache.close();
        for (TestBlock b : all) {
            assertEquals(1, b.frees.get());
            assertEquals(0, b.refCount());
        }
    }
}
