package io.river.engine.segment;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.ColumnType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
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
            ByteBuffer in =
                    narrow.getDataBuffer().nioBuffer(0, rows * (bits / 8)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer data = out.getDataBuffer()
                    .nioBuffer(0, rows * (int) out.getTypeWidth())
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (kind == Kind.DECIMAL) {
                widenDecimal(in, data.asDoubleBuffer(), rows);
            } else if (out.getTypeWidth() == 8) {
                widenLong(in, data.asLongBuffer(), rows);
            } else {
                widenInt(in, data.asIntBuffer(), rows);
            }
            out.setValueCount(rows);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * The stored integers of {@code in} as ints: bulk-copied out of the buffer, then sign-extended
     * in a plain array loop (which the JIT vectorizes, unlike per-element buffer reads).
     */
    private int[] stored(ByteBuffer in, int rows) {
        int[] s = new int[rows];
        switch (bits) {
            case 8:
                byte[] b = new byte[rows];
                in.get(0, b);
                for (int i = 0; i < rows; i++) {
                    s[i] = b[i];
                }
                break;
            case 16:
                short[] h = new short[rows];
                in.asShortBuffer().get(0, h);
                for (int i = 0; i < rows; i++) {
                    s[i] = h[i];
                }
                break;
            default:
                in.asIntBuffer().get(0, s);
        }
        return s;
    }

    private void widenLong(ByteBuffer in, LongBuffer out, int rows) {
        int[] s = stored(in, rows);
        long[] v = new long[rows];
        long b = base;
        for (int i = 0; i < rows; i++) {
            v[i] = b + s[i];
        }
        out.put(0, v);
    }

    private void widenInt(ByteBuffer in, IntBuffer out, int rows) {
        int[] s = stored(in, rows);
        int b = (int) base;
        for (int i = 0; i < rows; i++) {
            s[i] += b;
        }
        out.put(0, s);
    }

    private void widenDecimal(ByteBuffer in, DoubleBuffer out, int rows) {
        int[] s = stored(in, rows);
        double[] v = new double[rows];
        if (bits <= 16) {
            double[] table = DECIMALS.table(this);
            int half = 1 << (bits - 1);
            for (int i = 0; i < rows; i++) {
                v[i] = table[s[i] + half];
            }
            out.put(0, v);
            return;
        }
        // base + s is an integer of at most 2^53 (checked when the encoding was chosen), so adding the
        // two as doubles is exact, and int-to-double converts in vector lanes where long-to-double does not.
        double b = base;
        double p = POWERS[scale];
        for (int i = 0; i < rows; i++) {
            v[i] = (b + s[i]) / p;
        }
        out.put(0, v);
    }

    /** Every value of an 8- or 16-bit decimal encoding, by stored integer + 2^(bits-1). */
    private double[] values() {
        int half = 1 << (bits - 1);
        double[] out = new double[2 * half];
        double p = POWERS[scale];
        for (int j = 0; j < out.length; j++) {
            out[j] = (base + j - half) / p;
        }
        return out;
    }

    private static final DecimalTables DECIMALS = new DecimalTables();

    /**
     * The value tables of recently widened 8- and 16-bit decimal encodings (a division per value costs
     * more than the decompression it follows; a lookup does not), at most {@value #MAX} of them (16-bit:
     * 512 KiB each); files of one column usually share their encoding. Thread-safe.
     */
    private static final class DecimalTables {
        static final int MAX = 16;
        private final Map<ColumnEncoding, double[]> tables = new ConcurrentHashMap<>();

        double[] table(ColumnEncoding e) {
            double[] t = tables.get(e);
            if (t == null) {
                if (tables.size() >= MAX) {
                    tables.clear();
                }
                t = e.values();
                tables.put(e, t);
            }
            return t;
        }
    }
}
