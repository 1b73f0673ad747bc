package io.river.engine.memtable;

import io.river.engine.model.ColumnType;
import io.river.engine.model.TableColumns;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Copies a run of one column of a {@link TableColumns} into a chunk's vector: one loop per type
 * pair (the column's type in the batch, the type the table's schema gives it, which may be wider),
 * NULL where the batch has no value or the row is a delete. Stateless.
 */
final class ColumnCopy {
    private ColumnCopy() {}

    static void copy(
            TableColumns.Values src, int from, int count, TableColumns batch, FieldVector dst, ColumnType to, int at) {
        boolean[] present = src.present();
        Object data = src.data();
        ColumnType type = src.type();
        switch (to) {
            case BOOLEAN: {
                BitVector v = (BitVector) dst;
                boolean[] in = (boolean[]) data;
                for (int i = 0; i < count; i++) {
                    int r = from + i;
                    if (isValue(present, batch, r)) {
                        v.setSafe(at + i, in[r] ? 1 : 0);
                    } else {
                        v.setNull(at + i);
                    }
                }
                break;
            }
            case INT32:
            case DATE: {
                int[] in = (int[]) data;
                for (int i = 0; i < count; i++) {
                    int r = from + i;
                    if (!isValue(present, batch, r)) {
                        dst.setNull(at + i);
                    } else if (to == ColumnType.INT32) {
                        ((IntVector) dst).setSafe(at + i, in[r]);
                    } else {
                        ((DateDayVector) dst).setSafe(at + i, in[r]);
                    }
                }
                break;
            }
            case INT64:
            case TIMESTAMP: {
                for (int i = 0; i < count; i++) {
                    int r = from + i;
                    if (!isValue(present, batch, r)) {
                        dst.setNull(at + i);
                    } else if (to == ColumnType.INT64) {
                        ((BigIntVector) dst).setSafe(at + i, asLong(type, data, r));
                    } else {
                        ((TimeStampVector) dst).setSafe(at + i, ((long[]) data)[r]);
                    }
                }
                break;
            }
            case FLOAT64: {
                Float8Vector v = (Float8Vector) dst;
                for (int i = 0; i < count; i++) {
                    int r = from + i;
                    if (isValue(present, batch, r)) {
                        v.setSafe(at + i, asDouble(type, data, r));
                    } else {
                        v.setNull(at + i);
                    }
                }
                break;
            }
            case STRING: {
                VarCharVector v = (VarCharVector) dst;
                String[] in = (String[]) data;
                for (int i = 0; i < count; i++) {
                    int r = from + i;
                    if (isValue(present, batch, r)) {
                        v.setSafe(at + i, in[r].getBytes(StandardCharsets.UTF_8));
                    } else {
                        v.setNull(at + i);
                    }
                }
                break;
            }
            case BYTES: {
                VarBinaryVector v = (VarBinaryVector) dst;
                byte[][] in = (byte[][]) data;
                for (int i = 0; i < count; i++) {
                    int r = from + i;
                    if (isValue(present, batch, r)) {
                        v.setSafe(at + i, in[r]);
                    } else {
                        v.setNull(at + i);
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException(to.name());
        }
    }

    private static boolean isValue(boolean[] present, TableColumns batch, int r) {
        return present[r] && !batch.isDelete(r);
    }

    private static long asLong(ColumnType type, Object data, int r) {
        return type == ColumnType.INT32 ? ((int[]) data)[r] : ((long[]) data)[r];
    }

    private static double asDouble(ColumnType type, Object data, int r) {
        switch (type) {
            case INT32:
                return ((int[]) data)[r];
            case INT64:
                return ((long[]) data)[r];
            default:
                return ((double[]) data)[r];
        }
    }
}
