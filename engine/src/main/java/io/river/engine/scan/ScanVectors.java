package io.river.engine.scan;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.VectorValues;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;

/**
 * Builds the vectors a {@link ScanBatch} hands out when a source's column differs from the table's
 * current schema: an all-NULL vector for a column the source lacks, a widened copy (INT32 → INT64 →
 * FLOAT64) for an older, narrower column. Stateless; the caller owns every vector returned.
 */
public final class ScanVectors {
    private ScanVectors() {}

    /** A vector of {@code rows} NULLs of the column's type. */
    public static FieldVector nulls(Column column, int rows, BufferAllocator allocator) {
        FieldVector v = ArrowTypes.field(column).createVector(allocator);
        v.setInitialCapacity(Math.max(rows, 1));
        v.allocateNew();
        v.setValueCount(rows);
        return v;
    }

    /** A copy of {@code source} (holding {@code stored}) widened to the column's type. */
    public static FieldVector widen(FieldVector source, ColumnType stored, Column column, BufferAllocator allocator) {
        int rows = source.getValueCount();
        FieldVector out = ArrowTypes.field(column).createVector(allocator);
        out.setInitialCapacity(Math.max(rows, 1));
        out.allocateNew();
        ColumnType wanted = column.type();
        if (stored == ColumnType.INT32 && wanted == ColumnType.INT64) {
            IntVector in = (IntVector) source;
            BigIntVector o = (BigIntVector) out;
            for (int i = 0; i < rows; i++) {
                if (!in.isNull(i)) {
                    o.set(i, in.get(i));
                }
            }
        } else if (wanted == ColumnType.FLOAT64 && (stored == ColumnType.INT32 || stored == ColumnType.INT64)) {
            Float8Vector o = (Float8Vector) out;
            for (int i = 0; i < rows; i++) {
                if (!source.isNull(i)) {
                    o.set(
                            i,
                            stored == ColumnType.INT32
                                    ? ((IntVector) source).get(i)
                                    : (double) ((BigIntVector) source).get(i));
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                VectorValues.set(out, wanted, i, VectorValues.get(source, stored, wanted, i));
            }
        }
        out.setValueCount(rows);
        return out;
    }
}
