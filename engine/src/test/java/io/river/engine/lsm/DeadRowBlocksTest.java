package io.river.engine.lsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryResult;
import io.river.engine.scan.LiveMask;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.TableSnapshot;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment blocks of an upsert table by how many of their rows are dead: none (read with no
 * selection, as an append table's), some (read with a {@link LiveMask}), all (not read at all). The
 * scan returns each live key once with its newest value, and SQL answers, including a top-N whose
 * best rows are dead versions, equal those of an append table holding the final rows.
 */
class DeadRowBlocksTest {
    private static final int BLOCK = 64; // EngineTestUtils.openSmall's block rows
    private static final int KEYS = 10 * BLOCK;

    @Test
    void blocksWithNoSomeOrAllRowsDeadScanAndAnswerAsTheAppendTable(@TempDir Path dir) throws Exception {
        try (RiverEngine e = EngineTestUtils.openSmall(dir, "river.l0.compaction.trigger=100");
                QueryEngine q = new QueryEngine(2)) {
            e.createTable("u", TableMode.UPSERT);
            e.createTable("a", TableMode.APPEND);
            TreeMap<String, Long> model = new TreeMap<>();
            WriteBatch.Builder first = WriteBatch.builder();
            for (int i = 0; i < KEYS; i++) {
                first.add("u", row(i, 10_000 + i)); // the old versions hold the largest values
                model.put(key(i), (long) i);
            }
            e.write(first.build());
            e.flush(); // one file of ten 64-row blocks, in key order
            WriteBatch.Builder later = WriteBatch.builder();
            for (int i = 2 * BLOCK; i < 2 * BLOCK + 10; i++) {
                later.add("u", row(i, i)); // block 2: ten rows dead
            }
            for (int i = 5 * BLOCK; i < 6 * BLOCK; i++) {
                later.add("u", row(i, i)); // block 5: every row dead
            }
            for (int i = 7 * BLOCK; i < 7 * BLOCK + 3; i++) {
                later.add("u", Row.tombstone(key(i))); // block 7: three rows deleted
                model.remove(key(i));
            }
            e.write(later.build());
            e.flush();
            // the rest of the old versions are overwritten with their final values in the memtable,
            // except blocks 0 and 9 (no row dead)
            WriteBatch.Builder rest = WriteBatch.builder();
            for (int i = BLOCK; i < 9 * BLOCK; i++) {
                boolean done = i >= 2 * BLOCK && i < 2 * BLOCK + 10 || i >= 5 * BLOCK && i < 6 * BLOCK;
                if (!done && model.containsKey(key(i)) && i % 2 == 0) {
                    rest.add("u", row(i, i));
                }
            }
            e.write(rest.build());
            WriteBatch.Builder append = WriteBatch.builder();
            for (Map.Entry<String, Long> m : model.entrySet()) {
                int i = Integer.parseInt(m.getKey().substring(1));
                long v = i < BLOCK || i >= 9 * BLOCK || isOld(i) ? 10_000 + i : i;
                model.put(m.getKey(), v);
                append.add("a", Row.builder(m.getKey()).set("v", v).build());
            }
            e.write(append.build());

            assertEquals(model, scanShapes(e));
            EngineCatalog cat = new EngineCatalog(e);
            for (String sql : List.of(
                    "SELECT count(*) FROM %s",
                    "SELECT sum(v), min(v), max(v) FROM %s",
                    "SELECT v %% 7 AS m, count(*) FROM %s GROUP BY m ORDER BY m",
                    "SELECT v FROM %s ORDER BY v DESC LIMIT 10",
                    "SELECT v FROM %s WHERE v < 10500 ORDER BY v DESC LIMIT 10", // best rows: dead evens
                    "SELECT v FROM %s WHERE v > 100 ORDER BY v LIMIT 10")) {
                QueryResult u = q.execute(String.format(sql, "u"), cat);
                QueryResult a = q.execute(String.format(sql, "a"), cat);
                assertEquals(a.rowCount(), u.rowCount(), sql);
                for (int r = 0; r < a.rowCount(); r++) {
                    assertArrayEquals(a.rows().get(r), u.rows().get(r), sql + " row " + r);
                }
            }
        }
    }

    /** Keys of blocks 1..8 not rewritten by the test keep their first (largest) value. */
    private static boolean isOld(int i) {
        boolean rewritten = i >= 2 * BLOCK && i < 2 * BLOCK + 10 || i >= 5 * BLOCK && i < 6 * BLOCK || i % 2 == 0;
        return !rewritten;
    }

    /**
     * Scans table u and checks each segment block's batch shape: the old file's blocks 0 and 9 come
     * without a selection, the others with a mask of exactly their live rows, block 5 not at all.
     */
    private static TreeMap<String, Long> scanShapes(RiverEngine e) {
        TreeMap<String, Long> out = new TreeMap<>();
        ScanMetrics metrics = new ScanMetrics();
        int unselected = 0;
        int masked = 0;
        try (TableSnapshot snap = e.table("u").orElseThrow().snapshot()) {
            List<ScanSplit> splits = snap.splits(new ScanRequest(List.of("_key", "v"), null), metrics);
            for (ScanSplit split : splits) {
                for (ScanBatch next = split.next(); next != null; next = split.next()) {
                    try (ScanBatch b = next) {
                        VarCharVector k = (VarCharVector) b.root().getVector(0);
                        BigIntVector v = (BigIntVector) b.root().getVector(1);
                        int[] sel = new int[b.root().getRowCount()];
                        int n = b.select(sel);
                        assertEquals(b.liveRows(), n);
                        boolean oldBlock = b.root().getRowCount() == BLOCK && firstValue(v) >= 10_000;
                        if (oldBlock && b.liveMask() == null) {
                            unselected++;
                            assertNull(b.selection());
                        } else if (oldBlock) {
                            masked++;
                            assertNotNull(b.selection());
                            assertArrayEquals(b.selection(), LiveMask.selection(b.liveMask()));
                            assertTrue(n < BLOCK, "a masked block has dead rows");
                        }
                        for (int j = 0; j < n; j++) {
                            String key = new String(k.get(sel[j]));
                            assertNull(out.put(key, v.get(sel[j])), "key " + key + " returned twice");
                        }
                    }
                }
            }
        }
        assertEquals(2, unselected, "blocks 0 and 9 of the old file have no dead row");
        assertEquals(7, masked, "blocks 1-4 and 6-8 of the old file have some");
        assertTrue(metrics.blocksSkipped.sum() >= 1, "block 5 is all dead: " + metrics.blocksSkipped.sum());
        return out;
    }

    private static long firstValue(BigIntVector v) {
        return IntStream.range(0, v.getValueCount())
                .filter(r -> !v.isNull(r))
                .mapToLong(v::get)
                .findFirst()
                .orElse(-1);
    }

    private static Row row(int i, long v) {
        return Row.builder(key(i)).set("_key", key(i)).set("v", v).build();
    }

    private static String key(int i) {
        return String.format("k%05d", i);
    }
}
