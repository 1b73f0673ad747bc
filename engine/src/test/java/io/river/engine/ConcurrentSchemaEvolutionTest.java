package io.river.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers evolve a batch's schema before taking the engine's write lock and the lock re-checks it:
 * four threads adding columns and widening a shared one (INT32 → INT64 → FLOAT64) at once, plus rows
 * that no schema can hold, must end with every accepted row intact, every refusal reported on the
 * right row, and a schema holding every column at its widest type.
 */
class ConcurrentSchemaEvolutionTest {
    private static final int THREADS = 4;
    private static final int BATCHES = 300;

    @Test
    void concurrentWritersEvolveOneSchemaAndLoseNothing(@TempDir Path dir) throws Exception {
        AtomicInteger refused = new AtomicInteger();
        try (RiverEngine e = EngineTestUtils.openSmall(dir)) {
            e.createTable("t", TableMode.UPSERT);
            Table table = e.table("t").orElseThrow();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            try {
                // A watcher: the table's schema only ever grows (a column never disappears or narrows);
                // a writer applying a schema evolved from a stale one would take columns away.
                Future<?> watcher = pool.submit(() -> {
                    TableSchema seen = table.schema();
                    while (writing.get()) {
                        TableSchema now = table.schema();
                        for (io.river.engine.model.Column c : seen.columns()) {
                            io.river.engine.model.Column n = now.column(c.name());
                            if (n == null || n.type().widen(c.type()) != n.type()) {
                                throw new AssertionError("schema went back: " + seen + " -> " + now);
                            }
                        }
                        seen = now;
                    }
                    return null;
                });
                List<Future<?>> futures = new ArrayList<>();
                for (int th = 0; th < THREADS; th++) {
                    int thread = th;
                    futures.add(pool.submit(() -> {
                        for (int b = 0; b < BATCHES; b++) {
                            WriteBatch.Builder batch = WriteBatch.builder();
                            for (int r = 0; r < 10; r++) {
                                batch.add("t", row(thread, b, r));
                            }
                            if (b % 50 == 49) {
                                // a string where the shared column is numeric: refused, whatever its width by then
                                batch.add(
                                        "t",
                                        Row.builder("bad-" + thread + "-" + b)
                                                .set("_key", "bad")
                                                .set("w", "x")
                                                .build());
                            }
                            try {
                                e.write(batch.build());
                                if (b % 50 == 49) {
                                    throw new AssertionError("a string in numeric column w was accepted");
                                }
                            } catch (RowRejectedException rejected) {
                                assertEquals(10, rejected.index(), rejected.getMessage());
                                refused.incrementAndGet();
                                // the batch without the bad row
                                WriteBatch.Builder again = WriteBatch.builder();
                                for (int r = 0; r < 10; r++) {
                                    again.add("t", row(thread, b, r));
                                }
                                e.write(again.build());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                writing.set(false);
                watcher.get();
            } finally {
                writing.set(false);
                pool.shutdown();
            }
            assertEquals(THREADS * (BATCHES / 50), refused.get());
            Table t = e.table("t").orElseThrow();
            TableSchema schema = t.schema();
            assertEquals(ColumnType.FLOAT64, schema.column("w").type(), schema.toString());
            for (int th = 0; th < THREADS; th++) {
                for (int c = 0; c <= (BATCHES - 1) / 60; c++) {
                    assertNotNull(schema.column("c" + th + "_" + c), "column c" + th + "_" + c + " in " + schema);
                }
                for (int b = 0; b < BATCHES; b++) {
                    for (int r = 0; r < 10; r++) {
                        Row want = row(th, b, r);
                        Row got = t.get(want.pk()).orElseThrow(() -> new AssertionError("missing " + want.pk()));
                        assertEquals(
                                ((Number) want.get("w")).doubleValue(),
                                ((Number) got.get("w")).doubleValue(),
                                want.pk());
                        assertEquals(
                                want.get("c" + th + "_" + (b / 60)), got.get("c" + th + "_" + (b / 60)), want.pk());
                    }
                }
            }
        }
    }

    /** Thread th's row r of batch b: a column of its own per 60 batches and the shared column w. */
    private static Row row(int th, int b, int r) {
        long n = (long) b * 10 + r;
        Object w = b < 100 ? (Object) (int) n : b < 200 ? (Object) (n + (1L << 40)) : (Object) (n + 0.5);
        return Row.builder("k" + th + "-" + n)
                .set("_key", "k" + th + "-" + n)
                .set("w", w)
                .set("c" + th + "_" + (b / 60), n)
                .build();
    }
}
