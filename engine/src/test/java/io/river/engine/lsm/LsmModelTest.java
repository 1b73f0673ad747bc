package io.river.engine.lsm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.Table;
import io.river.engine.scan.TableSnapshot;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based test of the LSM tree: a seeded random sequence of put / overwrite / delete / flush /
 * compact / reopen, checked against a TreeMap after every step (point reads of touched keys) and
 * in full (a scan of the table) every so often, for both compaction styles.
 */
class LsmModelTest {
    private static final int STEPS = Integer.getInteger("river.model.steps", 4000);

    @ParameterizedTest
    @ValueSource(strings = {"leveled", "size-tiered"})
    void randomOperationsMatchATreeMap(String style, @TempDir Path dir) throws Exception {
        run(style, dir);
    }

    /**
     * No block cache: every point read of a segment row is served from the pages that cover it
     * (format 4), never from a decoded block.
     */
    @Test
    void pointReadsFromPagesMatchATreeMap(@TempDir Path dir) throws Exception {
        run("leveled", dir, "river.cache.max.bytes=0", "river.segment.block.rows=256");
    }

    private static void run(String style, Path dir, String... extra) throws Exception {
        long seed = Long.getLong("river.model.seed", 20261123L) ^ style.hashCode() ^ extra.length;
        Random rnd = new Random(seed);
        TreeMap<String, Long> model = new TreeMap<>();
        List<String> settings = new ArrayList<>(List.of(
                "river.compaction.style=" + style,
                "river.memtable.max.bytes=64k",
                "river.l0.compaction.trigger=3",
                "river.level.base.bytes=96k",
                "river.segment.target.bytes=64k",
                "river.level.size.ratio=3"));
        settings.addAll(List.of(extra));
        String[] cfg = settings.toArray(new String[0]);
        RiverEngine engine = EngineTestUtils.openSmall(dir, cfg);
        try {
            engine.createTable("m", TableMode.UPSERT);
            for (int step = 0; step < STEPS; step++) {
                int op = rnd.nextInt(100);
                String key = "key" + rnd.nextInt(1500);
                if (op < 60) {
                    int n = 1 + rnd.nextInt(20);
                    WriteBatch.Builder b = WriteBatch.builder();
                    Map<String, Long> staged = new HashMap<>();
                    for (int i = 0; i < n; i++) {
                        String k = "key" + rnd.nextInt(1500);
                        long v = rnd.nextLong();
                        b.add(
                                "m",
                                Row.builder(k)
                                        .set("_key", k)
                                        .set("v", v)
                                        .set("pad", "p".repeat(rnd.nextInt(40)))
                                        .build());
                        staged.put(k, v);
                    }
                    engine.write(b.build());
                    model.putAll(staged);
                } else if (op < 80) {
                    engine.write(WriteBatch.of("m", Row.tombstone(key)));
                    model.remove(key);
                } else if (op < 90) {
                    Row r = engine.table("m").get().get(key).orElse(null);
                    assertEquals(model.get(key), r == null ? null : r.get("v"), "step " + step + " key " + key);
                } else if (op < 95) {
                    engine.flush();
                } else if (op < 98) {
                    engine.compact();
                } else {
                    engine.close();
                    engine = EngineTestUtils.openSmall(dir, cfg);
                }
                if (step % 500 == 499) {
                    assertEquals(model, scan(engine.table("m").get()), "full scan at step " + step + " seed " + seed);
                    assertEquals(model.size(), engine.table("m").get().estimatedRows(), "live keys at step " + step);
                    String lo = "key" + rnd.nextInt(1500);
                    String hi = "key" + rnd.nextInt(1500);
                    if (lo.compareTo(hi) > 0) {
                        String x = lo;
                        lo = hi;
                        hi = x;
                    }
                    TreeMap<String, Long> got = new TreeMap<>();
                    for (Row r : engine.table("m").get().range(lo, hi, 100_000)) {
                        got.put(r.pk(), (Long) r.get("v"));
                    }
                    assertEquals(model.subMap(lo, hi), got, "range [" + lo + ", " + hi + ") at step " + step);
                    List<Row> limited = engine.table("m").get().range(null, null, 7);
                    assertEquals(Math.min(7, model.size()), limited.size());
                    if (!model.isEmpty()) {
                        assertEquals(model.firstKey(), limited.get(0).pk());
                    }
                }
            }
            engine.flush();
            engine.compact();
            assertEquals(model, scan(engine.table("m").get()));
            for (Map.Entry<String, Long> e : model.entrySet()) {
                assertEquals(
                        e.getValue(),
                        engine.table("m").get().get(e.getKey()).get().get("v"));
            }
        } finally {
            engine.close();
        }
    }

    static TreeMap<String, Long> scan(Table t) {
        TreeMap<String, Long> out = new TreeMap<>();
        try (TableSnapshot snap = t.snapshot()) {
            for (ScanSplit split : snap.splits(new ScanRequest(List.of("_key", "v"), null), new ScanMetrics())) {
                for (ScanBatch next = split.next(); next != null; next = split.next()) {
                    try (ScanBatch b = next) {
                        VarCharVector k = (VarCharVector) b.root().getVector(0);
                        BigIntVector v = (BigIntVector) b.root().getVector(1);
                        int[] sel = b.selection();
                        int n = b.liveRows();
                        for (int j = 0; j < n; j++) {
                            int r = sel == null ? j : sel[j];
                            String key = new String(k.get(r));
                            if (out.put(key, v.get(r)) != null) {
                                throw new AssertionError("key " + key + " returned twice by the scan");
                            }
                        }
                    }
                }
                split.close();
            }
        }
        return out;
    }
}
