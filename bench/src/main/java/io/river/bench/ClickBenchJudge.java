package io.river.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Judges one ClickBench answer against DuckDB's, fairly at a LIMIT: the ORDER BY key of every row must
 * be DuckDB's, row by row; the rows sharing a key must be DuckDB's rows with that key (in any order),
 * except in the last key group of a limited answer and the first one of an answer with an OFFSET, whose
 * rows may be any rows of the whole answer with that key (the key ties across the LIMIT or OFFSET
 * boundary). A LIMIT without ORDER BY may pick any rows of the whole answer. When the ORDER BY keys
 * are not output columns, the keys come from DuckDB's whole answer with the keys appended
 * ({@link ClickBenchQueries#wholeQuery}). Floating values match within a relative 1e-9 (averages
 * summed in a different order); integers of any width match by value; timestamps as UTC epoch
 * milliseconds, dates as ISO text. Stateless.
 */
public final class ClickBenchJudge {
    private static final double TOLERANCE = 1e-9;

    private ClickBenchJudge() {}

    /** Reads a JDBC answer (DuckDB's, or the Flight SQL driver's) as normalized rows. */
    public static List<Object[]> read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Object[]> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] row = new Object[n];
            for (int c = 0; c < n; c++) {
                String type = md.getColumnTypeName(c + 1);
                row[c] = type.startsWith("TIMESTAMP")
                        ? normalize(rs.getObject(c + 1, LocalDateTime.class))
                        : normalize(rs.getObject(c + 1));
            }
            rows.add(row);
        }
        return rows;
    }

    /** River's in-process answer, normalized. */
    public static List<Object[]> normalizeAll(List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Object[] r = new Object[row.length];
            for (int c = 0; c < row.length; c++) {
                r[c] = normalize(row[c]);
            }
            out.add(r);
        }
        return out;
    }

    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        } else if (v instanceof BigInteger) {
            return ((BigInteger) v).longValueExact();
        } else if (v instanceof BigDecimal || v instanceof Float) {
            return ((Number) v).doubleValue();
        } else if (v instanceof Instant) {
            return ((Instant) v).toEpochMilli();
        } else if (v instanceof Timestamp) {
            return ((Timestamp) v).toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
        } else if (v instanceof LocalDateTime) {
            return ((LocalDateTime) v).toInstant(ZoneOffset.UTC).toEpochMilli();
        } else if (v instanceof java.sql.Date) {
            return ((java.sql.Date) v).toLocalDate().toString();
        } else if (v instanceof LocalDate) {
            return v.toString();
        } else if (v instanceof org.apache.arrow.vector.util.Text) {
            return v.toString();
        }
        return v;
    }

    /**
     * Null when {@code actual} is a right answer to {@code sql}, else what is wrong. {@code expected}
     * is DuckDB's answer to {@code sql}, {@code whole} DuckDB's answer to
     * {@link ClickBenchQueries#wholeQuery} (the same list when that is {@code sql} itself).
     */
    public static String judge(String sql, List<Object[]> expected, List<Object[]> whole, List<Object[]> actual) {
        if (expected.size() != actual.size()) {
            return "row count: DuckDB " + expected.size() + ", River " + actual.size() + "\n  DuckDB: " + show(expected)
                    + "\n  River:  " + show(actual);
        }
        if (!expected.isEmpty() && expected.get(0).length != actual.get(0).length) {
            return "column count: DuckDB " + expected.get(0).length + ", River " + actual.get(0).length;
        }
        int[] keys = ClickBenchQueries.orderKeys(sql, ClickBenchData.COLUMNS);
        boolean limited = ClickBenchQueries.limit(sql) >= 0;
        if (keys == null) {
            return byHiddenKeyGroups(
                    ClickBenchQueries.orderKeyCount(sql), ClickBenchQueries.offset(sql), whole, actual);
        }
        if (keys.length == 0) {
            return limited ? containedIn(whole, actual) : sameRows(expected, actual);
        }
        return byKeyGroups(keys, expected, whole, actual, limited, ClickBenchQueries.offset(sql) > 0);
    }

    private static String byKeyGroups(
            int[] keys,
            List<Object[]> expected,
            List<Object[]> whole,
            List<Object[]> actual,
            boolean limited,
            boolean offset) {
        for (int r = 0; r < expected.size(); r++) {
            if (!sameKey(keys, expected.get(r), actual.get(r))) {
                return "order key of row " + r + ": DuckDB " + Arrays.toString(expected.get(r)) + ", River "
                        + Arrays.toString(actual.get(r));
            }
        }
        int from = 0;
        while (from < expected.size()) {
            int to = from + 1;
            while (to < expected.size() && sameKey(keys, expected.get(from), expected.get(to))) {
                to++;
            }
            List<Object[]> e = expected.subList(from, to);
            List<Object[]> a = actual.subList(from, to);
            String diff = sameRows(e, a);
            if (diff != null && limited && (from == 0 && offset || to == expected.size())) {
                Object[] key = expected.get(from);
                List<Object[]> tied = new ArrayList<>();
                for (Object[] row : whole) {
                    if (sameKey(keys, key, row)) {
                        tied.add(row);
                    }
                }
                diff = containedIn(tied, a);
            }
            if (diff != null) {
                return "rows " + from + ".." + (to - 1) + " (one order key): " + diff;
            }
            from = to;
        }
        return null;
    }

    /**
     * An answer ordered by keys it does not show: {@code whole} is DuckDB's whole answer with the
     * {@code keyCount} keys appended to each row. Walking DuckDB's rows in order, in groups of one key,
     * from the OFFSET on: River's rows at a group's positions must be that group's rows (any order),
     * or, for a group cut by the OFFSET or the LIMIT, some of them.
     */
    private static String byHiddenKeyGroups(int keyCount, int offset, List<Object[]> whole, List<Object[]> actual) {
        if (actual.isEmpty()) {
            return whole.size() > offset ? "River answered no rows" : null;
        }
        int width = actual.get(0).length;
        int[] keys = new int[keyCount];
        for (int k = 0; k < keyCount; k++) {
            keys[k] = width + k;
        }
        int end = offset + actual.size();
        int from = 0;
        while (from < whole.size() && from < end) {
            int to = from + 1;
            while (to < whole.size() && sameKey(keys, whole.get(from), whole.get(to))) {
                to++;
            }
            if (to > offset) {
                List<Object[]> group = new ArrayList<>();
                for (Object[] row : whole.subList(from, to)) {
                    group.add(Arrays.copyOf(row, width));
                }
                int lo = Math.max(from, offset);
                int hi = Math.min(to, end);
                List<Object[]> mine = actual.subList(lo - offset, hi - offset);
                String diff = lo == from && hi == to ? sameRows(group, mine) : containedIn(group, mine);
                if (diff != null) {
                    return "rows " + (lo - offset) + ".." + (hi - offset - 1) + " (one hidden order key): " + diff;
                }
            }
            from = to;
        }
        return from < end ? "River answered more rows than there are" : null;
    }

    private static boolean sameKey(int[] keys, Object[] x, Object[] y) {
        for (int k : keys) {
            if (!same(x[k], y[k])) {
                return false;
            }
        }
        return true;
    }

    /** The same rows in any order. */
    private static String sameRows(List<Object[]> expected, List<Object[]> actual) {
        List<Object[]> e = sorted(expected);
        List<Object[]> a = sorted(actual);
        for (int r = 0; r < e.size(); r++) {
            if (compareRows(e.get(r), a.get(r)) != 0) {
                return "DuckDB has " + Arrays.toString(e.get(r)) + " where River has " + Arrays.toString(a.get(r));
            }
        }
        return null;
    }

    /** Every row of {@code actual} is a distinct row of {@code pool} (a multiset subset). */
    private static String containedIn(List<Object[]> pool, List<Object[]> actual) {
        List<Object[]> p = sorted(pool);
        List<Object[]> a = sorted(actual);
        int i = 0;
        for (Object[] row : a) {
            while (i < p.size() && compareRows(p.get(i), row) < 0) {
                i++;
            }
            if (i == p.size() || compareRows(p.get(i), row) != 0) {
                return "River's row " + Arrays.toString(row) + " is not in DuckDB's answer";
            }
            i++;
        }
        return null;
    }

    private static List<Object[]> sorted(List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>(rows);
        out.sort((Comparator<Object[]>) ClickBenchJudge::compareRows);
        return out;
    }

    /** A total order on rows in which values that are {@link #same} compare equal. */
    private static int compareRows(Object[] x, Object[] y) {
        for (int c = 0; c < x.length; c++) {
            int k = compareValues(x[c], y[c]);
            if (k != 0) {
                return k;
            }
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        if (same(a, b)) {
            return 0;
        }
        if (a instanceof Long && b instanceof Long) {
            return Long.compare((Long) a, (Long) b);
        }
        if (a instanceof Number && b instanceof Number) {
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        if (a.getClass() != b.getClass()) {
            return a.getClass().getName().compareTo(b.getClass().getName());
        }
        return ((Comparable) a).compareTo(b);
    }

    static boolean same(Object x, Object y) {
        if (x == null || y == null) {
            return x == y;
        }
        if (x instanceof Double || y instanceof Double) {
            if (!(x instanceof Number) || !(y instanceof Number)) {
                return false;
            }
            double a = ((Number) x).doubleValue();
            double b = ((Number) y).doubleValue();
            if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
                return Double.compare(a, b) == 0;
            }
            return Math.abs(a - b) <= TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
        }
        if (x instanceof Long && y instanceof Long) {
            return x.equals(y);
        }
        return x.equals(y);
    }

    private static String show(List<Object[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(5, rows.size()); i++) {
            sb.append(Arrays.toString(rows.get(i))).append(' ');
        }
        return sb.append(rows.size() > 5 ? "..." : "").toString();
    }
}
