package io.river.engine.segment;

import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import java.util.Set;

/**
 * {@link BlockStats} of one segment block, from the footer: exact key range, row count (tombstones
 * included) and zone maps in the segment's stored types (an INT32 column later widened to INT64 still
 * reports Integer bounds: compare through {@link Number}). A column the segment lacks has no zone
 * map and {@link #lacksColumn} is true. Immutable.
 */
record SegmentBlockStats(BlockInfo info, Set<String> segmentColumns) implements BlockStats {
    @Override
    public long rowCount() {
        return info.rows();
    }

    @Override
    public String minKey() {
        return info.firstKey();
    }

    @Override
    public String maxKey() {
        return info.lastKey();
    }

    @Override
    public ColumnStats column(String name) {
        return info.columns().get(name);
    }

    @Override
    public boolean lacksColumn(String name) {
        return !segmentColumns.contains(name);
    }
}
