package io.river.engine.scan;

/**
 * Zone-map entry of one column in one block: smallest and largest non-null value (Java types as
 * in {@link io.river.engine.model.ColumnType}; TIMESTAMP as Long epoch millis;
 * DATE as Integer days since 1970-01-01; null when the
 * block holds only NULLs or stats are unknown) and the number of NULLs. Immutable.
 */
public record ColumnStats(Object min, Object max, long nullCount) {}
