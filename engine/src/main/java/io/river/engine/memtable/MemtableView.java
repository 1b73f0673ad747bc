package io.river.engine.memtable;

import io.river.engine.model.TableSchema;
import java.util.List;
import org.apache.arrow.vector.FieldVector;

/**
 * What a scan sees of one memtable: slices of its chunks (vectors {@code _pk}, {@code _deleted},
 * then the chunk schema's columns) with their live-row selections; chunks without a live row are
 * left out. The slices are owned by whoever took the view and must be closed.
 */
public record MemtableView(List<Slice> slices) implements AutoCloseable {

    /** One chunk's rows [0, rows) with the schema they were written under; selection null = all. */
    public record Slice(TableSchema schema, List<FieldVector> vectors, int rows, int[] selection)
            implements AutoCloseable {
        /** The vector of a schema column, or null when the chunk lacks it. */
        public FieldVector column(String name) {
            int i = schema.indexOf(name);
            return i < 0 ? null : vectors.get(i + 2);
        }

        public FieldVector pk() {
            return vectors.get(0);
        }

        @Override
        public void close() {
            for (FieldVector v : vectors) {
                v.close();
            }
        }
    }

    @Override
    public void close() {
        for (Slice s : slices) {
            s.close();
        }
    }
}
