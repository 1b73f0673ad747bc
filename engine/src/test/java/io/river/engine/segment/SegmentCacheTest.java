package io.river.engine.segment;

import static io.river.engine.segment.SegmentTestUtils.allTypesSchema;
import static io.river.engine.segment.SegmentTestUtils.key;
import static io.river.engine.segment.SegmentTestUtils.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.cache.BlockCache;
import io.river.engine.model.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment readers sharing a {@link BlockCache}: hits, misses, the byte bound and concurrent use. */
class SegmentCacheTest {
    private static final int N = 2000;

    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();
    private final List<Row> input = rows(N);

    @AfterEach
    void closeAllocator() {
        allocator.close(); // throws if any buffer leaked
    }

    private Path write(String name) throws Exception {
        Path path = dir.resolve(name);
        SegmentWriter.write(path, allTypesSchema(), input.iterator(), new SegmentWriter.Options(128, 0.01), allocator);
        return path;
    }

    @Test
    void secondPointReadOfABlockIsServedFromTheCache() throws Exception {
        Path path = write("a.arrow");
        try (BlockCache cache = new BlockCache(64L << 20);
                SegmentReader r = SegmentReader.open(path, 1, allocator, cache)) {
            // _pk, _deleted and the table columns holding a value in block 0 (an all-NULL one is not decoded)
            int columns = 2;
            for (var c : allTypesSchema().columns()) {
                var cs = r.blockStats(0).column(c.name());
                if (cs == null || cs.nullCount() < r.blockStats(0).rowCount()) {
                    columns++;
                }
            }
            assertTrue(columns >= 4, "the test needs decoded table columns: " + columns);
            assertEquals(input.get(10), r.get(key(10)).orElseThrow());
            assertEquals(0, cache.hits());
            assertEquals(columns, cache.misses());
            assertEquals(1, r.blocksDecoded()); // all of them from one read and decode of the block
            assertEquals(input.get(11), r.get(key(11)).orElseThrow()); // same block
            assertEquals(columns, cache.hits());
            assertEquals(columns, cache.misses());
            assertEquals(1, r.blocksDecoded());
            // A scan of the same block reuses the cached columns too.
            try (VectorSchemaRoot root = r.readBlock(0, List.of("n64"), allTypesSchema(), allocator)) {
                assertEquals(128, root.getRowCount());
            }
            assertEquals(columns + 1, cache.hits());
            assertEquals(columns, cache.entryCount());
            assertTrue(cache.sizeBytes() > 0);
        }
    }

    @Test
    void scanBlockHandsOutCachedColumnsInPlacePinnedUntilTheBatchCloses() throws Exception {
        Path path = write("shared.arrow");
        List<String> cols = List.of("_pk", "n64", "name");
        // small enough that reading every block evicts block 0's columns
        try (BlockCache cache = new BlockCache(40_000);
                SegmentReader r = SegmentReader.open(path, 5, allocator, cache)) {
            io.river.engine.scan.ScanBatch first = r.scanBlock(0, cols, allTypesSchema(), allocator, null, false);
            io.river.engine.scan.ScanBatch second = r.scanBlock(0, cols, allTypesSchema(), allocator, null, false);
            for (String c : cols) {
                assertSame(
                        first.root().getVector(c), second.root().getVector(c), c + " is the cached vector, not a copy");
            }
            long hitsBefore = cache.hits();
            for (int b = 1; b < r.blockCount(); b++) {
                r.readBlock(b, cols, allTypesSchema(), allocator).close();
            }
            assertTrue(cache.evictions() > 0);
            assertTrue(cache.hits() >= hitsBefore);
            second.close();
            // evicted from the cache, still pinned by the open batch: the values are intact
            VarCharVector pk = (VarCharVector) first.root().getVector("_pk");
            for (int i = 0; i < first.root().getRowCount(); i++) {
                assertEquals(key(i), new String(pk.get(i), StandardCharsets.UTF_8));
            }
            first.close();
        }
        try (BlockCache off = new BlockCache(0);
                SegmentReader r = SegmentReader.open(path, 6, allocator, off);
                io.river.engine.scan.ScanBatch batch = r.scanBlock(1, cols, allTypesSchema(), allocator, null, false)) {
            assertEquals(
                    key(128),
                    new String(((VarCharVector) batch.root().getVector("_pk")).get(0), StandardCharsets.UTF_8));
        }
        // the allocator check after the test proves every pinned and private buffer was released
    }

    @Test
    void cacheStaysWithinItsByteBoundAndReaderCloseDropsItsEntries() throws Exception {
        Path path = write("b.arrow");
        long capacity = 40_000;
        try (BlockCache cache = new BlockCache(capacity)) {
            SegmentReader r = SegmentReader.open(path, 2, allocator, cache);
            for (int b = 0; b < r.blockCount(); b++) {
                try (VectorSchemaRoot root =
                        r.readBlock(b, List.of("_pk", "name", "n64"), allTypesSchema(), allocator)) {
                    assertEquals(
                            key(b * 128),
                            new String(((VarCharVector) root.getVector("_pk")).get(0), StandardCharsets.UTF_8));
                }
                assertTrue(cache.sizeBytes() <= capacity, "cache holds " + cache.sizeBytes());
            }
            assertTrue(cache.evictions() > 0);
            assertTrue(cache.entryCount() > 0);
            r.close();
            assertEquals(0, cache.entryCount());
            assertEquals(0, cache.sizeBytes());
        }
    }

    @Test
    void concurrentPointReadsAndScansWithEvictionsStayCorrect() throws Exception {
        Path p1 = write("c1.arrow");
        Path p2 = write("c2.arrow");
        try (BlockCache cache = new BlockCache(60_000);
                SegmentReader r1 = SegmentReader.open(p1, 3, allocator, cache);
                SegmentReader r2 = SegmentReader.open(p2, 4, allocator, cache)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        for (int i = 0; i < 400; i++) {
                            SegmentReader r = rnd.nextBoolean() ? r1 : r2;
                            if (rnd.nextInt(4) == 0) {
                                int b = rnd.nextInt(r.blockCount());
                                try (VectorSchemaRoot root =
                                        r.readBlock(b, List.of("n64"), allTypesSchema(), allocator)) {
                                    BigIntVector v = (BigIntVector) root.getVector("n64");
                                    for (int j = 0; j < root.getRowCount(); j++) {
                                        Object want = input.get(b * 128 + j).get("n64");
                                        assertEquals(want, v.isNull(j) ? null : v.get(j));
                                    }
                                }
                            } else {
                                int k = rnd.nextInt(N);
                                assertEquals(input.get(k), r.get(key(k)).orElseThrow());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertTrue(cache.hits() > 0);
            assertTrue(cache.evictions() > 0);
            assertTrue(cache.sizeBytes() <= 60_000);
        }
    }
}
