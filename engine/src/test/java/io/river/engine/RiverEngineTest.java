package io.river.engine;

import static io.river.engine.testing.EngineTestUtils.delete;
import static io.river.engine.testing.EngineTestUtils.openSmall;
import static io.river.engine.testing.EngineTestUtils.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RiverEngineTest {

    @Test
    void writesReadBackAcrossFlushAndReopen(@TempDir Path dir) throws Exception {
        try (RiverEngine e = openSmall(dir)) {
            e.createTable("t", TableMode.UPSERT);
            for (int i = 0; i < 3000; i++) {
                put(e, "t", "k" + i, Map.of("n", i, "s", "v" + i));
            }
            delete(e, "t", "k7");
            e.flush();
            put(e, "t", "k8", Map.of("n", -8));
            assertEquals(-8, e.table("t").get().get("k8").get().get("n"));
            assertFalse(e.table("t").get().get("k7").isPresent());
            assertTrue(((Number) ((Map<?, ?>) ((List<?>) e.stats().get("levels")).get(0)).get("files")).longValue()
                    > 0);
        }
        try (RiverEngine e = openSmall(dir)) {
            Table t = e.table("t").orElseThrow();
            assertEquals(TableMode.UPSERT, t.mode());
            assertEquals("v2999", t.get("k2999").get().get("s"));
            assertEquals(-8, t.get("k8").get().get("n"));
            assertFalse(t.get("k7").isPresent());
            assertEquals(2999L, countLive(t));
        }
    }

    @Test
    void checkpointPlusReplayEqualsFullReplay(@TempDir Path a, @TempDir Path b) throws Exception {
        Map<String, Object> withCkpt;
        Map<String, Object> withoutCkpt;
        for (Path dir : List.of(a, b)) {
            try (RiverEngine e = openSmall(dir, "river.memtable.max.bytes=64m")) {
                e.createTable("t", TableMode.UPSERT);
                for (int i = 0; i < 2000; i++) {
                    put(e, "t", "k" + (i % 700), Map.of("n", i));
                    if (dir == a && i == 1000) {
                        e.checkpoint();
                    }
                }
            }
        }
        withCkpt = snapshot(a);
        withoutCkpt = snapshot(b);
        assertEquals(700, withCkpt.size());
        assertEquals(withoutCkpt, withCkpt);
        try (Stream<Path> wal = Files.list(a.resolve("wal"))) {
            assertTrue(wal.count() >= 1);
        }
    }

    private static Map<String, Object> snapshot(Path dir) throws Exception {
        Map<String, Object> out = new TreeMap<>();
        try (RiverEngine e = openSmall(dir, "river.memtable.max.bytes=64m")) {
            Table t = e.table("t").orElseThrow();
            for (int i = 0; i < 700; i++) {
                t.get("k" + i).ifPresent(r -> out.put(r.pk(), r.get("n")));
            }
        }
        return out;
    }

    @Test
    void secondOpenOfTheSameDirectoryIsRefused(@TempDir Path dir) throws Exception {
        try (RiverEngine e = openSmall(dir)) {
            DataDirLockedException ex = assertThrows(DataDirLockedException.class, () -> openSmall(dir));
            assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
        }
        openSmall(dir).close();
    }

    @Test
    void badRowRejectsTheWholeBatchNamingTheRow(@TempDir Path dir) throws Exception {
        try (RiverEngine e = openSmall(dir)) {
            e.createTable("t", TableMode.APPEND);
            put(e, "t", "a", Map.of("n", 1L));
            WriteBatch bad = WriteBatch.builder()
                    .add("t", Row.builder("b").set("n", 2L).build())
                    .add("t", Row.builder("c").set("n", "three").build())
                    .position(new SourcePartition("topic", 0), 3)
                    .build();
            RowRejectedException ex = assertThrows(RowRejectedException.class, () -> e.write(bad));
            assertEquals(1, ex.index());
            assertTrue(ex.getMessage().contains("'n'"), ex.getMessage());
            assertFalse(e.table("t").get().get("b").isPresent());
            assertTrue(e.positions().isEmpty());
            // widening is fine
            put(e, "t", "d", Map.of("n", 2.5));
            assertEquals(1.0, e.table("t").get().get("a").get().get("n"));
        }
    }

    @Test
    void positionsBecomeDurableOnSyncAndSurviveReopen(@TempDir Path dir) throws Exception {
        SourcePartition p = new SourcePartition("orders", 2);
        try (RiverEngine e = openSmall(dir)) {
            e.createTable("t", TableMode.APPEND);
            e.writeDeferred(WriteBatch.builder()
                    .add("t", Row.builder("x").set("v", 1).build())
                    .position(p, 11)
                    .build());
            assertEquals(11L, e.positions().get(p));
            e.sync();
            assertEquals(11L, e.durablePositions().get(p));
            e.flush();
            e.writeDeferred(WriteBatch.builder()
                    .add("t", Row.builder("y").set("v", 1).build())
                    .position(p, 12)
                    .build());
        }
        try (RiverEngine e = openSmall(dir)) {
            assertEquals(12L, e.durablePositions().get(p));
        }
    }

    static long countLive(Table t) {
        long n = 0;
        try (var snap = t.snapshot()) {
            var metrics = new io.river.engine.scan.ScanMetrics();
            for (var split : snap.splits(new io.river.engine.scan.ScanRequest(List.of("_key"), null), metrics)) {
                for (var b = split.next(); b != null; b = split.next()) {
                    n += b.liveRows();
                    b.close();
                }
                split.close();
            }
        }
        return n;
    }
}
