package io.river.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ordered, versioned columns of a table: the system columns, then user columns in the order
 * they first appeared. Immutable; evolution returns a new schema with a higher version. The rules
 * (README, data model): a new field adds a nullable column, INT32 widens to INT64 and INT64 to
 * FLOAT64, anything else that does not fit is a {@link SchemaException}.
 */
public final class TableSchema {
    private final int version;
    private final List<Column> columns;
    private final Map<String, Integer> index;

    public TableSchema(int version, List<Column> columns) {
        this.version = version;
        this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (idx.put(columns.get(i).name(), i) != null) {
                throw new IllegalArgumentException(
                        "duplicate column " + columns.get(i).name());
            }
        }
        this.index = idx;
    }

    /** The schema of a new table: just the system columns. */
    public static TableSchema initial() {
        return new TableSchema(1, SystemColumns.ALL);
    }

    public int version() {
        return version;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The column with this name, or null. */
    public Column column(String name) {
        Integer i = index.get(name);
        return i == null ? null : columns.get(i);
    }

    /** Position of the column, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /**
     * The schema that can hold this row: this one when nothing changes, otherwise a new version with
     * the added or widened columns. Throws {@link SchemaException} naming the field when a value
     * cannot fit. Pure: does not change this schema.
     */
    public TableSchema evolve(Row row) {
        List<Column> next = null;
        for (Map.Entry<String, Object> e : row.values().entrySet()) {
            Object value = e.getValue();
            if (value == null) {
                if (column(e.getKey()) == null && !hasColumn(next, e.getKey())) {
                    // A field seen only as null: no type to give it yet, so no column until a value comes.
                    continue;
                }
                continue;
            }
            ColumnType valueType = ColumnType.of(value);
            if (valueType == null) {
                throw new SchemaException(
                        "field '" + e.getKey() + "' has a value of unsupported type "
                                + value.getClass().getSimpleName(),
                        e.getKey());
            }
            List<Column> current = next == null ? columns : next;
            // Until a column is added or widened, the hash index answers (this runs per field per row).
            int pos = next == null ? indexOf(e.getKey()) : indexIn(current, e.getKey());
            if (pos < 0) {
                if (!Names.isValid(e.getKey())) {
                    throw new SchemaException(
                            "field name '" + e.getKey() + "' is not a valid column name ([A-Za-z_][A-Za-z0-9_]{0,127})",
                            e.getKey());
                }
                if (next == null) {
                    next = new ArrayList<>(columns);
                }
                next.add(new Column(e.getKey(), valueType));
                continue;
            }
            Column col = current.get(pos);
            if (col.type() == valueType) {
                continue;
            }
            ColumnType widened = col.type().widen(valueType);
            if (widened == null) {
                throw new SchemaException(
                        "field '" + e.getKey() + "' has a " + valueType + " value but column '" + col.name() + "' is "
                                + col.type(),
                        col.name());
            }
            if (widened != col.type()) {
                if (SystemColumns.isSystem(col.name())) {
                    throw new SchemaException(
                            "system column '" + col.name() + "' must be " + col.type() + ", got " + valueType,
                            col.name());
                }
                if (next == null) {
                    next = new ArrayList<>(columns);
                }
                next.set(pos, new Column(col.name(), widened));
            }
        }
        return next == null ? this : new TableSchema(version + 1, next);
    }

    /**
     * The schema that can hold these columns: the rule of {@link #evolve(Row)} applied once per
     * column (in the order of their first values) instead of once per row, with the same result as
     * evolving by each row in turn. Throws {@link RowRejectedException} whose index is the row (of
     * {@code batch}) holding the first value that cannot fit. Pure.
     */
    public TableSchema evolve(TableColumns batch) {
        List<Column> next = null;
        for (TableColumns.Values v : batch.columns()) {
            ColumnType valueType = v.type();
            if (valueType == null) {
                continue; // only NULLs: no column until a value comes
            }
            List<Column> current = next == null ? columns : next;
            int pos = next == null ? indexOf(v.name()) : indexIn(current, v.name());
            if (pos < 0) {
                if (!Names.isValid(v.name())) {
                    throw new RowRejectedException(
                            v.firstValueRow(),
                            "field name '" + v.name() + "' is not a valid column name ([A-Za-z_][A-Za-z0-9_]{0,127})",
                            v.name());
                }
                if (next == null) {
                    next = new ArrayList<>(columns);
                }
                next.add(new Column(v.name(), valueType));
                continue;
            }
            Column col = current.get(pos);
            ColumnType widened = col.type().widen(valueType);
            if (widened == null) {
                throw new RowRejectedException(
                        v.firstValueRow(),
                        "field '" + v.name() + "' has a " + valueType + " value but column '" + col.name() + "' is "
                                + col.type(),
                        col.name());
            }
            if (widened != col.type()) {
                if (SystemColumns.isSystem(col.name())) {
                    throw new RowRejectedException(
                            v.typeRow(),
                            "system column '" + col.name() + "' must be " + col.type() + ", got " + valueType,
                            col.name());
                }
                if (next == null) {
                    next = new ArrayList<>(columns);
                }
                next.set(pos, new Column(col.name(), widened));
            }
        }
        return next == null ? this : new TableSchema(version + 1, next);
    }

    private static boolean hasColumn(List<Column> cols, String name) {
        return cols != null && indexIn(cols, name) >= 0;
    }

    private static int indexIn(List<Column> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSchema && ((TableSchema) o).columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns);
    }

    @Override
    public String toString() {
        return "TableSchema{v" + version + " " + columns + "}";
    }
}
