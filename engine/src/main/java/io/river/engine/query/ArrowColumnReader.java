package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.NarrowValues;
import io.river.engine.scan.StringDictionary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;

/**
 * Reads an Arrow vector into a {@link Vec} valid for every row of the batch (not just the selected
 * ones, so a column read once serves every later expression, whatever rows it looks at).
 * Fixed-width values, validity bits and string offsets are bulk-copied (one memory copy per buffer, through a
 * little-endian NIO view) into primitive
 * arrays, which is far cheaper than Arrow's bounds-checked per-value getters; strings and bytes
 * are then read from a copy of the data buffer. Accepts the vector kinds of
 * {@link io.river.engine.model.ArrowTypes} and widens INT32/INT64 data to a wider expected type
 * (a block written before the column was widened). Dictionary codes are read by {@link #readCodes}.
 * Stateless.
 */
final class ArrowColumnReader {
    private ArrowColumnReader() {}

    static Vec read(FieldVector v, ColumnType expected, int rows) {
        return read(v, expected, rows, null);
    }

    /**
     * Like {@link #read(FieldVector, ColumnType, int)}, reusing the arrays of {@code spare} (a vector
     * of the previous batch that nothing reads any more) where they fit: no allocation or zeroing of
     * a fresh array per column per batch.
     */
    static Vec read(FieldVector v, ColumnType expected, int rows, Vec spare) {
        return read(v, expected, rows, spare, false);
    }

    /**
     * Like {@link #read(FieldVector, ColumnType, int, Vec)}; with {@code selectedNotNull} (the caller
     * knows no row of the batch's selection is NULL) the NULL flags are not built at all.
     */
    static Vec read(FieldVector v, ColumnType expected, int rows, Vec spare, boolean selectedNotNull) {
        if (v == null || (rows > 0 && v.getNullCount() == rows)) {
            return allNull(expected, rows);
        }
        Vec out;
        if (v instanceof BaseVariableWidthVector) {
            BaseVariableWidthVector vw = (BaseVariableWidthVector) v;
            out = new Vec.ArrowBytesVec(expected, vw.getOffsetBuffer(), vw.getDataBuffer(), rows);
        } else if (v instanceof BitVector) {
            Vec.BoolVec b = new Vec.BoolVec(rows);
            byte[] bits = bytes(v.getDataBuffer(), (rows + 7) >>> 3);
            for (int i = 0; i < rows; i++) {
                b.values[i] = (bits[i >>> 3] & (1 << (i & 7))) != 0;
            }
            out = b;
        } else if (expected == ColumnType.FLOAT64) {
            double[] d = spare instanceof Vec.DoubleVec && ((Vec.DoubleVec) spare).values.length >= rows
                    ? ((Vec.DoubleVec) spare).values
                    : new double[rows];
            if (v instanceof Float8Vector) {
                view(v.getDataBuffer(), rows * 8L).asDoubleBuffer().get(d, 0, rows);
            } else if (v instanceof IntVector) {
                int[] ints = ints(v.getDataBuffer(), rows);
                for (int i = 0; i < rows; i++) {
                    d[i] = ints[i];
                }
            } else if (v instanceof BigIntVector) {
                long[] longs = new long[rows];
                view(v.getDataBuffer(), rows * 8L).asLongBuffer().get(longs, 0, rows);
                for (int i = 0; i < rows; i++) {
                    d[i] = longs[i];
                }
            } else {
                throw unexpected(v, expected);
            }
            out = new Vec.DoubleVec(d, null);
        } else {
            long[] l = spare instanceof Vec.LongVec && ((Vec.LongVec) spare).values.length >= rows
                    ? ((Vec.LongVec) spare).values
                    : new long[rows];
            if (v instanceof IntVector || v instanceof DateDayVector) {
                int[] ints = ints(v.getDataBuffer(), rows);
                for (int i = 0; i < rows; i++) {
                    l[i] = ints[i];
                }
            } else if (v instanceof BigIntVector || v instanceof TimeStampVector) {
                view(v.getDataBuffer(), rows * 8L).asLongBuffer().get(l, 0, rows);
            } else {
                throw unexpected(v, expected);
            }
            out = new Vec.LongVec(expected, l, null);
        }
        out.nulls = selectedNotNull ? null : nullFlags(v, rows, spare);
        return out;
    }

    /**
     * Reads a column of narrow stored integers ({@code narrow} says how they widen) into the {@link
     * Vec} of its logical type {@code expected}, widening straight into the slot's arrays; NULL flags
     * as in {@link #read(FieldVector, ColumnType, int, Vec, boolean)}.
     */
    static Vec readNarrow(
            FieldVector v, NarrowValues narrow, ColumnType expected, int rows, Vec spare, boolean selectedNotNull) {
        if (!(v instanceof BaseIntVector) || (narrow.decimal() != (expected == ColumnType.FLOAT64))) {
            throw unexpected(v, expected);
        }
        if (rows > 0 && v.getNullCount() == rows) {
            return allNull(expected, rows);
        }
        Vec out;
        if (narrow.decimal()) {
            double[] d = spare instanceof Vec.DoubleVec && ((Vec.DoubleVec) spare).values.length >= rows
                    ? ((Vec.DoubleVec) spare).values
                    : new double[rows];
            narrow.widenDoubles(v.getDataBuffer(), rows, d);
            out = new Vec.DoubleVec(d, null);
        } else {
            long[] l = spare instanceof Vec.LongVec && ((Vec.LongVec) spare).values.length >= rows
                    ? ((Vec.LongVec) spare).values
                    : new long[rows];
            narrow.widenLongs(v.getDataBuffer(), rows, l);
            out = new Vec.LongVec(expected, l, null);
        }
        out.nulls = selectedNotNull ? null : nullFlags(v, rows, spare);
        return out;
    }

