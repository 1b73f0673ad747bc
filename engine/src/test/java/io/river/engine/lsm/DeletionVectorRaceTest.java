package io.river.engine.lsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletion vectors under concurrency: one thread overwrites keys of an upsert table while another
 * flushes and compacts it and the test thread scans it. Every scan must see each key exactly once
 * (a key overwritten while its flush or compaction ran must not come back, nor vanish), and the
 * table must end equal to the writer's model, before and after a reopen.
 */
class DeletionVectorRaceTest {
    private static final int KEYS = 3000;
    private static final int BATCHES = Integer.getInteger("river.dv.race.batches", 1500);

    @Test
    void keysOverwrittenWhileFlushesAndCompactionsRunAreSeenOnceByEveryScan(@TempDir Path dir) throws Exception {
        String[] cfg = {
            "river.memtable.max.bytes=64k",
            "river.l0.compaction.trigger=2",
            "river.level.base.bytes=128k",
            "river.segment.target.bytes=64k",
            "river.compaction.threads=1"
        };
        TreeMap<String, Long> model = new TreeMap<>();
        RiverEngine engine = EngineTestUtils.openSmall(dir, cfg);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            engine.createTable("r", TableMode.UPSERT);
            WriteBatch.Builder preload = WriteBatch.builder();
            for (int k = 0; k < KEYS; k++) {
                preload.add("r", row(k, -1));
                model.put(key(k), -1L);
            }
            engine.write(preload.build());
            engine.flush();
            RiverEngine e = engine;
            CountDownLatch writerDone = new CountDownLatch(1);
            Future<?> writer = pool.submit(() -> {
                Random rnd = new Random(7);
                try {
                    for (long i = 0; i < BATCHES; i++) {
                        WriteBatch.Builder b = WriteBatch.builder();
                        for (int j = 0; j < 20; j++) {
                            int k = rnd.nextInt(KEYS);
                            b.add("r", row(k, i));
                            model.put(key(k), i);
                        }
                        e.write(b.build());
                    }
                } finally {
                    writerDone.countDown();
                }
                return null;
            });
            Future<?> maintenance = pool.submit(() -> {
                while (writerDone.getCount() > 0) {
                    e.flush();
                    e.compact();
                }
                return null;
            });
            Table table = engine.table("r").orElseThrow();
            int scans = 0;
            while (writerDone.getCount() > 0) {
                assertEquals(KEYS, LsmModelTest.scan(table).size(), "live keys seen by scan " + scans);
                scans++;
            }
            writer.get(1, TimeUnit.MINUTES);
            maintenance.get(1, TimeUnit.MINUTES);
            assertTrue(scans > 0);
            assertEquals(model, LsmModelTest.scan(table));
            engine.flush();
            engine.compact();
            assertEquals(model, LsmModelTest.scan(table));
            engine.close();
            engine = EngineTestUtils.openSmall(dir, cfg);
            assertEquals(model, LsmModelTest.scan(engine.table("r").orElseThrow()));
            for (Map.Entry<String, Long> en : model.entrySet()) {
                assertEquals(
                        en.getValue(),
                        engine.table("r").get().get(en.getKey()).orElseThrow().get("v"));
            }
        } finally {
            pool.shutdownNow();
            engine.close();
        }
    }

    private static String key(int k) {
        return String.format("key%05d", k);
    }

    private static Row row(int k, long v) {
        return Row.builder(key(k)).set("_key", key(k)).set("v", v).build();
    }
}
