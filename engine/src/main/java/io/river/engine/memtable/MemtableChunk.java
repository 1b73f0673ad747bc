package io.river.engine.memtable;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import io.river.engine.model.VectorValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A fixed-capacity block of memtable rows in Arrow vectors: {@code _pk}, {@code _deleted}, then the
 * columns of the table schema the chunk was created with (a schema change starts a new chunk).
 * Rows are only appended. Not thread-safe: the owning {@link Memtable} guards it with its lock.
 * Owns its vectors; {@link #close()} releases them.
 */
final class MemtableChunk implements AutoCloseable {
    private final TableSchema schema;
    private final int capacity;
    private final VarCharVector pk;
    private final BitVector deleted;
    private final FieldVector[] columns;
    private int rows;

    MemtableChunk(TableSchema schema, int capacity, BufferAllocator allocator) {
        this.schema = schema;
        this.capacity = capacity;
        this.pk =
                new VarCharVector(new Field(SystemColumns.PK, FieldType.notNullable(ArrowTypes.UTF8), null), allocator);
        this.deleted = new BitVector(SystemColumns.DELETED, allocator);
        pk.setInitialCapacity(capacity, 24);
        pk.allocateNew();
        deleted.setInitialCapacity(capacity);
        deleted.allocateNew();
        List<Column> cols = schema.columns();
        this.columns = new FieldVector[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            FieldVector v = ArrowTypes.field(cols.get(i)).createVector(allocator);
            v.setInitialCapacity(capacity);
            v.allocateNew();
            columns[i] = v;
        }
    }

    TableSchema schema() {
        return schema;
    }

    int rows() {
        return rows;
    }

    boolean isFull() {
        return rows >= capacity;
    }

    /** Rows that still fit. */
    int free() {
        return capacity - rows;
    }

    /**
     * Appends rows {@code [from, from + count)} of {@code batch} (values already fit this chunk's
     * schema; {@code count <= free()}), one column at a time; a column the batch lacks is NULL.
     */
    void append(TableColumns batch, int from, int count) {
        int at = rows;
        for (int i = 0; i < count; i++) {
            pk.setSafe(at + i, batch.pk(from + i).getBytes(StandardCharsets.UTF_8));
            deleted.setSafe(at + i, batch.isDelete(from + i) ? 1 : 0);
        }
        List<Column> cols = schema.columns();
        for (int c = 0; c < cols.size(); c++) {
            TableColumns.Values values = batch.column(cols.get(c).name());
            if (values == null || values.type() == null) {
                for (int i = 0; i < count; i++) {
                    columns[c].setNull(at + i);
                }
            } else {
                ColumnCopy.copy(
                        values, from, count, batch, columns[c], cols.get(c).type(), at);
            }
        }
        rows = at + count;
        pk.setValueCount(rows);
        deleted.setValueCount(rows);
        for (FieldVector v : columns) {
            v.setValueCount(rows);
        }
    }

    String pk(int i) {
        return new String(pk.get(i), StandardCharsets.UTF_8);
    }

    boolean isDeleted(int i) {
        return deleted.get(i) != 0;
    }

    /** The row at {@code i}, with values widened to {@code target}'s types; nulls omitted. */
    Row read(int i, TableSchema target) {
        String key = pk(i);
        if (isDeleted(i)) {
            return Row.tombstone(key);
        }
        List<Column> cols = schema.columns();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int c = 0; c < cols.size(); c++) {
            Column col = cols.get(c);
            Column wanted = target.column(col.name());
            ColumnType type = wanted == null ? col.type() : wanted.type();
            Object v = VectorValues.get(columns[c], col.type(), type, i);
            if (v != null) {
                values.put(col.name(), v);
            }
        }
        return Row.of(key, values);
    }

    /** Capacity of the chunk's buffers in bytes. */
    long capacityBytes() {
        long n = 0;
        for (FieldVector v : allVectors()) {
            for (org.apache.arrow.memory.ArrowBuf b : v.getFieldBuffers()) {
                n += b.capacity();
            }
        }
        return n;
    }

    VarCharVector pkVector() {
        return pk;
    }

    BitVector deletedVector() {
        return deleted;
    }

    /** The vector of a column of this chunk's schema, or null when the chunk lacks it. */
    FieldVector column(String name) {
        int i = schema.indexOf(name);
        return i < 0 ? null : columns[i];
    }

    /** The vectors of the chunk schema's columns, in its order. */
    List<FieldVector> columns() {
        return List.of(columns);
    }

    List<FieldVector> allVectors() {
        List<FieldVector> all = new ArrayList<>(columns.length + 2);
        all.add(pk);
        all.add(deleted);
        for (FieldVector v : columns) {
            all.add(v);
        }
        return all;
    }

    @Override
    public void close() {
        pk.close();
        deleted.close();
        for (FieldVector v : columns) {
            v.close();
        }
    }
}
