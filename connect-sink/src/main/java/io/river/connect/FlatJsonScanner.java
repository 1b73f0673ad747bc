package io.river.connect;

/**
 * Reads the common shape of a JSON record, a flat object, straight from its String with no parser
 * object, no String per field name and no intermediate number objects, giving exactly the values
 * {@link JsonRowParser} gives. It takes only what it fully understands: field names and strings
 * without escapes or control characters (up to 2^20 characters), integers of at most 18 digits,
 * decimals of up to 100 characters, {@code true}, {@code false}, {@code null}, JSON whitespace, and
 * nothing after the object but whitespace. For anything else (an escape, a nested object or array, a
 * longer number or string, a field named like a system column, a malformed document) {@link #scan}
 * returns false having put nothing, and the caller parses the record with {@link JsonRowParser},
 * whose values and errors (and read constraints) are then the record's.
 *
 * <p>Field names resolve to column names through a per-instance cache looked up by the name's
 * characters; short string values (repeated values of a low-cardinality field) come from a second
 * cache, so equal values share one String. Integers are INT64 ({@code Long}); a decimal without an
 * exponent and with at most 15 digits is computed exactly as {@code Double.parseDouble}
 * rounds it (an integer below 2^53 divided by an exact power of ten, one correctly rounded
 * operation), any other through {@code Double.parseDouble}. Not thread-safe: one per task.
 */
final class FlatJsonScanner {
    private static final int MAX_FIELDS = 256;
    private static final int NAME_SLOTS = 512;
    private static final int VALUE_SLOTS = 1024;
    private static final int MAX_CACHED_VALUE = 24;
    private static final int MAX_LONG_DIGITS = 18;
    private static final int MAX_EXACT_DIGITS = 15;
    /** Longer numbers and strings are left to Jackson, whose read constraints decide on them. */
    private static final int MAX_NUMBER_CHARS = 100;

    private static final int MAX_STRING_CHARS = 1 << 20;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    private final String[] nameKeys = new String[NAME_SLOTS];
    private final String[] nameColumns = new String[NAME_SLOTS];
    private final String[] valueCache = new String[VALUE_SLOTS];

    private final String[] columns = new String[MAX_FIELDS];
    private final Object[] values = new Object[MAX_FIELDS];
    private int fields;

    private String text;
    private int pos;
    private int end;

    /**
     * Puts the fields of the JSON object {@code json} into {@code out}, in document order, and returns
     * true; or returns false, having put nothing, when the document is outside the shape above.
     */
    boolean scan(String json, RowTarget out) {
        text = json;
        pos = 0;
        end = json.length();
        fields = 0;
        boolean read = readObject();
        text = null;
        if (read) {
            for (int i = 0; i < fields; i++) {
                out.put(columns[i], values[i]);
            }
        }
        for (int i = 0; i < fields; i++) {
            values[i] = null;
        }
        return read;
    }

    private boolean readObject() {
        if (skipBlanks() != '{') {
            return false;
        }
        pos++;
        int c = skipBlanks();
        if (c == '}') {
            pos++;
            return atEnd();
        }
        while (true) {
            if (c != '"' || fields == MAX_FIELDS) {
                return false;
            }
            String column = fieldName();
            if (column == null || skipBlanks() != ':') {
                return false;
            }
            pos++;
            skipBlanks();
            if (!value()) {
                return false;
            }
            columns[fields++] = column;
            c = skipBlanks();
            pos++;
            if (c == '}') {
                return atEnd();
            }
            if (c != ',') {
                return false;
            }
            c = skipBlanks();
        }
    }

    /** True when nothing but whitespace follows. */
    private boolean atEnd() {
        return skipBlanks() == -1;
    }

