package io.river.engine.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.river.engine.model.ColumnType;
import io.river.engine.scan.ColumnStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * River's index of a segment, stored as custom metadata in the Arrow footer (keys in {@link
 * SegmentFormat}). The {@value SegmentFormat#KEY_INDEX} value is JSON:
 * <pre>
 * {"schemaVersion": 3, "createdMillis": 1700000000000, "rows": 10000, "tombstones": 12,
 *  "blocks": [{"firstKey": "a", "lastKey": "k", "rows": 8192, "tombstones": 3,
 *              "columns": {"price": {"min": 1.5, "max": 99.0, "nullCount": 7}, ...}}, ...]}
 * </pre>
 * Zone-map values follow {@link ZoneMaps}; they are decoded back to their typed form using the
 * column types of the file's Arrow schema. Immutable once built.
 */
public record SegmentFooter(
        int version,
        int schemaVersion,
        long createdMillis,
        long rows,
        long tombstones,
        List<BlockInfo> blocks,
        BloomFilter bloom) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SegmentFooter {
        blocks = List.copyOf(blocks);
    }

    private record IndexJson(
            int schemaVersion, long createdMillis, long rows, long tombstones, List<BlockInfo> blocks) {}

    /** Writes the footer into the Arrow footer's metadata map. */
    public void encodeInto(Map<String, String> metadata) {
        try {
            metadata.put(SegmentFormat.KEY_VERSION, Integer.toString(version));
            metadata.put(
                    SegmentFormat.KEY_INDEX,
                    JSON.writeValueAsString(new IndexJson(schemaVersion, createdMillis, rows, tombstones, blocks)));
            metadata.put(SegmentFormat.KEY_BLOOM, Base64.getEncoder().encodeToString(bloom.toBytes()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode segment footer", e);
        }
    }

    /**
     * Reads the footer from an Arrow footer's metadata; {@code types} gives each table column's
     * stored type. Throws IOException when the metadata is missing, of a newer version or corrupt.
     */
    public static SegmentFooter decode(Map<String, String> metadata, Map<String, ColumnType> types) throws IOException {
        String v = metadata == null ? null : metadata.get(SegmentFormat.KEY_VERSION);
        if (v == null) {
            throw new IOException("not a River segment: no " + SegmentFormat.KEY_VERSION + " in the Arrow footer");
        }
        int version;
        try {
            version = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IOException("bad segment version '" + v + "'");
        }
        if (version < 1 || version > SegmentFormat.VERSION) {
            throw new IOException("unsupported segment version " + version + " (this build reads up to "
                    + SegmentFormat.VERSION + ")");
        }
        String index = metadata.get(SegmentFormat.KEY_INDEX);
        String bloom = metadata.get(SegmentFormat.KEY_BLOOM);
        if (index == null || bloom == null) {
            throw new IOException("segment footer lacks its index or bloom filter");
        }
        try {
            IndexJson json = JSON.readValue(index, IndexJson.class);
            List<BlockInfo> blocks = new ArrayList<>(json.blocks().size());
            for (BlockInfo b : json.blocks()) {
                blocks.add(
                        new BlockInfo(b.firstKey(), b.lastKey(), b.rows(), b.tombstones(), typed(b.columns(), types)));
            }
            return new SegmentFooter(
                    version,
                    json.schemaVersion(),
                    json.createdMillis(),
                    json.rows(),
                    json.tombstones(),
                    blocks,
                    BloomFilter.fromBytes(Base64.getDecoder().decode(bloom)));
        } catch (IOException | RuntimeException e) {
            throw new IOException("corrupt segment footer: " + e.getMessage(), e);
        }
    }

    private static Map<String, ColumnStats> typed(Map<String, ColumnStats> raw, Map<String, ColumnType> types) {
        Map<String, ColumnStats> out = new HashMap<>();
        raw.forEach((name, s) -> {
            ColumnType t = types.get(name);
            if (t == null) {
                throw new IllegalArgumentException("zone map of unknown column " + name);
            }
            out.put(name, new ColumnStats(ZoneMaps.fromJson(t, s.min()), ZoneMaps.fromJson(t, s.max()), s.nullCount()));
        });
        return out;
    }

    /** Whole-file stats of every column (by name): block zone maps merged. */
    public Map<String, ColumnStats> fileStats() {
        Map<String, ColumnStats> out = new TreeMap<>();
        for (BlockInfo b : blocks) {
            b.columns().forEach((name, s) -> out.merge(name, s, ZoneMaps::merge));
        }
        return out;
    }
}
