package io.river.connect;

/**
 * Where a converted record's values go, one column at a time: a row's map (embedded mode, the
 * engine's {@code Row}) or a table's column builders ({@link ColumnBatch}, server mode). Setting a
 * column twice in one row keeps the last value.
 */
@FunctionalInterface
interface RowTarget {
    void put(String column, Object value);
}
