package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;

class ColumnBatchTest {
    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void add(ColumnBatch batch, Map<String, Object> values) {
        values.forEach(batch::put);
        batch.endRow();
    }

    @Test
    void evolvesTheSchemaAsRowByRowEvolutionDoes() {
        List<Map<String, Object>> rows = List.of(
                row("a", 1L, "s", "x", SystemColumns.KEY, "k1"),
                row("a", 2.5, "n", null, SystemColumns.KEY, "k2"),
                row("b", true, "a", 3L, "n", 7, SystemColumns.OFFSET, 9L),
                row("n", 8L, "t", Instant.ofEpochMilli(5)));
        TableSchema expected = TableSchema.initial();
        ColumnBatch batch = new ColumnBatch(TableSchema.initial());
        for (Map<String, Object> r : rows) {
            expected = expected.evolve(Row.of("pk", new LinkedHashMap<>(r)));
            add(batch, r);
        }
        assertEquals(expected.columns(), batch.schema().columns());
        assertEquals(ColumnType.FLOAT64, batch.schema().column("a").type());
        assertEquals(ColumnType.INT64, batch.schema().column("n").type());
        assertEquals(4, batch.size());
    }

    @Test
    void aRowThatDoesNotFitIsDroppedAndTheBatchGoesOn() throws Exception {
        ColumnBatch batch = new ColumnBatch(TableSchema.initial());
        add(batch, row("a", 1L, "s", "x"));
        batch.put("s", "y");
        batch.put("a", "not a number");
        assertThrows(SchemaException.class, batch::endRow);
        batch.put("a", 1L);
        batch.put("bad-name", 1L);
        assertThrows(SchemaException.class, batch::endRow);
        batch.put(SystemColumns.OFFSET, "not a long");
        assertThrows(SchemaException.class, batch::endRow);
        add(batch, row("a", 2L, "s", "z"));
        assertEquals(2, batch.size());
        assertFalse(batch.schema().columns().stream().anyMatch(c -> c.name().equals("bad-name")));
        assertEquals(List.of(List.of(1L, "x"), List.of(2L, "z")), decode(batch, "a", "s"));
    }

    @Test
    void encodesUsedColumnsCoercedToTheirWidenedTypeWithDeleteMarkers() throws Exception {
        ColumnBatch batch = new ColumnBatch(TableSchema.initial());
        add(batch, row("a", 1L, "only_null", null, SystemColumns.KEY, "k1"));
        add(batch, row("a", 2.5, SystemColumns.KEY, "k2"));
        add(batch, row(SystemColumns.KEY, "k3", SystemColumns.DELETED, Boolean.TRUE));
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader =
                        new ArrowStreamReader(new ByteArrayInputStream(batch.encode(allocator)), allocator)) {
            assertTrue(reader.loadNextBatch());
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            List<String> names = new ArrayList<>();
            root.getSchema().getFields().forEach(f -> names.add(f.getName()));
            assertEquals(List.of(SystemColumns.KEY, "a", SystemColumns.DELETED), names);
            assertEquals(3, root.getRowCount());
            assertEquals(1.0, root.getVector("a").getObject(0));
            assertEquals(2.5, root.getVector("a").getObject(1));
            assertEquals(null, root.getVector("a").getObject(2));
            assertEquals(true, root.getVector(SystemColumns.DELETED).getObject(2));
            assertEquals(null, root.getVector(SystemColumns.DELETED).getObject(0));
            assertEquals("k3", root.getVector(SystemColumns.KEY).getObject(2).toString());
        }
    }

    @Test
    void retainKeepsTheChosenRowsInOrder() throws Exception {
        ColumnBatch batch = new ColumnBatch(TableSchema.initial());
        for (long i = 0; i < 100; i++) { // past the first capacity: the columns grow
            add(batch, row("i", i, "s", "v" + i));
        }
        batch.retain(i -> i % 3 == 0);
        assertEquals(34, batch.size());
        add(batch, row("i", 1000L, "s", "last"));
        List<List<Object>> rows = decode(batch, "i", "s");
        assertEquals(35, rows.size());
        assertEquals(List.of(99L, "v99"), rows.get(33));
        assertEquals(List.of(1000L, "last"), rows.get(34));
    }

    @Test
    void aRowAbortedWhileConvertingLeavesNoValues() throws Exception {
        ColumnBatch batch = new ColumnBatch(TableSchema.initial());
        batch.put("a", 1L);
        batch.put("s", "half");
        batch.abortRow();
        add(batch, row("a", 2L));
        assertEquals(1, batch.size());
        assertEquals(List.of(List.of(2L)), decode(batch, "a"));
        assertFalse(batch.schema().columns().stream().anyMatch(c -> c.name().equals("s")));
    }

    private static List<List<Object>> decode(ColumnBatch batch, String... columns) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader =
                        new ArrowStreamReader(new ByteArrayInputStream(batch.encode(allocator)), allocator)) {
            assertTrue(reader.loadNextBatch());
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            for (int i = 0; i < root.getRowCount(); i++) {
                List<Object> r = new ArrayList<>();
                for (String c : columns) {
                    Object v = root.getVector(c).getObject(i);
                    r.add(v == null ? null : v instanceof org.apache.arrow.vector.util.Text ? v.toString() : v);
                }
                out.add(r);
            }
        }
        return out;
    }
}
