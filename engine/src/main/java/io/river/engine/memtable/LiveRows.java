package io.river.engine.memtable;

import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/** Turns a dead-row bitmap into selection vectors of live rows. Stateless. */
public final class LiveRows {
    private LiveRows() {}

    /**
     * The live rows among {@code rows} rows numbered from {@code firstRow} in {@code dead}, as
     * positions 0..rows-1, ascending; visits each dead row of the range once and writes each live
     * position once (no per-row bitmap look-up).
     */
    public static int[] select(RoaringBitmap dead, long firstRow, int rows) {
        long end = firstRow + rows;
        int[] out = new int[rows - (int) dead.rangeCardinality(firstRow, end)];
        PeekableIntIterator it = dead.getIntIterator();
        it.advanceIfNeeded((int) firstRow);
        int k = 0;
        int r = 0;
        while (it.hasNext()) {
            int d = it.peekNext();
            if (Integer.toUnsignedLong(d) >= end) {
                break;
            }
            int local = (int) (d - firstRow);
            while (r < local) {
                out[k++] = r++;
            }
            r = local + 1;
            it.next();
        }
        while (r < rows) {
            out[k++] = r++;
        }
        return out;
    }
}
