package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * Start-up after a crash with a large WAL. A child JVM ({@link #main}) writes upsert rows until
 * River's WAL holds {@code mb} MB, all of it still in memtables (nothing flushes), syncs, and is
 * killed with SIGKILL; with {@code checkpoint} it writes a checkpoint first. The same child writes
 * the same rows (the value a compact encoding of the same fields) to RocksDB with a memtable big
 * enough that nothing flushes either, so its recovery is a WAL replay too. The parent then times
 * opening each store; a store reopened without writes replays the same log again, so each is
 * opened {@code rounds} times, alternating, and the median reported. The River-with-checkpoint
 * row compares against River without one (the checkpoint's speed-up), the other against RocksDB.
 */
final class RecoveryBench {
    private static final String READY = "CRASH-READY";

    private final int mb;
    private final int rounds;
    private final BenchResults results;

    RecoveryBench(int mb, int rounds, BenchResults results) {
        this.mb = mb;
        this.rounds = rounds;
        this.results = results;
    }

    static Map<String, String> riverConfig(Path dir, int mb) {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("river.data.dir", dir.toString());
        cfg.put("river.http.port", "-1");
        cfg.put("river.wal.sync", "interval");
        cfg.put("river.checkpoint.interval.ms", "0");
        cfg.put("river.flush.interval.ms", "0");
        cfg.put("river.memtable.max.bytes", Long.toString((4L * mb + 256) << 20));
        cfg.put("river.wal.file.max.bytes", Long.toString(256L << 20));
        return cfg;
    }

    static Options rocksOptions(int mb) {
        return new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize((4L * mb + 256) << 20)
                .setAvoidFlushDuringRecovery(true)
                .setAvoidFlushDuringShutdown(true);
    }

    void run() throws Exception {
        RocksDB.loadLibrary();
        Path plain = BenchSupport.scratch("river-recovery-bench");
        Path ckpt = BenchSupport.scratch("river-recovery-bench-ckpt");
        try {
            crashChild(plain, false);
            crashChild(ckpt, true);
            long walPlain = BenchSupport.dirBytes(plain.resolve("river/wal"));
            long walCkpt = BenchSupport.dirBytes(ckpt.resolve("river/wal"));
            long ckptBytes = BenchSupport.dirBytes(ckpt.resolve("river/checkpoint"));
            long rocksWal = BenchSupport.dirBytes(plain.resolve("rocks"));
            double[] r = new double[rounds];
            double[] c = new double[rounds];
            double[] k = new double[rounds];
            long[] replayed = new long[2];
            MemoryMeter mem = MemoryMeter.start();
            try {
                for (int i = 0; i < rounds; i++) {
                    r[i] = openRiver(plain, mem, replayed, 0);
                    c[i] = openRiver(ckpt, mem, replayed, 1);
                    k[i] = openRocks(plain);
                }
            } finally {
                mem.close();
            }
            results.add(
                    "recovery",
                    String.format(
                            "start-up after kill -9, %.0f MB WAL (%,d entries replayed); "
                                    + "RocksDB WAL %.0f MB, same rows",
                            walPlain / 1048576.0, replayed[0], rocksWal / 1048576.0),
                    "s",
                    false,
                    BenchSupport.median(r),
                    "RocksDB",
                    BenchSupport.median(k),
                    mem.summary());
            results.add(
                    "recovery",
                    String.format(
                            "same, after a checkpoint (%.0f MB checkpoint + %.0f MB WAL, " + "%,d entries replayed)",
                            ckptBytes / 1048576.0, walCkpt / 1048576.0, replayed[1]),
                    "s",
                    false,
                    BenchSupport.median(c),
                    "River, no checkpoint",
                    BenchSupport.median(r),
                    mem.summary());
        } finally {
            BenchSupport.deleteTree(plain);
            BenchSupport.deleteTree(ckpt);
        }
    }

    private double openRiver(Path dir, MemoryMeter mem, long[] replayed, int slot) throws Exception {
        long t = System.nanoTime();
        try (RiverEngine e = RiverEngine.open(RiverConfig.from(riverConfig(dir.resolve("river"), mb)))) {
            double secs = (System.nanoTime() - t) / 1e9;
            mem.watchArrow(e.allocator()::getPeakMemoryAllocation);
            @SuppressWarnings("unchecked")
            Map<String, Object> rec = (Map<String, Object>) e.stats().get("recovery");
            replayed[slot] = ((Number) rec.get("walEntriesReplayed")).longValue();
            String first = firstKey();
            BenchSupport.check(
                    e.table("events").isPresent()
                            && e.table("events").get().get(first).isPresent(),
                    "recovered River has the child's first row (" + first + ")");
            mem.watchArrow(() -> 0);
            return secs;
        }
    }

    private double openRocks(Path dir) throws Exception {
        long t = System.nanoTime();
        try (Options o = rocksOptions(mb);
                RocksDB db = RocksDB.open(o, dir.resolve("rocks").toString())) {
            double secs = (System.nanoTime() - t) / 1e9;
            BenchSupport.check(
                    db.get(firstKey().getBytes(StandardCharsets.UTF_8)) != null,
                    "recovered RocksDB has the child's first row (" + firstKey() + ")");
            return secs;
        }
    }

    /** The key of the crash child's first row: the first draw of its seeded generator. */
    private static String firstKey() {
        return "k" + new SplittableRandom(3).nextInt(2_000_000);
    }

    private void crashChild(Path dir, boolean checkpoint) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        cmd.add("-Xmx" + Math.max(2, mb / 128 + 1) + "g");
        cmd.add("-XX:MaxDirectMemorySize=" + Math.max(2, mb / 128 + 2) + "g");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RecoveryBench.class.getName());
        cmd.add(dir.toString());
        cmd.add(Integer.toString(mb));
        cmd.add(Boolean.toString(checkpoint));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(READY)) {
                    System.out.println("recovery: child " + line + "; kill -9");
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                    break;
                }
                System.out.println("recovery child: " + line);
            }
        }
        BenchSupport.check(p.waitFor(60, TimeUnit.SECONDS), "crash child exits");
    }

    /** The crash child: {@code dir mb checkpoint}. Writes, syncs, says ready, waits for SIGKILL. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int mb = Integer.parseInt(args[1]);
        boolean checkpoint = Boolean.parseBoolean(args[2]);
        RiverEngine e = RiverEngine.open(RiverConfig.from(riverConfig(dir.resolve("river"), mb)));
        RocksDB.loadLibrary();
        Options ro = rocksOptions(mb);
        RocksDB rocks =
                checkpoint ? null : RocksDB.open(ro, dir.resolve("rocks").toString());
        WriteOptions noSync = new WriteOptions().setSync(false);
        e.createTable("events", TableMode.UPSERT);
        SplittableRandom rnd = new SplittableRandom(3);
        long rows = 0;
        ByteBuffer value = ByteBuffer.allocate(64);
        while (e.metrics().bytesWritten.sum() < mb * (1L << 20)) {
            WriteBatch.Builder b = WriteBatch.builder();
            org.rocksdb.WriteBatch rb = new org.rocksdb.WriteBatch();
            for (int j = 0; j < 1000; j++, rows++) {
                String key = "k" + rnd.nextInt(2_000_000);
                String city = "city" + rnd.nextInt(100);
                double amount = rnd.nextDouble() * 100;
                b.add(
                        "events",
                        Row.builder(key)
                                .set("_key", key)
                                .set("city", city)
                                .set("amount", amount)
                                .set("n", rows)
                                .build());
                value.clear();
                value.put(city.getBytes(StandardCharsets.UTF_8))
                        .putDouble(amount)
                        .putLong(rows);
                byte[] v = new byte[value.position()];
                value.flip().get(v);
                rb.put(key.getBytes(StandardCharsets.UTF_8), v);
            }
            e.writeDeferred(b.build());
            if (rocks != null) {
                rocks.write(noSync, rb);
            }
            rb.close();
        }
        if (checkpoint) {
            e.checkpoint();
        }
        e.sync();
        if (rocks != null) {
            rocks.syncWal();
        }
        System.out.println(READY + " rows=" + rows + " walBytes="
                + e.metrics().bytesWritten.sum());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
