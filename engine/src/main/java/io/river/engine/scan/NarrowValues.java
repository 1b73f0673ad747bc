package io.river.engine.scan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.ArrowBuf;

/**
 * How a column's values are held as narrow signed integers of {@link #bits} 8, 16 or 32 bits, and
 * the one way to widen them: a stored {@code s} stands for {@code base + s} in 64-bit two's
 * complement arithmetic (offset), or for the double {@code (base + s) / 10^scale} when {@link
 * #decimal} ({@code base + s} at most 2^53 in magnitude, so the sum is exact as a double). A scan
 * batch names it for a column it hands out narrow ({@link ScanBatch#narrow(int)}); a segment's
 * column encoding widens through it. Only the data buffer is read: NULL slots widen to whatever
 * they hold. Immutable, thread-safe.
 */
public record NarrowValues(int bits, long base, int scale, boolean decimal) {
    /** The most fractional digits of a decimal. */
    public static final int MAX_SCALE = 6;

    private static final double[] POWERS = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    public NarrowValues {
        if (bits != 8 && bits != 16 && bits != 32) {
            throw new IllegalArgumentException("narrow width must be 8, 16 or 32 bits: " + bits);
        }
        if (scale < 0 || scale > MAX_SCALE || (!decimal && scale != 0)) {
            throw new IllegalArgumentException("bad scale " + scale + (decimal ? " of a decimal" : " of an offset"));
        }
    }

    /** 10^{@code scale} as a double (exact). */
    public double divisor() {
        return POWERS[scale];
    }

    /** The logical value of stored {@code s} as an integer (offset columns). */
    public long offsetValue(long s) {
        return base + s;
    }

    /** The logical value of stored {@code s} as a double (decimal columns). */
    public double decimalValue(long s) {
        return (base + s) / POWERS[scale];
    }

    /**
     * The first {@code rows} stored integers of {@code data} (little-endian, {@link #bits} wide) into
     * {@code out}, sign-extended: bulk-copied, then widened in plain array loops the JIT vectorizes.
     */
    public void stored(ArrowBuf data, int rows, int[] out) {
        if (rows == 0) {
            return;
        }
        ByteBuffer in = data.nioBuffer(0, rows * (bits / 8)).order(ByteOrder.LITTLE_ENDIAN);
        Scratch scratch = SCRATCH.get();
        switch (bits) {
            case 8:
                byte[] b = scratch.bytes(rows);
                in.get(0, b, 0, rows);
                for (int i = 0; i < rows; i++) {
                    out[i] = b[i];
                }
                break;
            case 16:
                short[] h = scratch.shorts(rows);
                in.asShortBuffer().get(0, h, 0, rows);
                for (int i = 0; i < rows; i++) {
                    out[i] = h[i];
                }
                break;
            default:
                in.asIntBuffer().get(0, out, 0, rows);
        }
    }

    /** The logical values of an offset column's first {@code rows} stored integers into {@code out}. */
    public void widenLongs(ArrowBuf data, int rows, long[] out) {
        int[] s = SCRATCH.get().ints(rows);
        stored(data, rows, s);
        long b = base;
        for (int i = 0; i < rows; i++) {
            out[i] = b + s[i];
        }
    }

    /** Like {@link #widenLongs} into ints, for a 32-bit logical type (INT32, DATE): {@code base + s} fits. */
    public void widenInts(ArrowBuf data, int rows, int[] out) {
        stored(data, rows, out);
        int b = (int) base;
        for (int i = 0; i < rows; i++) {
            out[i] += b;
        }
    }

    /** The logical values of a decimal column's first {@code rows} stored integers into {@code out}. */
    public void widenDoubles(ArrowBuf data, int rows, double[] out) {
        int[] s = SCRATCH.get().ints(rows);
        stored(data, rows, s);
        if (bits <= 16) {
            // A division per value costs more than the decompression before it; a table lookup does not.
            double[] table = TABLES.table(this);
            int half = 1 << (bits - 1);
            for (int i = 0; i < rows; i++) {
                out[i] = table[s[i] + half];
            }
            return;
        }
        // base + s is an integer of at most 2^53, so adding the two as doubles is exact, and int-to-double
        // converts in vector lanes where long-to-double does not.
        double b = base;
        double p = POWERS[scale];
        for (int i = 0; i < rows; i++) {
            out[i] = (b + s[i]) / p;
        }
    }

    /** Every value of an 8- or 16-bit decimal, by stored integer + 2^(bits-1). */
    private double[] values() {
        int half = 1 << (bits - 1);
        double[] out = new double[2 * half];
        double p = POWERS[scale];
        for (int j = 0; j < out.length; j++) {
            out[j] = (base + j - half) / p;
        }
        return out;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * One thread's arrays for the stored integers of a block being widened, reused across reads (a fresh
     * array per read cost more than the widening); only valid during one call. Not thread-safe.
     */
    private static final class Scratch {
        private byte[] bytes = new byte[0];
        private short[] shorts = new short[0];
        private int[] ints = new int[0];

        byte[] bytes(int n) {
            if (bytes.length < n) {
                bytes = new byte[n];
            }
            return bytes;
        }

        short[] shorts(int n) {
            if (shorts.length < n) {
                shorts = new short[n];
            }
            return shorts;
        }

        int[] ints(int n) {
            if (ints.length < n) {
                ints = new int[n];
            }
            return ints;
        }
    }

    private static final DecimalTables TABLES = new DecimalTables();

    /**
     * The value tables of recently widened 8- and 16-bit decimals, at most {@value #MAX} of them
     * (16-bit: 512 KiB each); the files of one column usually share their encoding. Thread-safe.
     */
    private static final class DecimalTables {
        static final int MAX = 16;
        private final Map<NarrowValues, double[]> tables = new ConcurrentHashMap<>();

        double[] table(NarrowValues n) {
            double[] t = tables.get(n);
            if (t == null) {
                if (tables.size() >= MAX) {
                    tables.clear();
                }
                t = n.values();
                tables.put(n, t);
            }
            return t;
        }
    }
}
