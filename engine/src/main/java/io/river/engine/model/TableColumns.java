package io.river.engine.model;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of one table held column by column: each row's primary key and delete flag, and per column a
 * type, a presence flag per row (absent = NULL) and the values in one primitive array. The columnar
 * form of a run of {@link Row}s: the engine evolves a table's schema once per column, logs the
 * columns in one WAL entry and appends them to a memtable column by column.
 *
 * <p>A column's type is the widest type of its values in the batch (INT32 widens to INT64 and
 * FLOAT64, INT64 to FLOAT64, as a table's columns do); a column whose values are all NULL has no
 * type ({@code null}) and adds nothing to a schema. Columns are listed in the order their first
 * non-NULL value appeared, then the all-NULL ones, so evolving a schema by them adds columns in the
 * order evolving it row by row would. A delete row holds no values. Immutable once built.
 */
public final class TableColumns {
    private final String table;
    private final int rows;
    private final String[] pks;
    private final boolean[] deletes;
    private final List<Values> columns;
    private final Map<String, Values> byName;

    /**
     * One column: {@code data} is {@code boolean[]} (BOOLEAN), {@code int[]} (INT32, DATE as epoch
     * days), {@code long[]} (INT64, TIMESTAMP as epoch milliseconds), {@code double[]} (FLOAT64),
     * {@code String[]} (STRING) or {@code byte[][]} (BYTES), indexed by row, with at least as many
     * slots as rows; a slot counts only where {@code present} is true. {@code firstValueRow} is the row
     * of the first non-NULL value and {@code typeRow} the first row holding a value of {@code type}
     * itself (the row a refusal of the type names); both -1 for an all-NULL column.
     */
    public record Values(String name, ColumnType type, boolean[] present, Object data, int firstValueRow, int typeRow) {
        public boolean isNull(int row) {
            return !present[row];
        }
    }

    /** The columns as given (arrays are taken over, not copied). */
    public TableColumns(String table, int rows, String[] pks, boolean[] deletes, List<Values> columns) {
        if (pks.length < rows || deletes.length < rows) {
            throw new IllegalArgumentException("fewer keys or delete flags than rows");
        }
        this.table = table;
        this.rows = rows;
        this.pks = pks;
        this.deletes = deletes;
        this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
        Map<String, Values> idx = new HashMap<>();
        for (Values v : columns) {
            if (v.present().length < rows || idx.put(v.name(), v) != null) {
                throw new IllegalArgumentException("column '" + v.name() + "' is short or given twice");
            }
        }
        this.byName = idx;
    }

    /** The rows in columns; values of a type River cannot store are a {@link SchemaException}. */
    public static TableColumns of(String table, List<Row> rows) {
        return of(table, rows, null);
    }

    /** The rows in columns, typed from {@code base} where it has them (see {@link Builder}). */
    public static TableColumns of(String table, List<Row> rows, TableSchema base) {
        Builder b = new Builder(table, base);
        for (Row r : rows) {
            if (!r.isTombstone()) {
                for (Map.Entry<String, Object> e : r.values().entrySet()) {
                    b.put(e.getKey(), e.getValue());
                }
            }
            b.endRow(r.pk(), r.isTombstone());
        }
        return b.build();
    }

    public String table() {
        return table;
    }

    public int rows() {
        return rows;
    }

    public String pk(int row) {
        return pks[row];
    }

    public boolean isDelete(int row) {
        return deletes[row];
    }

    public List<Values> columns() {
        return columns;
    }

    /** The column of this name, or null when no row names it. */
    public Values column(String name) {
        return byName.get(name);
    }

    /** These columns with new keys and delete flags (arrays taken over) and {@code columns} in place of the old. */
    public TableColumns rekeyed(String[] newPks, boolean[] newDeletes, List<Values> newColumns) {
        return new TableColumns(table, rows, newPks, newDeletes, newColumns);
    }

    /** Rows {@code keep} (ascending row numbers) of these columns; each column keeps its type. */
    public TableColumns select(int[] keep) {
        int n = keep.length;
        String[] newPks = new String[n];
        boolean[] newDeletes = new boolean[n];
        for (int i = 0; i < n; i++) {
            newPks[i] = pks[keep[i]];
            newDeletes[i] = deletes[keep[i]];
        }
        List<Values> out = new ArrayList<>(columns.size());
        for (Values v : columns) {
            boolean[] present = new boolean[n];
            Object data = v.type() == null ? null : Col.newArray(v.type(), n);
            for (int i = 0; i < n; i++) {
                present[i] = v.present()[keep[i]];
                if (present[i]) {
                    java.lang.reflect.Array.set(data, i, java.lang.reflect.Array.get(v.data(), keep[i]));
                }
            }
            out.add(values(v.name(), v.type(), present, data));
        }
        return new TableColumns(table, n, newPks, newDeletes, out);
    }

