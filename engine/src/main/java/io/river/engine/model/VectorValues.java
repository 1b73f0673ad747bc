package io.river.engine.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Reads and writes single River values in Arrow vectors of the types {@link
 * io.river.engine.model.ArrowTypes} maps to, widening on read. Stateless; callers own the vectors.
 */
public final class VectorValues {
    private VectorValues() {}

    /** Sets slot {@code i} to {@code value} (already coerced to {@code type}), or null. */
    public static void set(FieldVector vector, ColumnType type, int i, Object value) {
        if (value == null) {
            vector.setNull(i);
            return;
        }
        switch (type) {
            case BOOLEAN:
                ((BitVector) vector).setSafe(i, ((Boolean) value) ? 1 : 0);
                break;
            case INT32:
                ((IntVector) vector).setSafe(i, ((Number) value).intValue());
                break;
            case INT64:
                ((BigIntVector) vector).setSafe(i, ((Number) value).longValue());
                break;
            case FLOAT64:
                ((Float8Vector) vector).setSafe(i, ((Number) value).doubleValue());
                break;
            case STRING:
                ((VarCharVector) vector).setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
                break;
            case BYTES:
                ((VarBinaryVector) vector).setSafe(i, (byte[]) value);
                break;
            case TIMESTAMP:
                // Any millisecond timestamp vector, with a zone (River's own) or without (Flight SQL's).
                ((TimeStampVector) vector).setSafe(i, ((Instant) value).toEpochMilli());
                break;
            case DATE:
                ((DateDayVector) vector).setSafe(i, Math.toIntExact(((LocalDate) value).toEpochDay()));
                break;
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    /**
     * The integer in slot {@code i} (not NULL) of an integer vector of any width, a timestamp vector
     * (epoch units) or a date vector (epoch days), as a long.
     */
    public static long longAt(FieldVector v, int i) {
        if (v instanceof BaseIntVector ints) {
            return ints.getValueAsLong(i);
        } else if (v instanceof TimeStampVector ts) {
            return ts.get(i);
        }
        return ((DateDayVector) v).get(i);
    }

    /** The value in slot {@code i} of a vector holding {@code stored}, widened to {@code wanted}. */
    public static Object get(FieldVector vector, ColumnType stored, ColumnType wanted, int i) {
        if (vector.isNull(i)) {
            return null;
        }
        Object v;
        switch (stored) {
            case BOOLEAN:
                v = ((BitVector) vector).get(i) != 0;
                break;
            case INT32:
                v = ((IntVector) vector).get(i);
                break;
            case INT64:
                v = ((BigIntVector) vector).get(i);
                break;
            case FLOAT64:
                v = ((Float8Vector) vector).get(i);
                break;
            case STRING:
                v = new String(((VarCharVector) vector).get(i), StandardCharsets.UTF_8);
                break;
            case BYTES:
                v = ((VarBinaryVector) vector).get(i);
                break;
            case TIMESTAMP:
                v = Instant.ofEpochMilli(((TimeStampMilliTZVector) vector).get(i));
                break;
            case DATE:
                v = LocalDate.ofEpochDay(((DateDayVector) vector).get(i));
                break;
            default:
                throw new IllegalArgumentException(stored.name());
        }
        return wanted == stored ? v : wanted.coerce(v);
    }
}