    /**
     * Row i's NULL flag from the validity bits, or null when no row is NULL; reuses {@code spare}'s array when it fits.
     */
    private static boolean[] nullFlags(FieldVector v, int rows, Vec spare) {
        if (rows == 0 || v.getNullCount() == 0) {
            return null;
        }
        byte[] validity = bytes(v.getValidityBuffer(), (rows + 7) >>> 3);
        boolean[] nulls =
                spare != null && spare.nulls != null && spare.nulls.length >= rows ? spare.nulls : new boolean[rows];
        for (int i = 0; i < rows; i++) {
            nulls[i] = (validity[i >>> 3] & (1 << (i & 7))) == 0;
        }
        return nulls;
    }

    /**
     * Reads a column of dictionary codes (Int8, Int16 or Int32) into a {@link Vec.DictVec}: the codes are bulk-copied,
     * the strings stay in the dictionary. Codes outside the dictionary are refused (damaged data).
     */
    static Vec readCodes(FieldVector v, StringDictionary dictionary, ColumnType expected, int rows, Vec spare) {
        return readCodes(v, dictionary, expected, rows, spare, false);
    }

    /**
     * Like {@link #readCodes(FieldVector, StringDictionary, ColumnType, int, Vec)}, with
     * {@code selectedNotNull} as in {@link #read(FieldVector, ColumnType, int, Vec, boolean)}.
     */
    static Vec readCodes(
            FieldVector v,
            StringDictionary dictionary,
            ColumnType expected,
            int rows,
            Vec spare,
            boolean selectedNotNull) {
        if (!(v instanceof IntVector || v instanceof SmallIntVector || v instanceof TinyIntVector)
                || expected != ColumnType.STRING) {
            throw unexpected(v, expected);
        }
        if (rows > 0 && v.getNullCount() == rows) {
            return allNull(expected, rows);
        }
        int[] codes = spare instanceof Vec.DictVec && ((Vec.DictVec) spare).codes.length >= rows
                ? ((Vec.DictVec) spare).codes
                : new int[rows];
        if (v instanceof TinyIntVector) {
            byte[] b = bytes(v.getDataBuffer(), rows);
            for (int i = 0; i < rows; i++) {
                codes[i] = b[i];
            }
        } else if (v instanceof SmallIntVector) {
            java.nio.ShortBuffer sh = view(v.getDataBuffer(), rows * 2L).asShortBuffer();
            for (int i = 0; i < rows; i++) {
                codes[i] = sh.get(i);
            }
        } else {
            view(v.getDataBuffer(), rows * 4L).asIntBuffer().get(codes, 0, rows);
        }
        boolean[] nulls = selectedNotNull ? null : nullFlags(v, rows, spare);
        if (v.getNullCount() > 0) {
            zeroNullSlots(codes, bytes(v.getValidityBuffer(), (rows + 7) >>> 3), rows);
        }
        checkCodes(codes, rows, dictionary.size(), v);
        Vec out = new Vec.DictVec(expected, codes, dictionary);
        out.nulls = nulls;
        return out;
    }

    /** Whatever a NULL slot holds, it becomes code 0, so every slot is a valid index (selected or not). */
    private static void zeroNullSlots(int[] codes, byte[] validity, int rows) {
        for (int b = 0; b < validity.length; b++) {
            int missing = ~validity[b] & 0xff;
            while (missing != 0) {
                int i = (b << 3) + Integer.numberOfTrailingZeros(missing);
                if (i < rows) {
                    codes[i] = 0;
                }
                missing &= missing - 1;
            }
        }
    }

    /** Refuses a code outside the dictionary (damaged data); one branch-free pass when all are valid. */
    private static void checkCodes(int[] codes, int rows, int size, FieldVector v) {
        int outside = 0;
        for (int i = 0; i < rows; i++) {
            outside |= codes[i] | (size - 1 - codes[i]);
        }
        if (outside >= 0) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            if (codes[i] < 0 || codes[i] >= size) {
                throw new IllegalStateException(
                        "column " + v.getName() + " has code " + codes[i] + " outside its dictionary of " + size);
            }
        }
    }

    /** A little-endian view of the first {@code length} bytes of an Arrow buffer. */
    static ByteBuffer view(ArrowBuf buf, long length) {
        if (length == 0) {
            return ByteBuffer.allocate(0);
        }
        return buf.nioBuffer(0, Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int[] ints(ArrowBuf buf, int count) {
        int[] out = new int[count];
        view(buf, count * 4L).asIntBuffer().get(out, 0, count);
        return out;
    }

    private static byte[] bytes(ArrowBuf buf, int count) {
        byte[] out = new byte[count];
        if (count > 0) {
            buf.getBytes(0, out, 0, count);
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
        return new IllegalStateException(
                "scan returned " + v.getClass().getSimpleName() + " for a " + expected + " column " + v.getName());
    }
}
