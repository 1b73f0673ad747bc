package io.river.engine.scan;

/**
 * The live rows of a batch as a bitmask: row {@code r} is live when bit {@code r & 63} of word
 * {@code r >>> 6} is set; bits at or past the batch's row count are always clear. Work on a mask
 * goes a 64-bit word at a time: a selection vector is written without a branch per dead row, and
 * "is any selected row NULL" is one AND per 64 rows against Arrow's validity bits. Stateless.
 */
public final class LiveMask {
    private LiveMask() {}

    /** A mask with rows {@code 0..rows-1} live. */
    public static long[] allLive(int rows) {
        long[] mask = new long[words(rows)];
        java.util.Arrays.fill(mask, -1L);
        int tail = rows & 63;
        if (tail != 0) {
            mask[mask.length - 1] = (1L << tail) - 1;
        }
        return mask;
    }

    /** Marks row {@code row} dead. */
    public static void kill(long[] mask, int row) {
        mask[row >>> 6] &= ~(1L << row);
    }

    /** Words a mask of {@code rows} rows takes. */
    public static int words(int rows) {
        return (rows + 63) >>> 6;
    }

    /** The number of live rows. */
    public static int count(long[] mask) {
        int n = 0;
        for (long w : mask) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** For each byte value, the positions of its set bits (ascending, padded to 8 with 0s). */
    private static final int[] BYTE_ROWS = new int[256 * 8];

    static {
        for (int b = 0; b < 256; b++) {
            int n = 0;
            for (int bit = 0; bit < 8; bit++) {
                if ((b >>> bit & 1) != 0) {
                    BYTE_ROWS[b * 8 + n++] = bit;
                }
            }
        }
    }

    /**
     * Writes the live rows into {@code out} in ascending order and returns how many; {@code out}
     * must hold at least {@link #count} entries. A fully live word is written as a run; otherwise
     * each byte of the mask writes the eight entries of its table row and the index moves on by its
     * bit count (no branch per row).
     */
    public static int select(long[] mask, int[] out) {
        int k = 0;
        for (int w = 0; w < mask.length; w++) {
            long bits = mask[w];
            int base = w << 6;
            if (bits == -1L) {
                for (int j = 0; j < 64; j++) {
                    out[k + j] = base + j;
                }
                k += 64;
                continue;
            }
            for (int shift = 0; bits != 0; shift += 8, bits >>>= 8) {
                int b = (int) bits & 0xff;
                int row = base + shift;
                int t = b << 3;
                if (k + 8 <= out.length) {
                    out[k] = row + BYTE_ROWS[t];
                    out[k + 1] = row + BYTE_ROWS[t + 1];
                    out[k + 2] = row + BYTE_ROWS[t + 2];
                    out[k + 3] = row + BYTE_ROWS[t + 3];
                    out[k + 4] = row + BYTE_ROWS[t + 4];
                    out[k + 5] = row + BYTE_ROWS[t + 5];
                    out[k + 6] = row + BYTE_ROWS[t + 6];
                    out[k + 7] = row + BYTE_ROWS[t + 7];
                } else {
                    for (int i = 0; i < Integer.bitCount(b); i++) {
                        out[k + i] = row + BYTE_ROWS[t + i];
                    }
                }
                k += Integer.bitCount(b);
            }
        }
        return k;
    }

    /** The live rows as a selection vector of exactly {@link #count} entries, ascending. */
    public static int[] selection(long[] mask) {
        int[] out = new int[count(mask)];
        select(mask, out);
        return out;
    }

    /** The mask of a selection vector (ascending rows below {@code rows}). */
    public static long[] of(int[] selection, int rows) {
        long[] mask = new long[words(rows)];
        for (int r : selection) {
            mask[r >>> 6] |= 1L << r;
        }
        return mask;
    }
}
