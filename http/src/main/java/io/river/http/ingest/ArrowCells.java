package io.river.http.ingest;

import io.river.engine.model.ColumnType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Reads Arrow cells through each vector's typed accessor as the Java value of a River type: Bool BOOLEAN;
 * Int8/16/32 and UInt8/16 INT32; Int64 and UInt32 INT64; Float32/64 FLOAT64; Utf8, LargeUtf8, Utf8View STRING;
 * Binary, LargeBinary, BinaryView, FixedSizeBinary BYTES; Timestamp of any unit and zone TIMESTAMP (cut to
 * milliseconds, rounding toward the past); Date32 and Date64 DATE (a Date64 cut to its day; into a TIMESTAMP column
 * made before River had DATE, {@link Coercion} gives midnight UTC). Dictionary-encoded cells are decoded. Every
 * other Arrow type is unsupported. Stateless.
 */
final class ArrowCells {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** Reads one cell of a vector; null for a null cell. */
    @FunctionalInterface
    interface Reader {
        Object get(int index);
    }

    private ArrowCells() {}

    /** The River type cells of {@code type} are read as, or null when River cannot store the type. */
    static ColumnType riverType(ArrowType type) {
        if (type instanceof ArrowType.Bool) {
            return ColumnType.BOOLEAN;
        } else if (type instanceof ArrowType.Int i) {
            return intType(i.getBitWidth(), i.getIsSigned());
        } else if (type instanceof ArrowType.FloatingPoint f) {
            return f.getPrecision() == FloatingPointPrecision.HALF ? null : ColumnType.FLOAT64;
        } else if (type instanceof ArrowType.Utf8
                || type instanceof ArrowType.LargeUtf8
                || type instanceof ArrowType.Utf8View) {
            return ColumnType.STRING;
        } else if (type instanceof ArrowType.Binary
                || type instanceof ArrowType.LargeBinary
                || type instanceof ArrowType.BinaryView
                || type instanceof ArrowType.FixedSizeBinary) {
            return ColumnType.BYTES;
        } else if (type instanceof ArrowType.Timestamp) {
            return ColumnType.TIMESTAMP;
        } else if (type instanceof ArrowType.Date) {
            return ColumnType.DATE;
        }
        return null;
    }

    /** INT32 for integers that fit in 32 signed bits, INT64 for those that fit in 64, else null (UInt64). */
    private static ColumnType intType(int bits, boolean signed) {
        int valueBits = signed ? bits : bits + 1;
        if (valueBits <= 32) {
            return ColumnType.INT32;
        }
        return valueBits <= 64 ? ColumnType.INT64 : null;
    }

    /** A reader of {@code vector}, whose Arrow type {@link #riverType} supports. */
    static Reader of(ValueVector vector, ArrowType type) {
        if (vector instanceof VariableWidthFieldVector v) {
            return riverType(type) == ColumnType.STRING ? text(v) : i -> v.isNull(i) ? null : v.get(i);
        } else if (vector instanceof TimeStampVector v) {
            return timestamps(v, ((ArrowType.Timestamp) type).getUnit());
        } else if (vector instanceof FixedSizeBinaryVector v) {
            return i -> v.isNull(i) ? null : v.get(i);
        }
        return fixedWidth(vector);
    }

    /** A reader that decodes dictionary {@code indices} into cells of {@code values}. */
    static Reader decoded(BaseIntVector indices, Reader values, int dictionarySize) {
        return i -> {
            if (indices.isNull(i)) {
                return null;
            }
            long index = indices.getValueAsLong(i);
            if (index < 0 || index >= dictionarySize) {
                throw new BadValueException(
                        "dictionary index " + index + " is outside the dictionary of " + dictionarySize + " values");
            }
            return values.get((int) index);
        };
    }

    private static Reader fixedWidth(ValueVector vector) {
        if (vector instanceof BitVector v) {
            return i -> v.isNull(i) ? null : (Object) (v.get(i) != 0);
        } else if (vector instanceof TinyIntVector v) {
            return i -> v.isNull(i) ? null : (Object) (int) v.get(i);
        } else if (vector instanceof SmallIntVector v) {
            return i -> v.isNull(i) ? null : (Object) (int) v.get(i);
        } else if (vector instanceof IntVector v) {
            return i -> v.isNull(i) ? null : (Object) v.get(i);
        } else if (vector instanceof UInt1Vector v) {
            return i -> v.isNull(i) ? null : (Object) (v.get(i) & 0xFF);
        } else if (vector instanceof UInt2Vector v) {
            return i -> v.isNull(i) ? null : (Object) (int) v.get(i);
        } else if (vector instanceof BigIntVector v) {
            return i -> v.isNull(i) ? null : (Object) v.get(i);
        } else if (vector instanceof UInt4Vector v) {
            return i -> v.isNull(i) ? null : (Object) (v.get(i) & 0xFFFFFFFFL);
        } else if (vector instanceof Float4Vector v) {
            return i -> v.isNull(i) ? null : (Object) (double) v.get(i);
        } else if (vector instanceof Float8Vector v) {
            return i -> v.isNull(i) ? null : (Object) v.get(i);
        } else if (vector instanceof DateDayVector v) {
            return i -> v.isNull(i) ? null : LocalDate.ofEpochDay(v.get(i));
        } else if (vector instanceof DateMilliVector v) {
            return i -> v.isNull(i) ? null : LocalDate.ofEpochDay(Math.floorDiv(v.get(i), MILLIS_PER_DAY));
        }
        throw new IllegalArgumentException("no reader for " + vector.getClass().getSimpleName());
    }

    private static Reader text(VariableWidthFieldVector v) {
        return i -> v.isNull(i) ? null : new String(v.get(i), StandardCharsets.UTF_8);
    }

    private static Reader timestamps(TimeStampVector v, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> i -> v.isNull(i) ? null : Instant.ofEpochMilli(seconds(v.get(i)));
            case MILLISECOND -> i -> v.isNull(i) ? null : Instant.ofEpochMilli(v.get(i));
            case MICROSECOND -> i -> v.isNull(i) ? null : Instant.ofEpochMilli(Math.floorDiv(v.get(i), 1_000L));
            case NANOSECOND -> i -> v.isNull(i) ? null : Instant.ofEpochMilli(Math.floorDiv(v.get(i), 1_000_000L));
        };
    }

    private static long seconds(long seconds) {
        try {
            return Math.multiplyExact(seconds, 1_000L);
        } catch (ArithmeticException e) {
            throw new BadValueException("timestamp " + seconds + " s is out of range");
        }
    }
}
