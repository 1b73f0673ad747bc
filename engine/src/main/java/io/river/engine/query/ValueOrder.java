package io.river.engine.query;

import io.river.engine.query.LogicalPlan.SortKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order of result values and rows as DuckDB sorts them: numbers by value (NaN last), strings
 * by code point (UTF-8 byte order), bytes unsigned, false before true, timestamps by instant; NULLs
 * last unless NULLS FIRST is given, for ASC and DESC alike. Stateless; comparators are immutable.
 */
final class ValueOrder {
    private ValueOrder() {}

    static int compare(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) {
            return compareDoubles(((Number) a).doubleValue(), ((Number) b).doubleValue());
        } else if (a instanceof Number) {
            return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        } else if (a instanceof String) {
            return compareCodePoints((String) a, (String) b);
        } else if (a instanceof byte[]) {
            return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        } else if (a instanceof Boolean) {
            return Boolean.compare((Boolean) a, (Boolean) b);
        } else if (a instanceof Instant) {
            return ((Instant) a).compareTo((Instant) b);
        } else if (a instanceof LocalDate) {
            return ((LocalDate) a).compareTo((LocalDate) b);
        }
        throw new IllegalArgumentException("cannot order " + a.getClass());
    }

    /** DuckDB's double order: -0.0 equals 0.0, NaN equals NaN and is above every other value. */
    static int compareDoubles(double a, double b) {
        if (a < b) {
            return -1;
        } else if (a > b) {
            return 1;
        } else if (a == b) {
            return 0;
        }
        return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
    }

    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // surrogates (U+D800..DFFF) encode code points above every BMP char
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                if (xs != ys) {
                    return xs ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Orders rows by the values at {@code positions} under the given keys. */
    static Comparator<Object[]> rows(List<SortKey> keys, int[] positions) {
        return (r1, r2) -> {
            for (int k = 0; k < positions.length; k++) {
                Object a = r1[positions[k]];
                Object b = r2[positions[k]];
                SortKey key = keys.get(k);
                int c;
                if (a == null || b == null) {
                    if (a == b) {
                        continue;
                    }
                    c = (a == null) == key.nullsFirst() ? -1 : 1;
                    return c;
                }
                c = compare(a, b);
                if (c != 0) {
                    return key.descending() ? -c : c;
                }
            }
            return 0;
        };
    }
}
