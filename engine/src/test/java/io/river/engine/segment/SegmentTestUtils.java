package io.river.engine.segment;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.ColumnStats;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared data for segment tests: a schema with every column type and rows with NULLs and tombstones. */
final class SegmentTestUtils {
    static final List<String> USER_COLUMNS = List.of("flag", "n32", "n64", "price", "name", "blob", "at");

    private SegmentTestUtils() {}

    static TableSchema allTypesSchema() {
        List<Column> cols = new ArrayList<>(SystemColumns.ALL);
        cols.add(new Column("flag", ColumnType.BOOLEAN));
        cols.add(new Column("n32", ColumnType.INT32));
        cols.add(new Column("n64", ColumnType.INT64));
        cols.add(new Column("price", ColumnType.FLOAT64));
        cols.add(new Column("name", ColumnType.STRING));
        cols.add(new Column("blob", ColumnType.BYTES));
        cols.add(new Column("at", ColumnType.TIMESTAMP));
        return new TableSchema(3, cols);
    }

    static String key(int i) {
        return String.format("k%06d", i);
    }

    static boolean isTombstone(int i) {
        return i % 13 == 5;
    }

    /** Row {@code i}: every 13th a tombstone; column c NULL when (i + c) % 7 == 0 (alternately missing or explicit). */
    static Row row(int i) {
        String pk = key(i);
        if (isTombstone(i)) {
            return Row.tombstone(pk);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(SystemColumns.KEY, pk);
        v.put(SystemColumns.TOPIC, "events");
        v.put(SystemColumns.PARTITION, i % 4);
        v.put(SystemColumns.OFFSET, (long) i);
        v.put(SystemColumns.TIMESTAMP, Instant.ofEpochMilli(1_700_000_000_000L + i));
        Object[] user = {
            i % 2 == 0,
            i - 500,
            i * 1_000_000_007L,
            i == 77 ? Double.NaN : i * 0.25 - 10,
            (i % 11 == 0 ? "ключ-" : "name-") + (i * 7919 % 1000),
            ("blob" + i).getBytes(StandardCharsets.UTF_8),
            Instant.ofEpochMilli(1_600_000_000_000L + i * 1000L)
        };
        for (int c = 0; c < user.length; c++) {
            if ((i + c) % 7 != 0) {
                v.put(USER_COLUMNS.get(c), user[c]);
            } else if (c % 2 == 0) {
                v.put(USER_COLUMNS.get(c), null);
            }
        }
        return Row.of(pk, v);
    }

    static List<Row> rows(int n) {
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(row(i));
        }
        return out;
    }

    /** The zone maps a block of these rows must have, computed naively. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<String, ColumnStats> expectedZoneMaps(List<Row> block, TableSchema schema) {
        Map<String, ColumnStats> out = new HashMap<>();
        for (Column c : schema.columns()) {
            Comparable min = null;
            Comparable max = null;
            long nulls = 0;
            for (Row r : block) {
                Object v = r.get(c.name());
                if (v == null) {
                    nulls++;
                    continue;
                }
                if (c.type() == ColumnType.BYTES) {
                    continue;
                }
                Comparable cv = v instanceof Instant ? ((Instant) v).toEpochMilli() : (Comparable) v;
                min = min == null || cv.compareTo(min) < 0 ? cv : min;
                max = max == null || cv.compareTo(max) > 0 ? cv : max;
            }
            out.put(c.name(), new ColumnStats(min, max, nulls));
        }
        return out;
    }
}
