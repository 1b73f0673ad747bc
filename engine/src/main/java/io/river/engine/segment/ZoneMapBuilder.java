package io.river.engine.segment;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.ColumnStats;

/**
 * Accumulates the zone map of one column over the rows of one block as a segment is written: the
 * smallest and largest non-null value (see {@link ZoneMaps} for the value rules) and how many rows
 * are NULL. Not thread-safe; reused block after block via {@link #reset()}.
 */
final class ZoneMapBuilder {
    private final ColumnType type;
    private Comparable<Object> min;
    private Comparable<Object> max;
    private long nonNull;

    ZoneMapBuilder(ColumnType type) {
        this.type = type;
    }

    /** Records a non-null value of the column's Java type. */
    @SuppressWarnings("unchecked")
    void add(Object value) {
        nonNull++;
        Comparable<Object> v = (Comparable<Object>) ZoneMaps.statValue(type, value);
        if (v == null) {
            return;
        }
        if (min == null || v.compareTo(min) < 0) {
            min = v;
        }
        if (max == null || v.compareTo(max) > 0) {
            max = v;
        }
    }

    /** The zone map of a block of {@code rows} rows (rows never passed to {@link #add} are NULL). */
    ColumnStats build(long rows) {
        Object lo = min;
        Object hi = max;
        if (type == ColumnType.STRING && lo != null) {
            lo = ZoneMaps.lowerBound((String) lo);
            hi = ZoneMaps.upperBound((String) hi);
        }
        return new ColumnStats(lo, hi, rows - nonNull);
    }

    void reset() {
        min = null;
        max = null;
        nonNull = 0;
    }
}
