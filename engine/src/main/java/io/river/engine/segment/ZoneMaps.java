package io.river.engine.segment;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.ColumnStats;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Rules for zone-map values (the min/max of {@link ColumnStats}), shared by the writer, the footer
 * codec and the reader. Values are the Java types of {@link ColumnType} except TIMESTAMP (Long
 * epoch millis), DATE (Integer days since 1970-01-01) and BYTES (no min/max, only the null
 * count). FLOAT64 orders as {@link Double#compare} (NaN above everything). Strings longer than
 * {@value #MAX_STRING_CHARS} chars are cut: a min to a prefix (still a lower bound), a max to a prefix whose last char
 * is incremented
 * (still an upper bound), so pruning stays correct. Stateless.
 */
public final class ZoneMaps {
    /** Longest string kept exactly in a zone map. */
    public static final int MAX_STRING_CHARS = 64;

    private ZoneMaps() {}

    /** The zone-map form of a column value (already of the column's Java type), or null if none is kept. */
    static Comparable<?> statValue(ColumnType type, Object value) {
        switch (type) {
            case TIMESTAMP:
                return ((Instant) value).toEpochMilli();
            case DATE:
                return Math.toIntExact(((LocalDate) value).toEpochDay());
            case BYTES:
                return null;
            default:
                return (Comparable<?>) value;
        }
    }

    /** A lower bound of {@code s} no longer than {@link #MAX_STRING_CHARS}. */
    static String lowerBound(String s) {
        if (s.length() <= MAX_STRING_CHARS) {
            return s;
        }
        int cut = MAX_STRING_CHARS;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut);
    }

    /** An upper bound of {@code s} no longer than {@link #MAX_STRING_CHARS}, or {@code s} when none is shorter. */
    static String upperBound(String s) {
        if (s.length() <= MAX_STRING_CHARS) {
            return s;
        }
        // Increment the last char that can be incremented without making a surrogate; cut after it.
        for (int i = MAX_STRING_CHARS - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c < Character.MIN_SURROGATE - 1 || (c > Character.MAX_SURROGATE && c < Character.MAX_VALUE)) {
                return s.substring(0, i) + (char) (c + 1);
            }
        }
        return s;
    }

    /** Both stats of one column combined (whole-file stats from block stats). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static ColumnStats merge(ColumnStats a, ColumnStats b) {
        if (a == null) {
            return b;
        }
        Object min = a.min() == null
                ? b.min()
                : b.min() == null ? a.min() : ((Comparable) a.min()).compareTo(b.min()) <= 0 ? a.min() : b.min();
        Object max = a.max() == null
                ? b.max()
                : b.max() == null ? a.max() : ((Comparable) a.max()).compareTo(b.max()) >= 0 ? a.max() : b.max();
        return new ColumnStats(min, max, a.nullCount() + b.nullCount());
    }

    /** A zone-map value read back from JSON (any Number, String or Boolean) as the type's zone-map form. */
    static Object fromJson(ColumnType type, Object v) {
        if (v == null) {
            return null;
        }
        switch (type) {
            case INT32:
            case DATE:
                return ((Number) v).intValue();
            case INT64:
            case TIMESTAMP:
                return ((Number) v).longValue();
            case FLOAT64:
                // Jackson writes NaN and the infinities as the strings "NaN", "Infinity", "-Infinity".
                return v instanceof String ? Double.valueOf((String) v) : ((Number) v).doubleValue();
            case BOOLEAN:
                return (Boolean) v;
            case STRING:
                return (String) v;
            default:
                return null;
        }
    }
}
