package io.river.engine.cache;

/**
 * Identity of one cache entry: a segment file (by its manifest id, never reused), a block of it and
 * the column the entry holds ({@link #ALL} when an entry holds a whole block). Immutable.
 */
public record BlockKey(long fileId, int block, String column) {
    /** The column name of an entry that holds every column of a block. */
    public static final String ALL = "*";
}