    /** The character at the first non-blank position from {@link #pos} (moved there), or -1 at the end. */
    private int skipBlanks() {
        while (pos < end) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c;
            }
            pos++;
        }
        return -1;
    }

    /** The end (exclusive) of the plain string whose opening quote is at {@link #pos}, or -1. */
    private int stringEnd() {
        int limit = Math.min(end, pos + 1 + MAX_STRING_CHARS);
        for (int i = pos + 1; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** The column of the field name at {@link #pos} (moved past it), or null to leave the record to Jackson. */
    private String fieldName() {
        int close = stringEnd();
        if (close < 0) {
            return null;
        }
        int from = pos + 1;
        int length = close - from;
        pos = close + 1;
        int hash = hash(from, close);
        int slot = hash & (NAME_SLOTS - 1);
        String key = nameKeys[slot];
        if (key != null && key.length() == length && text.regionMatches(from, key, 0, length)) {
            return nameColumns[slot];
        }
        String name = text.substring(from, close);
        String column;
        try {
            column = length == 0 ? null : ColumnNames.of(name);
        } catch (RecordException systemColumn) {
            return null; // Jackson's path gives the record its error
        }
        if (column != null) {
            nameKeys[slot] = name;
            nameColumns[slot] = column;
        }
        return column;
    }

    private int hash(int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    /** Reads the value at {@link #pos} into {@code values[fields]}; false to leave the record to Jackson. */
    private boolean value() {
        if (pos >= end) {
            return false;
        }
        char c = text.charAt(pos);
        switch (c) {
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return c == '-' || (c >= '0' && c <= '9') ? number() : false;
        }
    }

    private boolean literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            return false;
        }
        pos += word.length();
        values[fields] = value;
        return true;
    }

    private boolean string() {
        int close = stringEnd();
        if (close < 0) {
            return false;
        }
        int from = pos + 1;
        pos = close + 1;
        int length = close - from;
        if (length > MAX_CACHED_VALUE) {
            values[fields] = text.substring(from, close);
            return true;
        }
        int slot = hash(from, close) & (VALUE_SLOTS - 1);
        String cached = valueCache[slot];
        if (cached != null && cached.length() == length && text.regionMatches(from, cached, 0, length)) {
            values[fields] = cached;
            return true;
        }
        String value = text.substring(from, close);
        valueCache[slot] = value;
        values[fields] = value;
        return true;
    }

    /**
     * A number in JSON's grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; an integer of
     * more than 18 digits (which may not fit a long) is left to Jackson. The digits accumulate in a long
     * that may overflow; it is used only when there are at most 15 of them.
     */
    private boolean number() {
        int start = pos;
        int i = pos;
        boolean negative = text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        long mantissa = 0;
        while (i < end && isDigit(text.charAt(i))) {
            mantissa = mantissa * 10 + (text.charAt(i) - '0');
            i++;
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && text.charAt(intStart) == '0')) {
            return false;
        }
        if (i >= end || (text.charAt(i) != '.' && text.charAt(i) != 'e' && text.charAt(i) != 'E')) {
            if (intDigits > MAX_LONG_DIGITS) {
                return false;
            }
            pos = i;
            values[fields] = negative ? -mantissa : mantissa;
            return true;
        }
        int fractionDigits = 0;
        if (text.charAt(i) == '.') {
            i++;
            int fracStart = i;
            while (i < end && isDigit(text.charAt(i))) {
                mantissa = mantissa * 10 + (text.charAt(i) - '0'); // used only if the digits fit
                i++;
            }
            fractionDigits = i - fracStart;
            if (fractionDigits == 0) {
                return false;
            }
        }
        boolean exponent = i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E');
        if (exponent) {
            i++;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int expStart = i;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == expStart) {
                return false;
            }
        }
        if (i - start > MAX_NUMBER_CHARS) {
            return false;
        }
        pos = i;
        if (!exponent && intDigits + fractionDigits <= MAX_EXACT_DIGITS) {
            double v = mantissa / POWERS_OF_TEN[fractionDigits];
            values[fields] = negative ? -v : v;
        } else {
            values[fields] = Double.parseDouble(text.substring(start, i));
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
