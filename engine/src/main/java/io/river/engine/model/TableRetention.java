package io.river.engine.model;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's own retention, as {@code CREATE TABLE ... WITH (retention = '7 days', retention_column =
 * 'ts')} or {@code ALTER TABLE ... SET} declared it and the manifest keeps it: {@code millis} (null:
 * the table has none, so the engine's {@code river.retention.ms} applies; 0: keep forever whatever the
 * engine's setting) and {@code column} (null: ingestion time, {@link SystemColumns#INGESTED_AT}; else
 * a TIMESTAMP or DATE column of the table). A row is expired when its time is below the cutoff
 * {@code now - retention}; a row whose time is NULL never expires; a DATE counts as its midnight UTC.
 * Immutable.
 */
public record TableRetention(Long millis, String column) {
    /** Nothing declared: the engine's retention, by ingestion time. */
    public static final TableRetention NONE = new TableRetention(null, null);

    private static final Pattern INTERVAL = Pattern.compile(
            "\\s*(\\d{1,18})\\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?|w|weeks?)?\\s*");

    public TableRetention {
        if (millis != null && millis < 0) {
            throw new IllegalArgumentException("retention must not be negative: " + millis);
        }
    }

    /**
     * Fails with a {@link SchemaException} unless the declared column (if any) is one of
     * {@code columns} of type TIMESTAMP or DATE (or the system column {@code _ingested_at} or
     * {@code _timestamp}).
     */
    public void checkColumn(List<Column> columns) {
        if (column == null) {
            return;
        }
        String name = column;
        if (name.equals(SystemColumns.INGESTED_AT) || name.equals(SystemColumns.TIMESTAMP)) {
            return;
        }
        for (Column c : columns) {
            if (c.name().equals(name)) {
                if (c.type() != ColumnType.TIMESTAMP && c.type() != ColumnType.DATE) {
                    throw new SchemaException(
                            "retention column '" + name + "' is " + c.type() + "; it must be a TIMESTAMP or DATE",
                            name);
                }
                return;
            }
        }
        throw new SchemaException("retention column '" + name + "' is not a column of the table", name);
    }

    /** The column whose value is a row's time: the declared one, or {@code _ingested_at}. */
    public String timeColumn() {
        return column == null ? SystemColumns.INGESTED_AT : column;
    }

    public TableRetention withMillis(Long newMillis) {
        return new TableRetention(newMillis, column);
    }

    public TableRetention withColumn(String newColumn) {
        return new TableRetention(millis, newColumn);
    }

    /**
     * Parses an interval as SQL writes it: {@code 'N seconds|minutes|hours|days|weeks'} (singular,
     * plural or short: {@code s, m, h, d, w}), {@code 'N ms'}, or plain milliseconds ({@code '3600000'}).
     * Throws {@link IllegalArgumentException} naming the text when it is none of these or overflows.
     */
    public static long parseInterval(String text) {
        Matcher m = INTERVAL.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an interval: write 'N seconds', 'N minutes', "
                    + "'N hours', 'N days', 'N weeks' or a number of milliseconds");
        }
        long n = Long.parseLong(m.group(1));
        long unit = unitMillis(m.group(2));
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("interval '" + text + "' is too long");
        }
    }

    private static long unitMillis(String unit) {
        if (unit == null || unit.startsWith("ms") || unit.startsWith("milli")) {
            return 1L;
        }
        switch (unit.charAt(0)) {
            case 's':
                return 1_000L;
            case 'm':
                return 60_000L;
            case 'h':
                return 3_600_000L;
            case 'd':
                return 86_400_000L;
            default:
                return 7 * 86_400_000L;
        }
    }

    /** An interval as {@link #parseInterval} reads it, in the largest unit up to days that divides it ("7 days"). */
    public static String formatInterval(long millis) {
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"day", "hour", "minute", "second"};
        for (int i = 0; i < units.length; i++) {
            if (millis > 0 && millis % units[i] == 0) {
                long n = millis / units[i];
                return n + " " + names[i] + (n == 1 ? "" : "s");
            }
        }
        return millis + " ms";
    }
}
