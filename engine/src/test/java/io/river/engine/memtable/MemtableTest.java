package io.river.engine.memtable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

class MemtableTest {

    @Test
    void newestVersionWinsAcrossChunksAndSchemaChanges() {
        try (RootAllocator root = new RootAllocator()) {
            Memtable m = new Memtable("t", TableMode.UPSERT, 1, root, 64);
            TableSchema s = TableSchema.initial();
            for (int i = 0; i < 200; i++) {
                Row r = Row.builder("k" + (i % 50)).set("n", i).build();
                s = s.evolve(r);
                m.apply(List.of(r), s, i + 1);
            }
            Row wide = Row.builder("k1")
                    .set("n", 5_000_000_000L)
                    .set("ts", Instant.ofEpochMilli(42))
                    .build();
            s = s.evolve(wide);
            m.apply(List.of(wide), s, 201);
            m.apply(List.of(Row.tombstone("k2")), s, 202);
            assertEquals(50, m.keyCount());
            assertEquals(5_000_000_000L, m.get("k1", s).get("n"));
            assertEquals(Instant.ofEpochMilli(42), m.get("k1", s).get("ts"));
            assertEquals(199L, m.get("k49", s).get("n"), "INT32 rows read widened to the table's INT64");
            assertTrue(m.get("k2", s).isTombstone());
            assertNull(m.get("nope", s));
            List<Row> sorted = m.sortedRows(s);
            assertEquals(50, sorted.size());
            for (int i = 1; i < sorted.size(); i++) {
                assertTrue(sorted.get(i - 1).pk().compareTo(sorted.get(i).pk()) < 0);
            }
            TableColumns columns = m.sortedColumns(s);
            assertEquals(sorted.size(), columns.rows());
            for (int i = 0; i < sorted.size(); i++) {
                assertEquals(sorted.get(i), columns.row(i), "the checkpoint's columns hold the sorted rows");
            }
            assertEquals(202, m.lastLsn());
            assertEquals(1, m.firstLsn());
            m.close();
        }
    }

    @Test
    void viewSelectsLiveRowsAndSurvivesLaterWritesAndClose() {
        try (RootAllocator root = new RootAllocator()) {
            Memtable m = new Memtable("t", TableMode.UPSERT, 1, root, 16);
            TableSchema s =
                    TableSchema.initial().evolve(Row.builder("x").set("v", "a").build());
            for (int i = 0; i < 40; i++) {
                m.apply(List.of(Row.builder("k" + (i % 20)).set("v", "v" + i).build()), s, i + 1);
            }
            m.apply(List.of(Row.tombstone("k0")), s, 41);
            MemtableView view = m.view(root, null);
            m.apply(List.of(Row.builder("k5").set("v", "late").build()), s, 42);
            m.close();
            int live = 0;
            for (MemtableView.Slice slice : view.slices()) {
                VarCharVector pk = (VarCharVector) slice.pk();
                int[] sel = slice.selection();
                int n = sel == null ? slice.rows() : sel.length;
                for (int j = 0; j < n; j++) {
                    int r = sel == null ? j : sel[j];
                    String key = new String(pk.get(r));
                    assertTrue(!key.equals("k0"), "deleted key selected");
                    live++;
                }
            }
            assertEquals(19, live);
            view.close();
        }
    }

    @Test
    void viewWithDeadRowBitmapSelectsByOrdinalWithoutReadingKeys() {
        try (RootAllocator root = new RootAllocator()) {
            Memtable m = new Memtable("t", TableMode.UPSERT, 1, root, 16);
            TableSchema s =
                    TableSchema.initial().evolve(Row.builder("x").set("v", "a").build());
            List<Row> rows = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                rows.add(Row.builder("k" + i).set("v", "v" + i).build());
            }
            int[] ordinals = m.apply(rows, s, 1);
            assertEquals(40, ordinals.length);
            org.roaringbitmap.RoaringBitmap dead = new org.roaringbitmap.RoaringBitmap();
            for (int i = 0; i < 40; i++) {
                if (i % 3 == 0 || (i >= 16 && i < 32)) {
                    dead.add(ordinals[i]); // the whole second chunk and every third row
                }
            }
            MemtableView view = m.view(root, dead);
            java.util.Set<String> seen = new java.util.TreeSet<>();
            for (MemtableView.Slice slice : view.slices()) {
                VarCharVector pk = (VarCharVector) slice.pk();
                int[] sel = slice.selection();
                int n = sel == null ? slice.rows() : sel.length;
                for (int j = 0; j < n; j++) {
                    seen.add(new String(pk.get(sel == null ? j : sel[j])));
                }
            }
            java.util.Set<String> expected = new java.util.TreeSet<>();
            for (int i = 0; i < 40; i++) {
                if (!(i % 3 == 0 || (i >= 16 && i < 32))) {
                    expected.add("k" + i);
                }
            }
            assertEquals(expected, seen);
            assertEquals(2, view.slices().size(), "a chunk with no live row is left out");
            view.close();
            m.close();
        }
    }
}
