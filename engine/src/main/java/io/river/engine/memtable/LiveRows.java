package io.river.engine.memtable;

import io.river.engine.scan.LiveMask;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.RoaringBitmap;

/** Turns a dead-row bitmap into the live rows of a range, as a {@link LiveMask} or a selection vector. Stateless. */
public final class LiveRows {
    /** Dead rows taken from the bitmap per call of its batch iterator. */
    private static final int BATCH = 256;

    private LiveRows() {}

    /**
     * The live rows among {@code rows} rows numbered from {@code firstRow} in {@code dead}, as a
     * {@link LiveMask} over positions 0..rows-1, or null when no row of the range is dead: the dead
     * rows of the range are taken from the bitmap a batch at a time (its batch iterator decodes a
     * dense container a word at a time) and each clears one bit.
     */
    public static long[] mask(RoaringBitmap dead, long firstRow, int rows) {
        long end = firstRow + rows;
        BatchIterator it = dead.getBatchIterator();
        it.advanceIfNeeded((int) firstRow);
        int[] batch = new int[BATCH];
        long[] mask = null;
        while (it.hasNext()) {
            int n = it.nextBatch(batch);
            for (int i = 0; i < n; i++) {
                long row = Integer.toUnsignedLong(batch[i]);
                if (row >= end) {
                    return mask;
                }
                if (mask == null) {
                    mask = LiveMask.allLive(rows);
                }
                LiveMask.kill(mask, (int) (row - firstRow));
            }
        }
        return mask;
    }

    /** The live rows of the range (see {@link #mask}) as positions 0..rows-1, ascending. */
    public static int[] select(RoaringBitmap dead, long firstRow, int rows) {
        long[] mask = mask(dead, firstRow, rows);
        return mask == null ? LiveMask.selection(LiveMask.allLive(rows)) : LiveMask.selection(mask);
    }
}
