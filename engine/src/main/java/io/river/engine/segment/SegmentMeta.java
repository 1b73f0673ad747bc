package io.river.engine.segment;

import io.river.engine.scan.ColumnStats;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the manifest records of a segment file: its name (no directory), size, row and tombstone
 * counts, key range (exact), number of blocks, whole-file zone maps of every table column it holds
 * (by name; values as in {@link ZoneMaps}), creation time and the table schema version it was
 * written with. Immutable; a plain record that Jackson serializes (zone-map values come back from
 * JSON as generic numbers: read them through {@link Number}).
 */
public record SegmentMeta(
        String file,
        long sizeBytes,
        long rows,
        long tombstones,
        String minKey,
        String maxKey,
        int blocks,
        Map<String, ColumnStats> columns,
        long createdMillis,
        int schemaVersion) {
    public SegmentMeta {
        columns = columns == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(columns));
    }
}
