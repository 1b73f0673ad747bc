package io.river.http.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Fills Arrow vectors from plain Java values in the tests. */
final class ArrowValues {
    private ArrowValues() {}

    static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    /** A batch filler setting row r of column c to {@code rows[r][c]} (null for a null cell). */
    static Consumer<VectorSchemaRoot> rows(Object[]... rows) {
        return root -> {
            List<FieldVector> vectors = root.getFieldVectors();
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < vectors.size(); c++) {
                    set(vectors.get(c), r, rows[r][c]);
                }
            }
            root.setRowCount(rows.length);
        };
    }

    /** Sets one cell; integers and floats are given as any Number, strings for text vectors, byte[] for binary. */
    static void set(FieldVector vector, int row, Object value) {
        if (value == null) {
            if (!(vector instanceof NullVector)) {
                vector.setNull(row);
            }
            return;
        }
        if (vector instanceof VariableWidthFieldVector v) {
            v.setSafe(row, value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) value);
        } else if (vector instanceof FixedSizeBinaryVector v) {
            v.setSafe(row, (byte[]) value);
        } else if (vector instanceof TimeStampVector v) {
            v.setSafe(row, ((Number) value).longValue());
        } else {
            setNumber(vector, row, value);
        }
    }

    private static void setNumber(FieldVector vector, int row, Object value) {
        if (vector instanceof BitVector v) {
            v.setSafe(row, (Boolean) value ? 1 : 0);
            return;
        }
        Number n = (Number) value;
        if (vector instanceof TinyIntVector v) {
            v.setSafe(row, n.intValue());
        } else if (vector instanceof SmallIntVector v) {
            v.setSafe(row, n.intValue());
        } else if (vector instanceof IntVector v) {
            v.setSafe(row, n.intValue());
        } else if (vector instanceof UInt1Vector v) {
            v.setSafe(row, n.intValue());
        } else if (vector instanceof UInt2Vector v) {
            v.setSafe(row, n.intValue());
        } else if (vector instanceof UInt4Vector v) {
            v.setSafe(row, (int) n.longValue());
        } else if (vector instanceof BigIntVector v) {
            v.setSafe(row, n.longValue());
        } else if (vector instanceof Float4Vector v) {
            v.setSafe(row, n.floatValue());
        } else if (vector instanceof Float8Vector v) {
            v.setSafe(row, n.doubleValue());
        } else if (vector instanceof DateDayVector v) {
            v.setSafe(row, n.intValue());
        } else if (vector instanceof DateMilliVector v) {
            v.setSafe(row, n.longValue());
        } else {
            throw new IllegalArgumentException(
                    "no setter for " + vector.getClass().getSimpleName());
        }
    }
}
