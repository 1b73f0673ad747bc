package io.river.engine.query;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.ColumnType;
import io.river.engine.model.VectorValues;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes a {@link QueryResult} as an Arrow IPC stream, uncompressed (readers need no codec), in
 * record batches of at most {@value #BATCH_ROWS} rows, with the column types of
 * {@link ArrowTypes}. Every buffer is released before returning. Stateless.
 */
final class ArrowResultWriter {
    static final int BATCH_ROWS = 65_536;

    private ArrowResultWriter() {}

    static void write(QueryResult result, OutputStream out, BufferAllocator parent) throws IOException {
        List<Field> fields = new ArrayList<>();
        for (ResultColumn c : result.columns()) {
            fields.add(new Field(c.name(), FieldType.nullable(ArrowTypes.toArrow(c.type())), null));
        }
        try (BufferAllocator allocator = parent.newChildAllocator("query-result", 0, Long.MAX_VALUE);
                VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            List<Object[]> rows = result.rows();
            for (int from = 0; from < rows.size() || from == 0; from += BATCH_ROWS) {
                int to = Math.min(rows.size(), from + BATCH_ROWS);
                root.allocateNew();
                for (int c = 0; c < fields.size(); c++) {
                    fill(root.getVector(c), result.columns().get(c).type(), rows, from, to, c);
                }
                root.setRowCount(to - from);
                writer.writeBatch();
                if (to >= rows.size()) {
                    break;
                }
            }
            writer.end();
        }
    }

    private static void fill(FieldVector v, ColumnType type, List<Object[]> rows, int from, int to, int c) {
        for (int r = from; r < to; r++) {
            VectorValues.set(v, type, r - from, rows.get(r)[c]);
        }
        v.setValueCount(to - from);
    }
}
