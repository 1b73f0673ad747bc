package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * Key-value side by side: River (an upsert table, {@code _value} column) and RocksDB in one JVM on
 * the same keys and 100-byte values, alternating River and RocksDB rounds (ABBA order) and
 * reporting the median round of each. Same durability both sides: WAL on and one fsync per batch
 * ({@code river.wal.sync=batch} + {@link RiverEngine#write} against {@code WriteOptions.sync=true}),
 * and a no-fsync variant ({@link RiverEngine#writeDeferred} against {@code sync=false}: both
 * append the batch to the WAL file without waiting for the disk). Point reads run after a preload
 * that is flushed and compacted on both sides, with equal block caches (256 MB) and bloom filters
 * (RocksDB 10 bits/key, River's default 1% FPP), so reads go through segments / SSTs and caches:
 * uniformly random over every key, and over a hot 1% of the keys.
 */
final class KvBench {
    private static final int VALUE_BYTES = 100;
    private static final int BATCH = 100;

    private final int keys;
    private final int rounds;
    private final double roundSeconds;
    private final BenchResults results;
    private final String[] keyStrings;
    private final byte[][] keyBytes;
    private final byte[] value = new byte[VALUE_BYTES];

    private final Map<String, String> riverTuning;
    private final long cacheBytes;

    /**
     * @param opts {@code kv-keys}, {@code kv-cache-mb} (both sides' block cache, default 256) and
     *             {@code kv-block-rows} (River's {@code river.segment.block.rows}; default: River's default)
     */
    KvBench(boolean quick, BenchResults results, Map<String, String> opts) {
        this.keys = Integer.parseInt(opts.getOrDefault("kv-keys", quick ? "200000" : "2000000"));
        this.cacheBytes = Long.parseLong(opts.getOrDefault("kv-cache-mb", "256")) << 20;
        this.riverTuning = opts.containsKey("kv-block-rows")
                ? Map.of("river.segment.block.rows", opts.get("kv-block-rows"))
                : Map.of();
        this.rounds = quick ? 3 : 5;
        this.roundSeconds = quick ? 1.5 : 4;
        this.results = results;
        keyStrings = new String[keys];
        keyBytes = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            keyStrings[i] = String.format("user%010d", i);
            keyBytes[i] = keyStrings[i].getBytes(StandardCharsets.UTF_8);
        }
        new SplittableRandom(1).nextBytes(value);
    }

    void run() throws Exception {
        RocksDB.loadLibrary();
        Path dir = BenchSupport.scratch("river-kv-bench");
        MemoryMeter mem = MemoryMeter.start();
        Map<String, String> cfg = new java.util.HashMap<>(Map.of(
                "river.data.dir",
                dir.resolve("river").toString(),
                "river.http.port",
                "-1",
                "river.wal.sync",
                "batch",
                "river.cache.max.bytes",
                Long.toString(cacheBytes)));
        cfg.putAll(riverTuning);
        if (!riverTuning.isEmpty() || cacheBytes != 256L << 20) {
            results.note(String.format("key-value run with %s, block caches %d MB", riverTuning, cacheBytes >> 20));
        }
        try (RiverEngine river = RiverEngine.open(RiverConfig.from(cfg));
                LRUCache cache = new LRUCache(cacheBytes);
                BloomFilter bloom = new BloomFilter(10);
                Options options = new Options()
                        .setCreateIfMissing(true)
                        .setTableFormatConfig(
                                new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom));
                RocksDB rocks = RocksDB.open(options, dir.resolve("rocks").toString());
                WriteOptions sync = new WriteOptions().setSync(true);
                WriteOptions noSync = new WriteOptions().setSync(false)) {
            mem.watchArrow(river.allocator()::getPeakMemoryAllocation);
            Table table = river.createTable("kv", TableMode.UPSERT);
            preload(river, rocks, noSync);
            String preloadMem = mem.summary();
            System.out.printf("kv: %,d keys preloaded, flushed and compacted on both sides (%s)%n", keys, preloadMem);

            int[] random = indexes(new SplittableRandom(2), 1 << 20, keys);
            int[] hot = hotIndexes(new SplittableRandom(3), 1 << 20);
            compare(
                    "point read, random key (" + String.format("%,d", keys) + " keys)",
                    "reads/s",
                    mem,
                    () -> riverReads(table, random),
                    () -> rocksReads(rocks, random));
            compare(
                    "point read, hot 1% of keys",
                    "reads/s", mem, () -> riverReads(table, hot), () -> rocksReads(rocks, hot));

            SplittableRandom rnd = new SplittableRandom(4);
            compare(
                    "batched write, 100 rows/batch, fsync per batch",
                    "rows/s",
                    mem,
                    () -> riverWrites(river, rnd, true),
                    () -> rocksWrites(rocks, sync, rnd));
            compare(
                    "batched write, 100 rows/batch, no fsync",
                    "rows/s",
                    mem,
                    () -> riverWrites(river, rnd, false),
                    () -> rocksWrites(rocks, noSync, rnd));
        } finally {
            mem.close();
            BenchSupport.deleteTree(dir);
        }
    }

    private interface Round {
        /** Runs one timed round; returns operations per second. */
        double run() throws Exception;
    }

    private void compare(String what, String unit, MemoryMeter mem, Round river, Round rocks) throws Exception {
        river.run(); // warm-up of both code paths before the measured rounds
        rocks.run();
        double[] r = new double[rounds];
        double[] k = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                r[i] = river.run();
                k[i] = rocks.run();
            } else {
                k[i] = rocks.run();
                r[i] = river.run();
            }
        }
        results.add(
                "key-value",
                what,
                unit,
                true,
                BenchSupport.median(r),
                "RocksDB",
                BenchSupport.median(k),
                mem.summary());
    }

    private void preload(RiverEngine river, RocksDB rocks, WriteOptions noSync) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < keys; i += 1000) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (int j = i; j < Math.min(keys, i + 1000); j++) {
                b.add("kv", Row.builder(keyStrings[j]).set("_value", value).build());
            }
            river.writeDeferred(b.build());
        }
        river.sync();
        double riverWrite = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        river.flush();
        river.compact();
        double riverCompact = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        for (int i = 0; i < keys; i += 1000) {
            try (org.rocksdb.WriteBatch rb = new org.rocksdb.WriteBatch()) {
                for (int j = i; j < Math.min(keys, i + 1000); j++) {
                    rb.put(keyBytes[j], value);
                }
                rocks.write(noSync, rb);
            }
        }
        rocks.syncWal();
        double rocksWrite = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true);
                CompactRangeOptions cro = new CompactRangeOptions()) {
            rocks.flush(fo);
            rocks.compactRange(rocks.getDefaultColumnFamily(), null, null, cro);
        }
        double rocksCompact = (System.nanoTime() - t0) / 1e9;
        String n = String.format("%,d", keys);
        results.add(
                "key-value",
                "bulk load " + n + " keys in key order, 1000/batch, one fsync at the end (cold JVM)",
                "rows/s",
                true,
                keys / riverWrite,
                "RocksDB",
                keys / rocksWrite,
                "-");
        results.add(
                "key-value",
                "then flush + full compaction of the " + n + " keys",
                "s",
                false,
                riverCompact,
                "RocksDB",
                rocksCompact,
                "-");
    }

    private int[] indexes(SplittableRandom rnd, int n, int bound) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rnd.nextInt(bound);
        }
        return out;
    }

    private int[] hotIndexes(SplittableRandom rnd, int n) {
        int[] hotSet = indexes(rnd, Math.max(1, keys / 100), keys);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = hotSet[rnd.nextInt(hotSet.length)];
        }
        return out;
    }

    private long deadline() {
        return System.nanoTime() + (long) (roundSeconds * 1e9);
    }

    private double riverReads(Table table, int[] idx) {
        long start = System.nanoTime();
        long end = deadline();
        long ops = 0;
        int pos = (int) (start & (idx.length - 1));
        while (true) {
            for (int i = 0; i < 256; i++) {
                Row row = table.get(keyStrings[idx[pos]]).orElse(null);
                BenchSupport.check(row != null, "River lost key " + keyStrings[idx[pos]]);
                pos = (pos + 1) & (idx.length - 1);
            }
            ops += 256;
            long now = System.nanoTime();
            if (now >= end) {
                return ops / ((now - start) / 1e9);
            }
        }
    }

    private double rocksReads(RocksDB rocks, int[] idx) throws Exception {
        long start = System.nanoTime();
        long end = deadline();
        long ops = 0;
        int pos = (int) (start & (idx.length - 1));
        while (true) {
            for (int i = 0; i < 256; i++) {
                byte[] v = rocks.get(keyBytes[idx[pos]]);
                BenchSupport.check(v != null, "RocksDB lost a key");
                pos = (pos + 1) & (idx.length - 1);
            }
            ops += 256;
            long now = System.nanoTime();
            if (now >= end) {
                return ops / ((now - start) / 1e9);
            }
        }
    }

    private double riverWrites(RiverEngine river, SplittableRandom rnd, boolean fsync) throws Exception {
        long start = System.nanoTime();
        long end = deadline();
        long ops = 0;
        while (true) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (int j = 0; j < BATCH; j++) {
                b.add(
                        "kv",
                        Row.builder(keyStrings[rnd.nextInt(keys)])
                                .set("_value", value)
                                .build());
            }
            if (fsync) {
                BenchSupport.check(river.write(b.build()).durable(), "River write not durable");
            } else {
                river.writeDeferred(b.build());
            }
            ops += BATCH;
            long now = System.nanoTime();
            if (now >= end) {
                return ops / ((now - start) / 1e9);
            }
        }
    }

    private double rocksWrites(RocksDB rocks, WriteOptions options, SplittableRandom rnd) throws Exception {
        long start = System.nanoTime();
        long end = deadline();
        long ops = 0;
        while (true) {
            try (org.rocksdb.WriteBatch rb = new org.rocksdb.WriteBatch()) {
                for (int j = 0; j < BATCH; j++) {
                    rb.put(keyBytes[rnd.nextInt(keys)], value);
                }
                rocks.write(options, rb);
            }
            ops += BATCH;
            long now = System.nanoTime();
            if (now >= end) {
                return ops / ((now - start) / 1e9);
            }
        }
    }
}
