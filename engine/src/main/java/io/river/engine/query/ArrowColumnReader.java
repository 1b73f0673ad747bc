package io.river.engine.query;

import io.river.engine.model.ColumnType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;

/**
 * Reads the selected rows of an Arrow vector into a {@link Vec}: fixed-width values are copied into
 * primitive arrays straight from the data buffer, strings and bytes are read in place. Accepts the
 * vector kinds of {@link io.river.engine.model.ArrowTypes} and widens INT32/INT64 data to a wider
 * expected type (a block written before the column was widened). Stateless.
 */
final class ArrowColumnReader {
    private ArrowColumnReader() {
    }

    static Vec read(FieldVector v, ColumnType expected, int rows, int[] sel, int n) {
        if (v == null) {
            return allNull(expected, rows);
        }
        Vec out;
        if (v instanceof BaseVariableWidthVector) {
            BaseVariableWidthVector vw = (BaseVariableWidthVector) v;
            out = new Vec.ArrowBytesVec(expected, vw.getOffsetBuffer(), vw.getDataBuffer(), rows);
        } else if (v instanceof BitVector) {
            Vec.BoolVec b = new Vec.BoolVec(rows);
            ArrowBuf data = v.getDataBuffer();
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                b.values[i] = BitVectorHelper.get(data, i) != 0;
            }
            out = b;
        } else if (expected == ColumnType.FLOAT64) {
            Vec.DoubleVec d = new Vec.DoubleVec(rows);
            ArrowBuf data = v.getDataBuffer();
            if (v instanceof Float8Vector) {
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    d.values[i] = data.getDouble((long) i * 8);
                }
            } else if (v instanceof IntVector) {
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    d.values[i] = data.getInt((long) i * 4);
                }
            } else if (v instanceof BigIntVector) {
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    d.values[i] = data.getLong((long) i * 8);
                }
            } else {
                throw unexpected(v, expected);
            }
            out = d;
        } else {
            Vec.LongVec l = new Vec.LongVec(expected, rows);
            ArrowBuf data = v.getDataBuffer();
            if (v instanceof IntVector) {
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    l.values[i] = data.getInt((long) i * 4);
                }
            } else if (v instanceof BigIntVector || v instanceof TimeStampVector) {
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    l.values[i] = data.getLong((long) i * 8);
                }
            } else {
                throw unexpected(v, expected);
            }
            out = l;
        }
        if (v.getNullCount() > 0) {
            boolean[] nulls = new boolean[rows];
            ArrowBuf validity = v.getValidityBuffer();
            boolean any = false;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                boolean isNull = BitVectorHelper.get(validity, i) == 0;
                nulls[i] = isNull;
                any |= isNull;
            }
            if (any) {
                out.nulls = nulls;
            }
        }
        return out;
    }

    static Vec allNull(ColumnType type, int rows) {
        Vec v;
        switch (type) {
            case FLOAT64:
                v = new Vec.DoubleVec(rows);
                break;
            case BOOLEAN:
                v = new Vec.BoolVec(rows);
                break;
            case STRING:
            case BYTES:
                v = new Vec.ArrayBytesVec(type, new byte[rows][]);
                break;
            default:
                v = new Vec.LongVec(type, rows);
        }
        boolean[] nulls = new boolean[rows];
        java.util.Arrays.fill(nulls, true);
        v.nulls = nulls;
        return v;
    }

    private static IllegalStateException unexpected(FieldVector v, ColumnType expected) {
        return new IllegalStateException("scan returned " + v.getClass().getSimpleName() + " for a " + expected
                + " column " + v.getName());
    }
}