    /** A column of {@code type} (null: all NULL) whose values are in {@code data} where {@code present}. */
    public static Values values(String name, ColumnType type, boolean[] present, Object data) {
        int first = -1;
        for (int r = 0; r < present.length && first < 0; r++) {
            first = present[r] ? r : -1;
        }
        return new Values(name, first < 0 ? null : type, present, data, first, first);
    }

    /** Row {@code r} as a {@link Row} (values in column order, NULLs left out). */
    public Row row(int r) {
        if (deletes[r]) {
            return Row.tombstone(pks[r]);
        }
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Values v : columns) {
            if (v.present()[r]) {
                values.put(v.name(), value(v, r));
            }
        }
        return Row.of(pks[r], values);
    }

    /** The value at row {@code r} of column {@code v} (null: no row names it) as its type's Java object, or null. */
    public static Object value(Values v, int r) {
        if (v == null || !v.present()[r]) {
            return null;
        }
        switch (v.type()) {
            case BOOLEAN:
                return ((boolean[]) v.data())[r];
            case INT32:
                return ((int[]) v.data())[r];
            case INT64:
                return ((long[]) v.data())[r];
            case FLOAT64:
                return ((double[]) v.data())[r];
            case STRING:
                return ((String[]) v.data())[r];
            case BYTES:
                return ((byte[][]) v.data())[r];
            case TIMESTAMP:
                return Instant.ofEpochMilli(((long[]) v.data())[r]);
            case DATE:
                return LocalDate.ofEpochDay(((int[]) v.data())[r]);
            default:
                throw new IllegalStateException(v.type().name());
        }
    }

    @Override
    public String toString() {
        return "TableColumns{" + table + ", " + rows + " rows, " + columns.size() + " columns}";
    }

    /**
     * Collects rows cell by cell: {@link #put} the values of a row, then {@link #endRow}; or
     * {@link #abortRow} to drop the row being built. A value that cannot join its column (a string
     * in a number column, a type River cannot store) is a {@link SchemaException} naming the column;
     * the row is then dropped, the rows before it kept. A number that widened its column keeps it
     * wide even if its row is dropped. Not thread-safe.
     */
    public static final class Builder {
        private static final int FIRST_CAPACITY = 64;

        private final String table;
        private final TableSchema base;
        private final Map<String, Col> byName = new HashMap<>();
        private final List<Col> cols = new ArrayList<>();
        private final List<Col> touched = new ArrayList<>();
        private int capacity = FIRST_CAPACITY;
        private int rows;
        private String[] pks = new String[FIRST_CAPACITY];
        private boolean[] deletes = new boolean[FIRST_CAPACITY];
        private int order;
        private final RowShape<Col> shape = new RowShape<>();

        /** A builder whose columns start with no type: the values alone decide it. */
        public Builder(String table) {
            this(table, null);
        }

        /**
         * A builder whose columns that {@code base} has start with the type {@code base} gives them, so
         * a value that cannot join its table's column is refused at its own row, as evolving {@code base}
         * row by row would; numbers still widen.
         */
        public Builder(String table, TableSchema base) {
            this.table = table;
            this.base = base;
        }

        /** Rows ended so far. */
        public int rows() {
            return rows;
        }

        /** Sets a value of the row being built; the last value put for a column wins. */
        public void put(String column, Object value) {
            Col c = lookup(column);
            if (c == null) {
                c = new Col(column, capacity);
                Column known = base == null ? null : base.column(column);
                if (known != null) {
                    c.type = known.type();
                    c.data = Col.newArray(known.type(), capacity);
                }
                byName.put(column, c);
                cols.add(c);
            }
            if (c.lastRow != rows) {
                c.lastRow = rows;
                shape.set(touched.size(), column, c);
                touched.add(c);
            }
            if (value == null) {
                c.present[rows] = false;
                return;
            }
            try {
                c.set(rows, value);
            } catch (SchemaException e) {
                abortRow();
                throw e;
            }
            if (c.firstValueRow < 0) {
                c.firstValueRow = rows;
                c.order = order++;
            }
        }

        /**
         * The column of this name, or null. Rows usually name the same columns in the same order, so the
         * column the previous row set at this position is tried first (by reference, then by content),
         * before the hash lookup.
         */
        private Col lookup(String column) {
            Col guess = shape.guess(touched.size(), column);
            return guess != null ? guess : byName.get(column);
        }

        /** The type of {@code column} in the rows so far, or its base type (null: neither). */
        public ColumnType type(String column) {
            Col c = byName.get(column);
            return c == null ? null : c.type;
        }

        /** The value put for {@code column} in the row being built, or null. */
        public Object current(String column) {
            Col c = byName.get(column);
            return c == null || c.lastRow != rows || !c.present[rows] ? null : value(c, rows);
        }

        /** Ends the row being built with its primary key; a delete row keeps no values. */
        public void endRow(String pk, boolean delete) {
            if (delete) {
                for (Col c : touched) {
                    c.present[rows] = false;
                }
            }
            touched.clear();
            pks[rows] = pk;
            deletes[rows] = delete;
            rows++;
            if (rows == capacity) {
                grow();
            }
        }

        /** Drops the values put since the last {@link #endRow}. */
        public void abortRow() {
            for (Col c : touched) {
                c.present[rows] = false;
                c.lastRow = -1;
                if (c.firstValueRow == rows) {
                    c.firstValueRow = -1;
                }
            }
            touched.clear();
        }

        private void grow() {
            capacity *= 2;
            pks = Arrays.copyOf(pks, capacity);
            deletes = Arrays.copyOf(deletes, capacity);
            for (Col c : cols) {
                c.grow(capacity);
            }
        }

        private static Object value(Col c, int r) {
            return TableColumns.value(new Values(c.name, c.type, c.present, c.data, r, r), r);
        }

        public TableColumns build() {
            abortRow();
            List<Col> sorted = new ArrayList<>(cols);
            sorted.sort((a, b) -> Integer.compare(
                    a.firstValueRow < 0 ? Integer.MAX_VALUE : a.order,
                    b.firstValueRow < 0 ? Integer.MAX_VALUE : b.order));
            List<Values> out = new ArrayList<>(sorted.size());
            for (Col c : sorted) {
                if (c.firstValueRow < 0) {
                    c.type = null;
                }
                out.add(new Values(c.name, c.type, c.present, c.data, c.firstValueRow, c.typeRow));
            }
            return new TableColumns(table, rows, pks, deletes, out);
        }
    }

    /** A column being built: its widest type so far and the values in that type's array. */
    private static final class Col {
        final String name;
        boolean[] present;
        Object data;
        ColumnType type;
        int lastRow = -1;
        int firstValueRow = -1;
        int typeRow = -1;
        int order;

        Col(String name, int capacity) {
            this.name = name;
            this.present = new boolean[capacity];
        }

        void set(int row, Object value) {
            ColumnType t = ColumnType.of(value);
            if (t == null) {
                throw new SchemaException(
                        "field '" + name + "' has a value of unsupported type "
                                + value.getClass().getSimpleName(),
                        name);
            }
            if (t != type) {
                adopt(t, row);
            }
            switch (type) {
                case BOOLEAN:
                    ((boolean[]) data)[row] = (Boolean) value;
                    break;
                case INT32:
                    ((int[]) data)[row] = ((Number) value).intValue();
                    break;
                case INT64:
                    ((long[]) data)[row] = ((Number) value).longValue();
                    break;
                case FLOAT64:
                    ((double[]) data)[row] = ((Number) value).doubleValue();
                    break;
                case STRING:
                    ((String[]) data)[row] = (String) value;
                    break;
                case BYTES:
                    ((byte[][]) data)[row] = (byte[]) value;
                    break;
                case TIMESTAMP:
                    ((long[]) data)[row] = ((Instant) value).toEpochMilli();
                    break;
                case DATE:
                    ((int[]) data)[row] = Math.toIntExact(((LocalDate) value).toEpochDay());
                    break;
                default:
                    throw new IllegalStateException(type.name());
            }
            present[row] = true;
        }

        /** Makes the column hold values of {@code t} too: the first type, or a widening of the numbers. */
        private void adopt(ColumnType t, int row) {
            if (type == null) {
                type = t;
                typeRow = row;
                data = newArray(t, present.length);
                return;
            }
            ColumnType widened = type.widen(t);
            if (widened == null) {
                throw new SchemaException(
                        "field '" + name + "' has a " + t + " value but column '" + name + "' is " + type, name);
            }
            if (widened != type) {
                data = widen(data, type, widened, row);
                type = widened;
                typeRow = row;
            }
        }

        private static Object widen(Object data, ColumnType from, ColumnType to, int rows) {
            int n = java.lang.reflect.Array.getLength(data);
            if (to == ColumnType.INT64) {
                long[] out = new long[n];
                int[] in = (int[]) data;
                for (int i = 0; i < rows; i++) {
                    out[i] = in[i];
                }
                return out;
            }
            double[] out = new double[n];
            for (int i = 0; i < rows; i++) {
                out[i] = from == ColumnType.INT32 ? ((int[]) data)[i] : (double) ((long[]) data)[i];
            }
            return out;
        }

        void grow(int capacity) {
            present = Arrays.copyOf(present, capacity);
            if (data != null) {
                Object bigger = newArray(type, capacity);
                System.arraycopy(data, 0, bigger, 0, java.lang.reflect.Array.getLength(data));
                data = bigger;
            }
        }

        static Object newArray(ColumnType t, int n) {
            switch (t) {
                case BOOLEAN:
                    return new boolean[n];
                case INT32:
                case DATE:
                    return new int[n];
                case INT64:
                case TIMESTAMP:
                    return new long[n];
                case FLOAT64:
                    return new double[n];
                case STRING:
                    return new String[n];
                case BYTES:
                    return new byte[n][];
                default:
                    throw new IllegalStateException(t.name());
            }
        }
    }
}
