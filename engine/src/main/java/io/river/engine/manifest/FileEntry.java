package io.river.engine.manifest;

import java.util.Map;

/**
 * A segment file as the manifest records it: file name (relative to the table directory), id,
 * level, size, row and tombstone counts, key range, creation time, the LSN up to which it holds
 * data, and whole-file column statistics. Immutable; serialized by Jackson.
 */
public record FileEntry(
        String file,
        long id,
        int level,
        long sizeBytes,
        long rows,
        long tombstones,
        String minKey,
        String maxKey,
        long createdMillis,
        long maxLsn,
        Map<String, ColumnStatsEntry> columns) {

    /** Whole-file statistics of one column. */
    public record ColumnStatsEntry(Object min, Object max, long nullCount) {}

    public FileEntry withLevel(int newLevel) {
        return new FileEntry(
                file, id, newLevel, sizeBytes, rows, tombstones, minKey, maxKey, createdMillis, maxLsn, columns);
    }

    /** True when the key ranges of the two files intersect. */
    public boolean overlaps(String lo, String hi) {
        return !(maxKey.compareTo(lo) < 0 || minKey.compareTo(hi) > 0);
    }
}
