package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Start-up time after a crash with a large WAL, without and with a checkpoint: writes
 * {@code --mb} MB of rows that stay in the memtable (nothing flushes), stops the engine without
 * flushing (as a crash would leave it, WAL synced), and times {@link RiverEngine#open}; then the same
 * after a checkpoint, where recovery loads the checkpoint and replays nothing. Run:
 * {@code ./river bench recovery --mb 1024}.
 */
public final class RecoveryBench {
    private RecoveryBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = LsmSpaceBench.parse(args);
        run(Integer.parseInt(a.getOrDefault("mb", "100")));
    }

    static void run(int mb) throws Exception {
        for (boolean checkpoint : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("river-recovery-bench");
            try {
                Map<String, String> cfg = Map.of("river.data.dir", dir.toString(), "river.http.port", "-1",
                        "river.wal.sync", "interval", "river.checkpoint.interval.ms", "0",
                        "river.flush.interval.ms", "0", "river.memtable.max.bytes", (4L * mb + 256) + "m",
                        "river.wal.file.max.bytes", "256m");
                long bytes = 0;
                SplittableRandom rnd = new SplittableRandom(3);
                try (RiverEngine e = RiverEngine.open(RiverConfig.from(cfg))) {
                    e.createTable("events", TableMode.UPSERT);
                    long i = 0;
                    while (bytes < mb * (1L << 20)) {
                        WriteBatch.Builder b = WriteBatch.builder();
                        for (int j = 0; j < 1000; j++, i++) {
                            String key = "k" + rnd.nextInt(2_000_000);
                            b.add("events", Row.builder(key).set("_key", key).set("city", "city" + rnd.nextInt(100))
                                    .set("amount", rnd.nextDouble() * 100).set("n", i).build());
                        }
                        e.writeDeferred(b.build());
                        bytes = e.metrics().bytesWritten.sum();
                    }
                    if (checkpoint) {
                        e.checkpoint();
                    }
                    e.sync();
                }
                long t = System.nanoTime();
                long replayed;
                try (RiverEngine e = RiverEngine.open(RiverConfig.from(cfg))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> rec = (Map<String, Object>) e.stats().get("recovery");
                    replayed = ((Number) rec.get("walEntriesReplayed")).longValue();
                }
                System.out.printf("RECOVERY wal=%.0f MB checkpoint=%s start-up=%.2f s (WAL entries replayed %d)%n",
                        bytes / 1048576.0, checkpoint, (System.nanoTime() - t) / 1e9, replayed);
            } finally {
                LsmSpaceBench.deleteTree(dir);
            }
        }
    }
}
