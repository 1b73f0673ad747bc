package io.river.engine.scan;

/**
 * What a scan knows of a block before decoding it: its row count, key range and per-column zone
 * maps. Used by the query executor to skip blocks that cannot match. Implementations are
 * immutable.
 */
public interface BlockStats {
    long rowCount();

    String minKey();

    String maxKey();

    /** Zone map of a column, or null when unknown (memtable, or a column the block lacks: all NULL). */
    ColumnStats column(String name);

    /** True when the block lacks this column entirely (all values NULL). */
    boolean lacksColumn(String name);
}
