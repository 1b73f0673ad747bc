package io.river.engine.segment;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.ColumnType;
import io.river.engine.scan.NarrowValues;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * How one numeric column of a segment is stored narrowed (format version 4 on, see {@link
 * SegmentFormat}): as a signed Arrow integer of {@link #bits} 8, 16 or 32 bits holding {@code value
 * - base} ({@link Kind#OFFSET}: INT32, INT64, TIMESTAMP in epoch milliseconds, DATE in epoch days)
 * or {@code round(value * 10^scale) - base} ({@link Kind#DECIMAL}: FLOAT64 columns whose every
 * value is a decimal of at most {@value #MAX_SCALE} fractional digits that converts back exactly).
 * The logical value of a stored {@code s} is {@code base + s} in 64-bit two's complement arithmetic
 * (offset), or {@code (double) (base + s) / 10^scale} (decimal, {@code base + s} at most 2^53 in
 * magnitude). Written as the field's custom metadata, so a stock Arrow reader sees the narrow
 * integers and the keys to widen them. Immutable.
 */
public record ColumnEncoding(Kind kind, ColumnType type, int bits, long base, int scale) {
    /** Field metadata key: "offset" or "decimal". */
    public static final String KEY_ENCODING = "river.encoding";
    /** Field metadata key: the column's logical type ({@link ColumnType} name). */
    public static final String KEY_TYPE = "river.encoding.type";
    /** Field metadata key: the base, decimal text of a signed 64-bit integer. */
    public static final String KEY_BASE = "river.encoding.base";
    /** Field metadata key (decimal only): the number of fractional digits. */
    public static final String KEY_SCALE = "river.encoding.scale";
    /** The most fractional digits a decimal column may have. */
    public static final int MAX_SCALE = 6;
    /** Largest magnitude of a scaled decimal, so that it converts to a double exactly. */
    static final long MAX_EXACT = 1L << 53;

    private static final double[] POWERS = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    /** The two ways a column is narrowed. */
    public enum Kind {
        OFFSET("offset"),
        DECIMAL("decimal");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    public ColumnEncoding {
        if (bits != 8 && bits != 16 && bits != 32) {
            throw new IllegalArgumentException("encoded width must be 8, 16 or 32 bits: " + bits);
        }
        boolean numeric = type == ColumnType.INT32
                || type == ColumnType.INT64
                || type == ColumnType.TIMESTAMP
                || type == ColumnType.DATE;
        if (kind == Kind.OFFSET
                ? !numeric || scale != 0
                : type != ColumnType.FLOAT64 || scale < 0 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("no " + kind.label() + " encoding for " + type + " with scale " + scale);
        }
    }

    /**
     * The encoding of a column whose logical values (scaled integers for a decimal) lie in {@code
     * [min, max]}: the narrowest width that holds the range with the base at its middle; null when
     * none is narrower than the logical type (or the range does not fit 32 bits).
     */
    static ColumnEncoding forRange(Kind kind, ColumnType type, long min, long max, int scale) {
        if (max < min) {
            return null;
        }
        long range = max - min; // may wrap: compared unsigned
        int logicalBits = type == ColumnType.INT32 || type == ColumnType.DATE ? 32 : 64;
        for (int bits = 8; bits < logicalBits && bits <= 32; bits *= 2) {
            if (Long.compareUnsigned(range, (1L << bits) - 1) <= 0) {
                long half = 1L << (bits - 1);
                return new ColumnEncoding(kind, type, bits, min + half, scale); // wraps like the decoder
            }
        }
        return null;
    }

    /**
     * The scaled integer of a decimal {@code value} at {@code scale}, or null when it does not convert
     * back exactly (or exceeds 2^53 in magnitude).
     */
    static Long scaled(double value, int scale) {
        double p = POWERS[scale];
        long k = Math.round(value * p);
        if (k > MAX_EXACT || k < -MAX_EXACT || Double.doubleToRawLongBits(k / p) != Double.doubleToRawLongBits(value)) {
            return null;
        }
        return k;
    }

    /** The Arrow type of the stored integers. */
    ArrowType storedType() {
        return new ArrowType.Int(bits, true);
    }

    /** The stored field of a column {@code name}: narrow integers, this encoding in its metadata. */
    Field field(String name) {
        Map<String, String> meta = kind == Kind.DECIMAL
                ? Map.of(
                        KEY_ENCODING,
                        kind.label(),
                        KEY_TYPE,
                        type.name(),
                        KEY_BASE,
                        Long.toString(base),
                        KEY_SCALE,
                        Integer.toString(scale))
                : Map.of(KEY_ENCODING, kind.label(), KEY_TYPE, type.name(), KEY_BASE, Long.toString(base));
        return new Field(name, new FieldType(true, storedType(), null, meta), null);
    }

    /**
     * The encoding a stored field declares, or null when it carries none; an IllegalArgumentException
     * when its metadata is not a valid encoding of its type.
     */
    static ColumnEncoding of(Field field) {
        Map<String, String> meta = field.getMetadata();
        String label = meta == null ? null : meta.get(KEY_ENCODING);
        if (label == null) {
            return null;
        }
        Kind kind = label.equals(Kind.OFFSET.label())
                ? Kind.OFFSET
                : label.equals(Kind.DECIMAL.label()) ? Kind.DECIMAL : null;
        if (kind == null || !(field.getType() instanceof ArrowType.Int stored) || !stored.getIsSigned()) {
            throw new IllegalArgumentException(
                    "column " + field.getName() + " has an unknown encoding " + label + " of " + field.getType());
        }
        try {
            ColumnType type = ColumnType.valueOf(meta.get(KEY_TYPE));
            long base = Long.parseLong(meta.get(KEY_BASE));
            int scale = kind == Kind.DECIMAL ? Integer.parseInt(meta.get(KEY_SCALE)) : 0;
            return new ColumnEncoding(kind, type, stored.getBitWidth(), base, scale);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("column " + field.getName() + " has a malformed encoding: " + e, e);
        }
    }

    /**
     * The logical value of one stored integer {@code s}, as {@link #widen} computes it for a vector:
     * {@code base + s} (offset), or the raw bits of the double {@code (base + s) / 10^scale} (decimal).
     */
    long logicalBits(long stored) {
        long logical = base + stored;
        return kind == Kind.DECIMAL ? Double.doubleToRawLongBits(logical / POWERS[scale]) : logical;
    }

    /**
     * The stored integer of a logical value (Long or Integer for offset, after {@link
     * ZoneMaps#statValue}; Double for decimal). IllegalArgumentException when the value lies
     * outside the encoding (the writer's plan did not cover it).
     */
    long encode(Object statValue) {
        long logical;
        if (kind == Kind.DECIMAL) {
            Long k = scaled((Double) statValue, scale);
            if (k == null) {
                throw new IllegalArgumentException("value " + statValue + " is not a decimal of scale " + scale);
            }
            logical = k;
        } else {
            logical = ((Number) statValue).longValue();
        }
        long stored = logical - base;
        long half = 1L << (bits - 1);
        if (stored < -half || stored >= half) {
            throw new IllegalArgumentException(
                    "value " + statValue + " lies outside the column's " + bits + "-bit range around " + base);
        }
        return stored;
    }

    /** The logical value (the Java type {@link ColumnType} names) of a non-NULL row of a stored vector. */
    Object value(BaseIntVector stored, int row) {
        long bits = logicalBits(stored.getValueAsLong(row));
        return switch (type) {
            case INT32 -> (int) bits;
            case INT64 -> bits;
            case FLOAT64 -> Double.longBitsToDouble(bits);
            case TIMESTAMP -> Instant.ofEpochMilli(bits);
            case DATE -> LocalDate.ofEpochDay((int) bits);
            default -> throw new IllegalStateException("no narrowed " + type + " column");
        };
    }

    /** How a scan reads this column's stored integers and widens them (the one widening path). */
    public NarrowValues narrow() {
        return new NarrowValues(bits, base, scale, kind == Kind.DECIMAL);
    }

    /**
     * A new vector of the logical type from {@code narrow} (a vector of {@link #storedType}), with its
     * NULLs; the caller owns it; {@code narrow} is left as it is.
     */
    FieldVector widen(FieldVector narrow, BufferAllocator allocator) {
        int rows = narrow.getValueCount();
        Field field = new Field(narrow.getName(), FieldType.nullable(ArrowTypes.toArrow(type)), null);
        BaseFixedWidthVector out = (BaseFixedWidthVector) field.createVector(allocator);
        try {
            out.allocateNew(Math.max(rows, 1));
            ArrowBuf validityIn = narrow.getValidityBuffer();
            ArrowBuf validityOut = out.getValidityBuffer();
            int validityBytes = (rows + 7) / 8;
            if (narrow.getNullCount() == 0) {
                validityOut.setOne(0, validityBytes);
            } else {
                validityOut.setBytes(0, validityIn, 0, validityBytes);
            }
            ByteBuffer data = out.getDataBuffer()
                    .nioBuffer(0, rows * (int) out.getTypeWidth())
                    .order(ByteOrder.LITTLE_ENDIAN);
            NarrowValues n = narrow();
            ArrowBuf in = narrow.getDataBuffer();
            if (kind == Kind.DECIMAL) {
                double[] v = new double[rows];
                n.widenDoubles(in, rows, v);
                data.asDoubleBuffer().put(0, v);
            } else if (out.getTypeWidth() == 8) {
                long[] v = new long[rows];
                n.widenLongs(in, rows, v);
                data.asLongBuffer().put(0, v);
            } else {
                int[] v = new int[rows];
                n.widenInts(in, rows, v);
                data.asIntBuffer().put(0, v);
            }
            out.setValueCount(rows);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }
}
