package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.StringDictionary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;

/**
 * A column of values for the rows of one batch, the unit the vectorized evaluator works on. Arrays
 * are indexed by physical row (0 to the batch's row count); only the rows of the current selection
 * hold meaningful values. {@code nulls} is null when no selected row is NULL. INT32, INT64 and
 * TIMESTAMP (epoch millis) live in {@link LongVec}, FLOAT64 in {@link DoubleVec}, BOOLEAN in
 * {@link BoolVec}, STRING and BYTES in a {@link BytesVec} (dictionary-encoded STRING in a {@link DictVec}). Not
 * thread-safe: a vector belongs to the
 * worker evaluating the batch, and Arrow-backed ones are valid only until the batch is closed.
 */
abstract class Vec {
    final ColumnType type;
    boolean[] nulls;

    Vec(ColumnType type) {
        this.type = type;
    }

    final boolean isNull(int i) {
        return nulls != null && nulls[i];
    }

    /** The value of row {@code i} as a result value (Java types of {@link ColumnType}), null for NULL. */
    abstract Object get(int i);

    static final class LongVec extends Vec {
        final long[] values;

        LongVec(ColumnType type, int rows) {
            super(type);
            values = new long[rows];
        }

        LongVec(ColumnType type, long[] values, boolean[] nulls) {
            super(type);
            this.values = values;
            this.nulls = nulls;
        }

        @Override
        Object get(int i) {
            if (isNull(i)) {
                return null;
            }
            switch (type) {
                case INT32:
                    return (int) values[i];
                case TIMESTAMP:
                    return Instant.ofEpochMilli(values[i]);
                case DATE:
                    return LocalDate.ofEpochDay(values[i]);
                default:
                    return values[i];
            }
        }
    }

    static final class DoubleVec extends Vec {
        final double[] values;

        DoubleVec(int rows) {
            this(new double[rows], null);
        }

        DoubleVec(double[] values, boolean[] nulls) {
            super(ColumnType.FLOAT64);
            this.values = values;
            this.nulls = nulls;
        }

        @Override
        Object get(int i) {
            return isNull(i) ? null : values[i];
        }
    }

    static final class BoolVec extends Vec {
        final boolean[] values;

        BoolVec(int rows) {
            this(new boolean[rows], null);
        }

        BoolVec(boolean[] values, boolean[] nulls) {
            super(ColumnType.BOOLEAN);
            this.values = values;
            this.nulls = nulls;
        }

        /** True when row {@code i} is TRUE (not FALSE, not NULL). */
        boolean isTrue(int i) {
            return values[i] && !isNull(i);
        }

        @Override
        Object get(int i) {
            return isNull(i) ? null : values[i];
        }
    }

    /**
     * STRING (UTF-8) or BYTES values. {@link #load(int)} makes row i's bytes available as
     * {@code buf[off..off+len)}; the buffer may be reused by the next load, so copy what must
     * outlive it.
     */
    abstract static class BytesVec extends Vec {
        byte[] buf = new byte[64];
        int off;
        int len;

        BytesVec(ColumnType type) {
            super(type);
        }

        abstract void load(int i);

        /** A copy of row i's bytes (row must not be NULL). */
        final byte[] copy(int i) {
            load(i);
            return Arrays.copyOfRange(buf, off, off + len);
        }

        @Override
        final Object get(int i) {
            if (isNull(i)) {
                return null;
            }
            load(i);
            return type == ColumnType.STRING
                    ? new String(buf, off, len, StandardCharsets.UTF_8)
                    : Arrays.copyOfRange(buf, off, off + len);
        }
    }

    /**
     * Bytes of an Arrow variable-width vector. When the batch's data buffer is small enough it is
     * copied into one Java array on first use (one bulk copy instead of one per row) and rows are
     * then read in place; otherwise each load copies the row.
     */
    static final class ArrowBytesVec extends BytesVec {
        static final long BULK_LIMIT = 16L << 20;
        private final ArrowBuf offsets;
        private final ArrowBuf data;
        private int[] starts;

        ArrowBytesVec(ColumnType type, ArrowBuf offsets, ArrowBuf data, int rows) {
            super(type);
            this.offsets = offsets;
            this.data = data;
            if (rows > 0) {
                long end = offsets.getInt((long) rows * 4);
                if (end <= BULK_LIMIT) {
                    buf = new byte[(int) end];
                    if (end > 0) {
                        data.getBytes(0, buf, 0, (int) end);
                    }
                    starts = ArrowColumnReader.ints(offsets, rows + 1);
                }
            }
        }

        @Override
        void load(int i) {
            if (starts != null) {
                off = starts[i];
                len = starts[i + 1] - off;
                return;
            }
            int start = offsets.getInt((long) i * 4);
            int end = offsets.getInt((long) (i + 1) * 4);
            off = 0;
            len = end - start;
            if (buf.length < len) {
                buf = new byte[Math.max(len, buf.length * 2)];
            }
            data.getBytes(start, buf, 0, len);
        }
    }

    /**
     * A dictionary-encoded STRING column: an int code per row into a segment's {@link
     * StringDictionary}. Loads are array reads (no byte copies); kernels that know this type work on
     * the codes (a filter evaluated once per dictionary entry, a group looked up once per code).
     * NULL rows hold code 0.
     */
    static final class DictVec extends BytesVec {
        final int[] codes;
        final StringDictionary dictionary;
        private final byte[][] entries;

        DictVec(ColumnType type, int[] codes, StringDictionary dictionary) {
            super(type);
            this.codes = codes;
            this.dictionary = dictionary;
            this.entries = dictionary.allBytes();
        }

        @Override
        void load(int i) {
            buf = entries[codes[i]];
            off = 0;
            len = buf.length;
        }
    }

    /** Bytes held in Java arrays (literals, group keys, aggregate results); NULL rows hold null. */
    static final class ArrayBytesVec extends BytesVec {
        final byte[][] values;

        ArrayBytesVec(ColumnType type, byte[][] values) {
            super(type);
            this.values = values;
            for (byte[] v : values) {
                if (v == null) {
                    nulls = new boolean[values.length];
                    for (int i = 0; i < values.length; i++) {
                        nulls[i] = values[i] == null;
                    }
                    break;
                }
            }
        }

        @Override
        void load(int i) {
            buf = values[i];
            off = 0;
            len = buf.length;
        }
    }
}
