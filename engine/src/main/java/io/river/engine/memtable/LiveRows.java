package io.river.engine.memtable;

import io.river.engine.scan.LiveMask;
import org.roaringbitmap.RoaringBitmap;

/** Turns a dead-row bitmap into the live rows of a range, as a {@link LiveMask} or a selection vector. Stateless. */
public final class LiveRows {
    private LiveRows() {}

    /**
     * The live rows among {@code rows} rows numbered from {@code firstRow} in {@code dead}, as a
     * {@link LiveMask} over positions 0..rows-1: every bit set, then one bit cleared per dead row of
     * the range (visited by the bitmap's own range walk, a word at a time in its dense containers).
     */
    public static long[] mask(RoaringBitmap dead, long firstRow, int rows) {
        long[] mask = LiveMask.allLive(rows);
        if (rows > 0) {
            dead.forEachInRange(
                    (int) firstRow, rows, d -> LiveMask.kill(mask, (int) (Integer.toUnsignedLong(d) - firstRow)));
        }
        return mask;
    }

    /** The live rows of the range (see {@link #mask}) as positions 0..rows-1, ascending. */
    public static int[] select(RoaringBitmap dead, long firstRow, int rows) {
        return LiveMask.selection(mask(dead, firstRow, rows));
    }
}
