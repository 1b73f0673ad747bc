package io.river.engine.lsm;

import io.river.engine.memtable.LiveRows;
import java.util.concurrent.ConcurrentHashMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * One segment's dead rows as of one instant, shared read-only by every snapshot made until another
 * row of the segment dies, with the live-row mask of each block worked out once, when a scan first
 * reads the block ({@link LiveRows#mask}); the masks handed out must not be modified. Thread-safe.
 */
final class SegmentDeadRows {
    /** Cached for a block with no dead row. */
    private static final long[] NONE_DEAD = new long[0];

    private final RoaringBitmap dead;
    private final ConcurrentHashMap<Integer, long[]> masks = new ConcurrentHashMap<>();

    /** {@code dead}: a copy nothing modifies any more. */
    SegmentDeadRows(RoaringBitmap dead) {
        this.dead = dead;
    }

    /** The dead rows by row number in the file; read-only. */
    RoaringBitmap bitmap() {
        return dead;
    }

    /**
     * The live rows of block {@code block} (rows {@code firstRow .. firstRow + rows - 1} of the
     * file) as a read-only {@link io.river.engine.scan.LiveMask}, or null when none of them is dead.
     */
    long[] liveMask(int block, long firstRow, int rows) {
        long[] mask = masks.computeIfAbsent(block, b -> {
            long[] m = LiveRows.mask(dead, firstRow, rows);
            return m == null ? NONE_DEAD : m;
        });
        return mask == NONE_DEAD ? null : mask;
    }
}
