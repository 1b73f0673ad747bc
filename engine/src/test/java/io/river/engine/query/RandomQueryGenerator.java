package io.river.engine.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates random queries from River's whole SQL subset over the differential-test table
 * {@code t(id, i, l, d, s, h, f, ts, b, late)}, each as the River text and the DuckDB text (equal
 * except that APPROX_COUNT_DISTINCT becomes an exact COUNT(DISTINCT) for DuckDB, whose result the
 * test compares within a tolerance). Literals are drawn from the data so filters select
 * something. Queries avoid what is undefined or engine-specific: ties under LIMIT, overflow, %
 * by a column. Not thread-safe.
 */
final class RandomQueryGenerator {
    /** One query: texts for both engines, whether the answer is fully ordered, approximate columns. */
    record Generated(String river, String duck, boolean ordered, Set<Integer> approxColumns, boolean countOnly) {
        Generated(String river, String duck, boolean ordered, Set<Integer> approxColumns) {
            this(river, duck, ordered, approxColumns, false);
        }
    }

    private final Random r;
    private final DifferentialData data;
    private final boolean star;

    /** @param star whether to generate {@code SELECT *} (only when River's table has exactly DuckDB's columns) */
    RandomQueryGenerator(long seed, DifferentialData data, boolean star) {
        this.r = new Random(seed);
        this.data = data;
        this.star = star;
    }

    Generated next() {
        if (r.nextInt(100) == 0) {
            return failing();
        }
        if (r.nextInt(30) == 0) {
            // LIMIT without ORDER BY: which rows is undefined, how many is not
            String sql = "SELECT id, " + projection() + " FROM t" + where() + " LIMIT " + r.nextInt(40);
            return new Generated(sql, sql, false, Set.of(), true);
        }
        if (r.nextInt(12) == 0) {
            return queryOverQuery();
        }
        switch (r.nextInt(10)) {
            case 0:
            case 1:
            case 2:
                return rowQuery();
            case 3:
            case 4:
                return globalAggregate();
            case 5:
            case 6:
            case 7:
            case 8:
                return groupQuery();
            default:
                return distinctQuery();
        }
    }

    /**
     * A generated query used as a subquery in FROM, as a CTE, or twice under UNION ALL; the answer is
     * compared as a multiset (a subquery's order is not kept by SQL).
     */
    private Generated queryOverQuery() {
        Generated inner = r.nextBoolean() ? groupQuery() : rowQuery();
        switch (r.nextInt(3)) {
            case 0:
                return new Generated(
                        "SELECT * FROM (" + inner.river() + ") AS sub",
                        "SELECT * FROM (" + inner.duck() + ") AS sub",
                        false,
                        inner.approxColumns());
            case 1:
                return new Generated(
                        "WITH w AS (" + inner.river() + ") SELECT * FROM w",
                        "WITH w AS (" + inner.duck() + ") SELECT * FROM w",
                        false,
                        inner.approxColumns());
            default: {
                Generated row = rowQuery();
                while (row.ordered()) {
                    row = rowQuery();
                }
                String twice = row.river() + " UNION ALL " + row.river().replace(" WHERE ", " WHERE NOT ");
                if (!row.river().contains(" WHERE ")) {
                    twice = row.river() + " UNION ALL " + row.river();
                }
                return new Generated(twice, twice, false, Set.of());
            }
        }
    }

    /** Queries both engines must reject (data errors, bad types, bad grouping). */
    private Generated failing() {
        String sql = pick(
                "SELECT i % 0 FROM t WHERE i IS NOT NULL",
                "SELECT i + 2147483600 FROM t WHERE i > 60",
                "SELECT s + 1 FROM t",
                "SELECT s, count(*) FROM t",
                "SELECT i FROM t GROUP BY s",
                "SELECT nope FROM t",
                "SELECT id FROM t WHERE sum(i) > 0",
                "SELECT l * 9223372036854775807 FROM t WHERE l > 10",
                "SELECT CAST(s AS INTEGER) FROM t WHERE s = 'Paris'",
                "SELECT CAST(l AS INTEGER) FROM t WHERE l > 10000000000");
        return new Generated(sql, sql, false, Set.of());
    }

    private <T> T pick(List<T> xs) {
        return xs.get(r.nextInt(xs.size()));
    }

    @SafeVarargs
    private <T> T pick(T... xs) {
        return xs[r.nextInt(xs.length)];
    }

    private String where() {
        return r.nextInt(5) == 0 ? "" : " WHERE " + predicate(r.nextInt(3));
    }

    // ---- query shapes ----

