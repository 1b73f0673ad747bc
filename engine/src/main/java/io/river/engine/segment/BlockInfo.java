package io.river.engine.segment;

import io.river.engine.scan.ColumnStats;
import java.util.Map;

/**
 * One block's entry in a segment's index: its first and last key (exact), row and tombstone
 * counts, and the zone map of every table column the segment holds. Immutable.
 */
public record BlockInfo(String firstKey, String lastKey, int rows, int tombstones, Map<String, ColumnStats> columns) {
    public BlockInfo {
        columns = Map.copyOf(columns);
    }
}
