package io.river.connect.server;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import io.river.engine.model.VectorValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Encodes a batch of rows as an Arrow IPC stream (one schema, one record batch) for River's
 * ingest route: one column per column of {@code schema} that some row sets, in schema order,
 * typed by the schema as {@link ArrowTypes} maps River types (TIMESTAMP Timestamp(ms, UTC), DATE
 * Date(DAY), ...); values are coerced to the column's type (the schema has
 * already been evolved over these rows). A {@code _deleted} value (a delete marker) becomes a
 * Bit column. Every buffer is released before returning. Stateless.
 */
public final class ArrowBatches {
    private ArrowBatches() {}

    public static byte[] encode(List<Map<String, Object>> rows, TableSchema schema, BufferAllocator allocator) {
        List<Column> columns = usedColumns(rows, schema);
        List<Field> fields = new ArrayList<>(columns.size());
        for (Column c : columns) {
            fields.add(new Field(c.name(), FieldType.nullable(ArrowTypes.toArrow(c.type())), null));
        }
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            root.allocateNew();
            for (int col = 0; col < columns.size(); col++) {
                fill(root.getVector(col), columns.get(col), rows);
            }
            root.setRowCount(rows.size());
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + rows.size() * 16 * Math.max(1, columns.size()));
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

    private static List<Column> usedColumns(List<Map<String, Object>> rows, TableSchema schema) {
        Set<String> used = new HashSet<>();
        for (Map<String, Object> row : rows) {
            for (Map.Entry<String, Object> e : row.entrySet()) {
                if (e.getValue() != null) {
                    used.add(e.getKey());
                }
            }
        }
        List<Column> out = new ArrayList<>();
        for (Column c : schema.columns()) {
            if (used.contains(c.name())) {
                out.add(c);
            }
        }
        if (used.contains(SystemColumns.DELETED)) {
            out.add(new Column(SystemColumns.DELETED, ColumnType.BOOLEAN));
        }
        return out;
    }

    private static void fill(FieldVector vector, Column column, List<Map<String, Object>> rows) {
        for (int i = 0; i < rows.size(); i++) {
            VectorValues.set(
                    vector, column.type(), i, column.type().coerce(rows.get(i).get(column.name())));
        }
        vector.setValueCount(rows.size());
    }
}
