package io.river.engine.model;

import java.util.List;

/**
 * The columns every table has. {@code _pk} is River's internal primary key (the record key in
 * upsert mode, {@code partition/offset} in append mode) and orders every segment; the others are
 * ordinary nullable columns filled by whoever writes the row.
 */
public final class SystemColumns {
    private SystemColumns() {}

    public static final String PK = "_pk";
    public static final String KEY = "_key";
    public static final String TOPIC = "_topic";
    public static final String PARTITION = "_partition";
    public static final String OFFSET = "_offset";
    public static final String TIMESTAMP = "_timestamp";
    public static final String INGESTED_AT = "_ingested_at";
    /** Holds a value that is not a JSON object (raw bytes of a /put). */
    public static final String VALUE = "_value";
    /** Segment-only marker of a delete; never shown to SQL. */
    public static final String DELETED = "_deleted";

    /** System columns of every table, in schema order (after {@code _pk}). */
    public static final List<Column> ALL = List.of(
            new Column(KEY, ColumnType.STRING),
            new Column(TOPIC, ColumnType.STRING),
            new Column(PARTITION, ColumnType.INT32),
            new Column(OFFSET, ColumnType.INT64),
            new Column(TIMESTAMP, ColumnType.TIMESTAMP),
            new Column(INGESTED_AT, ColumnType.TIMESTAMP));

    public static boolean isSystem(String name) {
        return name.equals(PK)
                || name.equals(DELETED)
                || ALL.stream().anyMatch(c -> c.name().equals(name));
    }

    /** The internal key of an append-mode row: zero-padded so that text order is offset order. */
    public static String appendKey(int partition, long offset) {
        if (partition < 0 || offset < 0) {
            return String.format("%010d/%019d", partition, offset);
        }
        // The sink calls this once per record: built by hand, String.format cost ~15% of ingest CPU.
        char[] out = new char[30];
        padded(out, 0, 10, partition);
        out[10] = '/';
        padded(out, 11, 19, offset);
        return new String(out);
    }

    private static void padded(char[] out, int from, int width, long v) {
        for (int i = from + width - 1; i >= from; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }
}
