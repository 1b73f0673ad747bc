package io.river.connect;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Names;
import io.river.engine.model.RowShape;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import io.river.engine.model.VectorValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows of one table in one {@code put()} of the server mode, kept column by column: a record
 * converts straight into the columns ({@link RowTarget}), with no row object or map per record, and
 * the batch encodes as one Arrow IPC stream (one schema, one record batch) for River's ingest route.
 *
 * <p>Schema: the batch checks each row against the table's running schema as it ends the row
 * ({@link #endRow()}): a value of a new column adds the column (its name must be valid), a value
 * that widens a number column widens it, one that cannot (a string in a number column, a change of a
 * system column's type) is a {@link SchemaException} and the row is dropped from the batch, so the
 * caller sets that record aside. {@link #schema()} is the running schema evolved over the batch,
 * the same as evolving it row by row. A {@code _deleted} value (a delete marker) is not a column of
 * the schema: it goes out as a Bit column.
 *
 * <p>Encoding ({@link #encode}): one vector per column that some row sets to a non-null value, in
 * schema order, typed as {@link ArrowTypes} maps River types, each value coerced to the column's
 * (widened) type. Not thread-safe (one per table per put, on the task's thread).
 */
final class ColumnBatch implements RowTarget {
    private static final int FIRST_CAPACITY = 64;

    /** One column's values by row (null: not set); {@code type} is null while every value is null. */
    private static final class Col {
        final String name;
        Object[] values;
        ColumnType type;
        /** The last row that set this column (to list a row's columns once). */
        int lastRow = -1;

        Col(String name, int capacity) {
            this.name = name;
            this.values = new Object[capacity];
        }
    }

    private final Map<String, Col> byName = new HashMap<>();
    private final List<Col> cols = new ArrayList<>();
    /** The columns the current row set, in the order it first set them. */
    private final List<Col> touched = new ArrayList<>();

    private final RowShape<Col> shape = new RowShape<>();

    private TableSchema schema;
    private int capacity = FIRST_CAPACITY;
    private int rows;

    /** A batch checked against (and evolving) {@code schema}. */
    ColumnBatch(TableSchema schema) {
        this.schema = schema;
    }

    /** Rows in the batch. */
    int size() {
        return rows;
    }

    /** The table's running schema evolved over the rows kept so far. */
    TableSchema schema() {
        return schema;
    }

    /** A value of the row being built (row {@link #size()}); the last value set for a column wins. */
    @Override
    public void put(String column, Object value) {
        Col c = lookup(column);
        if (c == null) {
            c = new Col(column, capacity);
            byName.put(column, c);
            cols.add(c);
        }
        if (c.lastRow != rows) {
            c.lastRow = rows;
            shape.set(touched.size(), column, c);
            touched.add(c);
        }
        c.values[rows] = value;
    }

    /**
     * The column of this name, or null. Rows usually set the same columns in the same order, so the
     * column the previous row set at this position is tried first (by reference, then by content),
     * before the hash lookup.
     */
    private Col lookup(String column) {
        Col guess = shape.guess(touched.size(), column);
        return guess != null ? guess : byName.get(column);
    }

    /**
     * Ends the row being built: checks its values against the running schema, evolving it, and keeps
     * the row; on a {@link SchemaException} the row is dropped (the batch is as before it began).
     */
    void endRow() throws SchemaException {
        try {
            schema = evolve(schema);
        } catch (SchemaException e) {
            abortRow();
            throw e;
        }
        touched.clear();
        rows++;
        if (rows == capacity) {
            grow();
        }
    }

    /** Drops the row being built (a record error while converting it). */
    void abortRow() {
        for (Col c : touched) {
            c.values[rows] = null;
            c.lastRow = -1;
        }
        touched.clear();
    }

    /**
     * Keeps only the rows for which {@code keep} holds (indexes as before the call), in order. Column
     * types and the schema stay as evolved: a dropped row may have widened a column, which stays wide.
     */
    void retain(IntPredicate keep) {
        int out = 0;
        for (int i = 0; i < rows; i++) {
            if (keep.test(i)) {
                if (out != i) {
                    for (Col c : cols) {
                        c.values[out] = c.values[i];
                    }
                }
                out++;
            }
        }
        for (Col c : cols) {
            Arrays.fill(c.values, out, rows, null);
            c.lastRow = -1;
        }
        rows = out;
    }

    /** The running schema with the current row's values applied (the same rule as {@link TableSchema#evolve}). */
    private TableSchema evolve(TableSchema current) {
        List<Column> next = null;
        for (Col c : touched) {
            Object value = c.values[rows];
            if (value == null || c.name.equals(SystemColumns.DELETED)) {
                continue;
            }
            ColumnType valueType = ColumnType.of(value);
            if (valueType == null) {
                throw new SchemaException(
                        "field '" + c.name + "' has a value of unsupported type "
                                + value.getClass().getSimpleName(),
                        c.name);
            }
            if (c.type == valueType) {
                continue; // the column already holds this type in the batch, and so the schema
            }
            List<Column> columns = next == null ? current.columns() : next;
            int pos = next == null ? current.indexOf(c.name) : indexIn(next, c.name);
            if (pos < 0) {
                if (!Names.isValid(c.name)) {
                    throw new SchemaException(
                            "field name '" + c.name + "' is not a valid column name ([A-Za-z_][A-Za-z0-9_]{0,127})",
                            c.name);
                }
                next = next == null ? new ArrayList<>(columns) : next;
                next.add(new Column(c.name, valueType));
                continue;
            }
            Column col = columns.get(pos);
            ColumnType widened = col.type().widen(valueType);
            if (widened == null) {
                throw new SchemaException(
                        "field '" + c.name + "' has a " + valueType + " value but column '" + col.name() + "' is "
                                + col.type(),
                        col.name());
            }
            if (widened != col.type()) {
                if (SystemColumns.isSystem(col.name())) {
                    throw new SchemaException(
                            "system column '" + col.name() + "' must be " + col.type() + ", got " + valueType,
                            col.name());
                }
                next = next == null ? new ArrayList<>(columns) : next;
                next.set(pos, new Column(col.name(), widened));
            }
        }
        if (next != null) {
            current = new TableSchema(current.version() + 1, next);
        }
        // Only now, with the row accepted: remember each column's type in the batch.
        for (Col c : touched) {
            Object value = c.values[rows];
            if (value != null && !c.name.equals(SystemColumns.DELETED)) {
                c.type = current.column(c.name).type();
            }
        }
        return current;
    }

    private static int indexIn(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void grow() {
        capacity *= 2;
        for (Col c : cols) {
            c.values = Arrays.copyOf(c.values, capacity);
        }
    }

    /** The batch as an Arrow IPC stream; every buffer is released before returning. */
    byte[] encode(BufferAllocator allocator) {
        List<Column> columns = usedColumns();
        List<Field> fields = new ArrayList<>(columns.size());
        for (Column c : columns) {
            fields.add(new Field(c.name(), FieldType.nullable(ArrowTypes.toArrow(c.type())), null));
        }
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            root.allocateNew();
            for (int i = 0; i < columns.size(); i++) {
                fill(root.getVector(i), columns.get(i));
            }
            root.setRowCount(rows);
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + rows * 16 * Math.max(1, columns.size()));
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("encoding an Arrow batch in memory failed", e);
        }
    }

    /** The schema's columns that some kept row sets, in schema order, then {@code _deleted} if set. */
    private List<Column> usedColumns() {
        List<Column> out = new ArrayList<>();
        for (Column c : schema.columns()) {
            Col col = byName.get(c.name());
            if (col != null && hasValue(col)) {
                out.add(c);
            }
        }
        Col deleted = byName.get(SystemColumns.DELETED);
        if (deleted != null && hasValue(deleted)) {
            out.add(new Column(SystemColumns.DELETED, ColumnType.BOOLEAN));
        }
        return out;
    }

    private boolean hasValue(Col c) {
        for (int i = 0; i < rows; i++) {
            if (c.values[i] != null) {
                return true;
            }
        }
        return false;
    }

    private void fill(FieldVector vector, Column column) {
        Object[] values = byName.get(column.name()).values;
        ColumnType type = column.type();
        for (int i = 0; i < rows; i++) {
            Object v = values[i];
            if (v != null) {
                VectorValues.set(vector, type, i, type.coerce(v));
            }
        }
        vector.setValueCount(rows);
    }
}
