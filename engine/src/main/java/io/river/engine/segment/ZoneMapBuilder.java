package io.river.engine.segment;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.StringDictionary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Accumulates the zone map of one column over the rows of one block as a segment is written: the
 * smallest and largest non-null value (see {@link ZoneMaps} for the value rules) and how many rows
 * are NULL. Values come as objects of the column's Java type ({@link #add}) or unboxed, in the
 * zone-map form of the type ({@link #addLong}, {@link #addDouble}, {@link #addBoolean}, {@link
 * #addUtf8}, {@link #addCode}); both give the same map. Not thread-safe; reused block after block via
 * {@link #reset()}.
 */
final class ZoneMapBuilder {
    private final ColumnType type;
    /** The column's dictionary when it is dictionary-encoded (values may come as codes), else null. */
    private final StringDictionary dictionary;

    private long nonNull;
    private boolean any;
    private long minLong;
    private long maxLong;
    private double minDouble;
    private double maxDouble;
    private String minString;
    private String maxString;
    private byte[] minUtf8;
    private byte[] maxUtf8;

    ZoneMapBuilder(ColumnType type, StringDictionary dictionary) {
        this.type = type;
        this.dictionary = dictionary;
    }

    /** Records a non-null value of the column's Java type. */
    void add(Object value) {
        switch (type) {
            case INT32, INT64 -> addLong(((Number) value).longValue());
            case TIMESTAMP -> addLong(((Instant) value).toEpochMilli());
            case DATE -> addLong(((LocalDate) value).toEpochDay());
            case FLOAT64 -> addDouble((Double) value);
            case BOOLEAN -> addBoolean((Boolean) value);
            case STRING -> addString((String) value);
            default -> addOpaque();
        }
    }

    /** Records a non-null value of an integer, timestamp (epoch millis) or date (epoch days) column. */
    void addLong(long v) {
        nonNull++;
        if (!any) {
            minLong = v;
            maxLong = v;
            any = true;
        } else if (v < minLong) {
            minLong = v;
        } else if (v > maxLong) {
            maxLong = v;
        }
    }

    /** Records a non-null value of a FLOAT64 column, ordered as {@link Double#compare}. */
    void addDouble(double v) {
        nonNull++;
        if (!any) {
            minDouble = v;
            maxDouble = v;
            any = true;
        } else if (Double.compare(v, minDouble) < 0) {
            minDouble = v;
        } else if (Double.compare(v, maxDouble) > 0) {
            maxDouble = v;
        }
    }

    void addBoolean(boolean v) {
        addLong(v ? 1 : 0);
    }

    /** Records a non-null value of a BYTES column (only counted). */
    void addOpaque() {
        nonNull++;
    }

    /** Records a non-null value of a dictionary-encoded STRING column by its code (code order is value order). */
    void addCode(int code) {
        addLong(code);
    }

    private void addString(String v) {
        nonNull++;
        if (minString == null || v.compareTo(minString) < 0) {
            minString = v;
        }
        if (maxString == null || v.compareTo(maxString) > 0) {
            maxString = v;
        }
    }

    /**
     * Records a non-null value of a plain STRING column as its UTF-8 bytes (kept, not copied: must stay
     * unchanged), ordered as {@link String#compareTo} orders the decoded strings ({@link #compareUtf16}).
     */
    void addUtf8(byte[] v) {
        nonNull++;
        if (minUtf8 == null || compareUtf16(v, minUtf8) < 0) {
            minUtf8 = v;
        }
        if (maxUtf8 == null || compareUtf16(v, maxUtf8) > 0) {
            maxUtf8 = v;
        }
    }

    /**
     * Compares two well-formed UTF-8 strings in the order of their UTF-16 code units (Java's string
     * order). UTF-8 byte order is code point order, which differs from UTF-16 order only in that
     * U+E000..U+FFFF (lead bytes 0xEE, 0xEF) sort after the supplementary characters (surrogate
     * pairs; lead bytes 0xF0..0xF4): at the first differing byte, lead bytes 0xEE and 0xEF are moved
     * above 0xF4. Both strings share every character before that byte, so it is either a lead byte in
     * both or a continuation byte under the same lead byte, where the two orders agree.
     */
    static int compareUtf16(byte[] a, byte[] b) {
        int i = Arrays.mismatch(a, b);
        if (i < 0) {
            return 0;
        }
        if (i >= Math.min(a.length, b.length)) {
            return a.length - b.length;
        }
        return utf16Rank(a[i]) - utf16Rank(b[i]);
    }

    private static int utf16Rank(byte b) {
        int u = b & 0xFF;
        return u == 0xEE || u == 0xEF ? u + 0x10 : u;
    }

    /** The zone map of a block of {@code rows} rows (rows never passed to an add method are NULL). */
    ColumnStats build(long rows) {
        Object lo = null;
        Object hi = null;
        if (type == ColumnType.STRING) {
            String[] bounds = stringBounds();
            if (bounds != null) {
                lo = ZoneMaps.lowerBound(bounds[0]);
                hi = ZoneMaps.upperBound(bounds[1]);
            }
        } else if (any) {
            lo = boxed(minLong, minDouble);
            hi = boxed(maxLong, maxDouble);
        }
        return new ColumnStats(lo, hi, rows - nonNull);
    }

    /** The zone-map form ({@link ZoneMaps#statValue}) of a recorded extreme of a non-string column. */
    private Object boxed(long asLong, double asDouble) {
        switch (type) {
            case INT32, DATE:
                return (int) asLong;
            case INT64, TIMESTAMP:
                return asLong;
            case FLOAT64:
                return asDouble;
            case BOOLEAN:
                return asLong != 0;
            default:
                return null;
        }
    }

    /** The smallest and largest string recorded in any form, or null when none was. */
    private String[] stringBounds() {
        String lo = minString;
        String hi = maxString;
        if (dictionary != null && any) {
            lo = min(lo, dictionary.string((int) minLong));
            hi = max(hi, dictionary.string((int) maxLong));
        }
        if (minUtf8 != null) {
            lo = min(lo, new String(minUtf8, StandardCharsets.UTF_8));
            hi = max(hi, new String(maxUtf8, StandardCharsets.UTF_8));
        }
        return lo == null ? null : new String[] {lo, hi};
    }

    private static String min(String a, String b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    private static String max(String a, String b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

    void reset() {
        nonNull = 0;
        any = false;
        minString = null;
        maxString = null;
        minUtf8 = null;
        maxUtf8 = null;
    }
}