    private Generated rowQuery() {
        List<String> cols = new ArrayList<>();
        if (star && r.nextInt(8) == 0) {
            cols.add(pick("*", "t.*"));
        } else {
            int n = 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) {
                cols.add(projection());
            }
        }
        String sql = "SELECT " + String.join(", ", cols) + " FROM t" + where();
        if (r.nextBoolean()) {
            return new Generated(sql, sql, false, Set.of());
        }
        String first = orderable();
        if (r.nextInt(4) == 0 && !cols.contains("*")) {
            cols.add(first + " AS sortkey");
            sql = "SELECT " + String.join(", ", cols) + " FROM t" + sql.substring(sql.indexOf(" FROM t") + 7);
            first = pick("sortkey", String.valueOf(cols.size()));
        }
        String order = " ORDER BY " + first + pick("", " DESC", " ASC") + pick("", "", " NULLS FIRST", " NULLS LAST")
                + ", id" + pick("", " DESC");
        String limit =
                r.nextBoolean() ? "" : " LIMIT " + r.nextInt(30) + (r.nextBoolean() ? "" : " OFFSET " + r.nextInt(20));
        String full = sql + order + limit;
        return new Generated(full, full, true, Set.of());
    }

    private Generated globalAggregate() {
        List<String[]> aggs = new ArrayList<>();
        int n = 1 + r.nextInt(5);
        for (int k = 0; k < n; k++) {
            aggs.add(aggregate());
        }
        if (r.nextInt(4) == 0) {
            aggs.add(new String[] {"count(*) * 2 + sum(i)", "count(*) * 2 + sum(i)"});
        }
        String having = r.nextInt(6) == 0 ? " HAVING count(*) > " + r.nextInt(2000) : "";
        return build(List.of(), aggs, having, false, "");
    }

    private Generated groupQuery() {
        List<String> keys = new ArrayList<>();
        int nk = 1 + (r.nextInt(3) == 0 ? 1 : 0);
        while (keys.size() < nk) {
            String k = groupKey();
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
        List<String[]> aggs = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            aggs.add(aggregate());
        }
        if (r.nextInt(4) == 0) {
            String e = pick("max(d) - min(d)", "sum(i) + count(*)", "count(*) * 2", "avg(d) / 2", "max(i) - min(l)");
            aggs.add(new String[] {e, e});
        }
        String having = r.nextInt(3) == 0
                ? " HAVING "
                        + pick(
                                "count(*) > " + r.nextInt(5),
                                "sum(i) > " + (r.nextInt(200) - 100),
                                "min(d) < " + (r.nextInt(1000) - 500),
                                "count(*) >= 2 AND max(i) > 0",
                                "count(DISTINCT s) > 1 OR max(l) IS NULL")
                : "";
        boolean ordered = r.nextBoolean();
        String order = "";
        if (ordered) {
            List<String> parts = new ArrayList<>();
            if (r.nextInt(3) == 0) {
                parts.add(
                        pick("count(*)", "sum(i)", "max(d)", "min(s)") + pick("", " DESC") + pick("", " NULLS FIRST"));
            }
            for (int k = 0; k < keys.size(); k++) {
                parts.add((k + 1) + pick("", " DESC") + pick("", " NULLS FIRST"));
            }
            order = " ORDER BY " + String.join(", ", parts)
                    + (r.nextBoolean()
                            ? " LIMIT " + (1 + r.nextInt(15)) + (r.nextBoolean() ? " OFFSET " + r.nextInt(5) : "")
                            : "");
        }
        return build(keys, aggs, having, ordered, order);
    }

    private Generated build(List<String> keys, List<String[]> aggs, String having, boolean ordered, String order) {
        List<String> river = new ArrayList<>(keys);
        List<String> duck = new ArrayList<>(keys);
        Set<Integer> approx = new HashSet<>();
        for (String[] a : aggs) {
            if (!a[0].equals(a[1])) {
                approx.add(river.size());
            }
            river.add(a[0]);
            duck.add(a[1]);
        }
        String where = where();
        String group = keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys);
        return new Generated(
                "SELECT " + String.join(", ", river) + " FROM t" + where + group + having + order,
                "SELECT " + String.join(", ", duck) + " FROM t" + where + group + having + order,
                ordered || keys.isEmpty(),
                approx);
    }

    private Generated distinctQuery() {
        List<String> cols = new ArrayList<>();
        int n = 1 + r.nextInt(2);
        while (cols.size() < n) {
            String c = groupKey();
            if (!cols.contains(c)) {
                cols.add(c);
            }
        }
        String sql = "SELECT DISTINCT " + String.join(", ", cols) + " FROM t" + where();
        return new Generated(sql, sql, false, Set.of());
    }

    // ---- pieces ----

    private String groupKey() {
        return pick(
                "s",
                "s",
                "f",
                "i",
                "b",
                "h",
                "late",
                "d",
                "date_trunc('minute', ts)",
                "date_trunc('hour', ts)",
                "date_trunc('day', ts)",
                "(i % 5)",
                "(id / 500)",
                "(i > 10)",
                "date_trunc('week', ts)",
                "date_trunc('second', ts)",
                "ts",
                "CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' END",
                "coalesce(s, 'none')",
                "coalesce(late, i)",
                "CAST(d AS INTEGER) % 7",
                "CAST(date_trunc('hour', ts) AS VARCHAR)",
                "lower(s)",
                "upper(s)",
                "length(s)",
                "substring(s, 1, 2)",
                "s || '!'",
                "regexp_replace(s, '[ae]', '_', 'g')",
                "extract(hour FROM ts)",
                "date_part('dow', ts)",
                "date_trunc('month', ts)",
                "(round(d, -2) + 0.0)",
                "abs(i % 7)",
                "floor(d / 100)",
                "nullif(i % 3, 0)",
                "starts_with(s, 'P')");
    }

    private String[] aggregate() {
        String col = pick("i", "l", "d", "s", "h", "f", "ts", "b", "late", "id");
        String num = pick("i", "l", "d", "late", "(i * 3)", "(d + i)", "(l % 1000)");
        switch (r.nextInt(10)) {
            case 0:
                return same("count(*)");
            case 1:
                return same("count(" + col + ")");
            case 2:
                return same("count(DISTINCT " + pick("i", "s", "h", "f", "b", "ts", "d", "late") + ")");
            case 3:
                return same("sum(" + num + ")");
            case 4:
                return same("min(" + col + ")");
            case 5:
                return same("max(" + col + ")");
            case 6:
                return same("avg(" + num + ")");
            case 7: {
                String c = pick("i", "s", "h", "l", "d", "ts", "id");
                return new String[] {"approx_count_distinct(" + c + ")", "count(DISTINCT " + c + ")"};
            }
            case 8:
                return same(pick("sum(DISTINCT i)", "avg(DISTINCT i)", "sum(DISTINCT d)"));
            default:
                return same(pick(
                        "sum(i) / count(*)",
                        "max(ts)",
                        "min(s)",
                        "count(f)",
                        "sum(CASE WHEN f THEN 1 ELSE 0 END)",
                        "count(CASE WHEN i > 0 THEN 1 END)",
                        "max(coalesce(late, 0))",
                        "avg(CASE WHEN s = 'Paris' THEN d END)"));
        }
    }

    private static String[] same(String s) {
        return new String[] {s, s};
    }

    private String projection() {
        return pick(
                "id",
                "i",
                "l",
                "d",
                "s",
                "h",
                "f",
                "ts",
                "b",
                "late",
                intTerm(),
                numTerm(),
                numTerm(),
                "date_trunc('hour', ts)",
                "(i > 5)",
                "(s = 'Paris')",
                "(f AND i > 0)",
                "(d IS NULL)",
                "CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero' END",
                "CASE WHEN f THEN d ELSE i END",
                "coalesce(late, i, -1)",
                "coalesce(s, h)",
                "CASE s WHEN 'Paris' THEN 1 WHEN 'Rome' THEN 2 END",
                "CASE WHEN d > 0 THEN l END",
                "CASE WHEN i <> 0 THEN 100 % i ELSE 0 END",
                "CAST(i AS BIGINT)",
                "CAST(d AS INTEGER)",
                "CAST(i AS VARCHAR)",
                "CAST(ts AS VARCHAR)",
                "CAST(f AS INTEGER)",
                "i::DOUBLE",
                "CAST(l AS DOUBLE) / 3",
                "CAST((s = 'Paris') AS INTEGER)",
                "CAST(i AS BOOLEAN)",
                "abs(i)",
                "abs(d)",
                "round(d, 1)",
                "round(i, -1)",
                "floor(d)",
                "ceil(d)",
                "nullif(i, 0)",
                "length(h)",
                "strlen(h)",
                "lower(h)",
                "upper(s)",
                "substring(h, 2, 3)",
                "substr(s, -2)",
                "concat(s, '-', i)",
                "s || h",
                "replace(h, 'a', 'b')",
                "trim(h)",
                "rtrim(s, 's')",
                "regexp_replace(h, '([a-z])([0-9])', '\\2\\1')",
                "extract(minute FROM ts)",
                "date_part('doy', ts)",
                "extract(epoch FROM ts)",
                "date_trunc('quarter', ts)",
                "ts + INTERVAL 1 MONTH",
                "ts - INTERVAL '90 minutes'");
    }

    private String orderable() {
        return pick("i", "l", "d", "s", "h", "f", "ts", "late", numTerm(), "date_trunc('day', ts)");
    }

    private String intTerm() {
        return pick(
                "i",
                "id",
                "late",
                "l",
                "(i + 3)",
                "(i * 7)",
                "(i - id)",
                "(i % 4)",
                "(-i)",
                "(l - i)",
                "(l % 1000)",
                "(id * 2 + 1)",
                "(i * i)",
                "(l + 2147483647)");
    }

    private String numTerm() {
        return r.nextBoolean()
                ? intTerm()
                : pick(
                        "d",
                        "(d * 2.5)",
                        "(d + i)",
                        "(i / 3)",
                        "(l / 1000)",
                        "(d - 1.25)",
                        "(id / 7)",
                        "(i / d)",
                        "(d % 3)",
                        "(-d)",
                        "(i * 0.5)");
    }

    private String predicate(int depth) {
        if (depth > 0 && r.nextInt(3) == 0) {
            switch (r.nextInt(3)) {
                case 0:
                    return "(" + predicate(depth - 1) + " AND " + predicate(depth - 1) + ")";
                case 1:
                    return "(" + predicate(depth - 1) + " OR " + predicate(depth - 1) + ")";
                default:
                    return "NOT (" + predicate(depth - 1) + ")";
            }
        }
        String op = pick("=", "<>", "<", "<=", ">", ">=", "!=");
        switch (r.nextInt(16)) {
            case 0:
                return "i " + op + " " + data.sampleInt(r);
            case 1:
                return "l " + op + " " + data.sampleLong(r);
            case 2:
                return "d " + op + " " + data.sampleDouble(r);
            case 3:
                return "s " + op + " '" + data.sampleString(r) + "'";
            case 4:
                return "h " + op + " '" + data.sampleHigh(r) + "'";
            case 5:
                return "ts " + op + " " + pick("'", "TIMESTAMP '") + data.sampleTimestamp(r) + "'";
            case 6:
                return pick("i", "s", "l", "id").equals("s")
                        ? "s " + pick("", "NOT ") + "IN ('" + data.sampleString(r) + "', '" + data.sampleString(r) + "'"
                                + pick("", ", NULL") + ")"
                        : "i " + pick("", "NOT ") + "IN (" + data.sampleInt(r) + ", " + data.sampleInt(r) + ", "
                                + data.sampleInt(r) + pick("", ", NULL") + ")";
            case 7:
                return pick("i", "d", "id", "late") + " " + pick("", "NOT ") + "BETWEEN " + (r.nextInt(100) - 50)
                        + " AND " + (r.nextInt(300) - 20);
            case 8:
                return pick("s", "h") + " " + pick("", "NOT ") + "LIKE '" + data.likePattern(r) + "'";
            case 9:
                return pick("i", "l", "d", "s", "h", "f", "ts", "b", "late") + " IS " + pick("", "NOT ") + "NULL";
            case 10:
                return pick("f", "NOT f", "f = true", "f <> false", "f IS NOT NULL AND f");
            case 11:
                return numTerm() + " " + op + " " + numTerm();
            case 12:
                return "late " + op + " " + (r.nextInt(100) - 50);
            case 13:
                return r.nextBoolean()
                        ? "id " + op + " " + r.nextInt(data.size())
                        : pick(
                                "coalesce(late, 0) > 5",
                                "CASE WHEN f THEN i > 0 ELSE d < 0 END",
                                "coalesce(s, h) LIKE 'P%'",
                                "CASE WHEN s IS NULL THEN NULL ELSE i END " + op + " 3",
                                "CAST(d AS INTEGER) " + op + " i",
                                "CAST(ts AS VARCHAR) LIKE '2024-01-0%'",
                                "CAST(i AS VARCHAR) = '" + data.sampleInt(r) + "'",
                                "lower(s) = 'paris'",
                                "upper(s) IN ('ROME', 'B')",
                                "length(s) > 3",
                                "starts_with(s, 'B')",
                                "contains(h, 'a')",
                                "regexp_matches(s, 'r[io]')",
                                "NOT regexp_matches(h, '^[a-z]', 'i')",
                                "substring(s, 2, 2) = 'ar'",
                                "s || 'x' LIKE 'P%x'",
                                "extract(hour FROM ts) < 12",
                                "date_trunc('month', ts) = TIMESTAMP '2024-01-01 00:00:00'",
                                "round(d, -1) > 0",
                                "abs(i) < 20",
                                "ts > TIMESTAMP '2024-01-01 06:00:00' + INTERVAL '1 hour'");
            case 14:
                return "ts BETWEEN '" + data.sampleTimestamp(r) + "' AND '" + data.sampleTimestamp(r) + "'";
            default:
                return "s " + op + " h";
        }
    }
}
