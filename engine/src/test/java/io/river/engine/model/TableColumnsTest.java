package io.river.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Building rows in columns: widening, refusals at the right row, dropped rows, and the schema they evolve. */
class TableColumnsTest {

    @Test
    void numbersWidenAndTheSchemaEvolvesAsRowByRow() {
        List<Row> rows = List.of(
                Row.builder("a").set("n", 1).set("late", null).build(),
                Row.builder("b").set("s", "x").set("n", 2L).build(),
                Row.tombstone("c"),
                Row.builder("d").set("n", 2.5).set("late", true).build());
        TableColumns cols = TableColumns.of("t", rows);
        assertEquals(ColumnType.FLOAT64, cols.column("n").type());
        assertEquals(3, cols.column("n").typeRow());
        assertEquals(
                List.of("n", "s", "late"),
                cols.columns().stream().map(TableColumns.Values::name).toList());
        TableSchema rowByRow = TableSchema.initial();
        for (Row r : rows) {
            rowByRow = rowByRow.evolve(r);
        }
        assertEquals(rowByRow, TableSchema.initial().evolve(cols));
        for (int r = 0; r < rows.size(); r++) {
            Row expected = rows.get(r);
            Row actual = cols.row(r);
            assertEquals(expected.pk(), actual.pk());
            assertEquals(expected.isTombstone(), actual.isTombstone());
            if (!expected.isTombstone()) {
                assertEquals(((Number) expected.get("n")).doubleValue(), (Double) actual.get("n"));
            }
        }
    }

    @Test
    void aBaseSchemaRefusesAValueAtItsOwnRowAndTheRowIsDropped() {
        TableSchema base =
                TableSchema.initial().evolve(Row.builder("x").set("n", 1).build());
        TableColumns.Builder b = new TableColumns.Builder("t", base);
        b.put("s", "first");
        b.endRow("a", false);
        b.put("s", "second");
        SchemaException e = assertThrows(SchemaException.class, () -> b.put("n", "two"));
        assertEquals("n", e.column());
        b.put("n", 3);
        b.endRow("c", false);
        TableColumns cols = b.build();
        assertEquals(2, cols.rows());
        assertEquals("c", cols.pk(1));
        assertNull(cols.row(1).get("s"), "the dropped row's values are gone");
        assertEquals(3, cols.row(1).get("n"));
    }

    @Test
    void refusalsOfTheSchemaNameTheRow() {
        TableSchema base = TableSchema.initial();
        List<Row> rows = new ArrayList<>();
        rows.add(Row.builder("a").set("_partition", 1).build());
        rows.add(Row.builder("b").set("_partition", 7L).build());
        RowRejectedException e =
                assertThrows(RowRejectedException.class, () -> base.evolve(TableColumns.of("t", rows, base)));
        assertEquals(1, e.index());
        assertTrue(e.getMessage().contains("_partition"), e.getMessage());
        RowRejectedException name = assertThrows(
                RowRejectedException.class,
                () -> base.evolve(TableColumns.of(
                        "t", List.of(Row.builder("a").set("bad name", 1).build()))));
        assertEquals(0, name.index());
    }
}
