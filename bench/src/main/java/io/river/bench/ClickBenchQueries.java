package io.river.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ClickBench's 43 queries, verbatim: the resource {@code clickbench/queries.sql} is the file
 * {@code duckdb/queries.sql} of ClickHouse/ClickBench (https://github.com/ClickHouse/ClickBench,
 * Apache License 2.0), one query a line. Also what the answer judge needs to know of a query's
 * shape: its ORDER BY keys as output columns, its LIMIT and OFFSET. Stateless.
 */
public final class ClickBenchQueries {
    private static final Pattern LIMIT = Pattern.compile("\\s+LIMIT\\s+(\\d+)(?:\\s+OFFSET\\s+(\\d+))?\\s*;?\\s*$");
    private static final Pattern ORDER_BY = Pattern.compile("\\s+ORDER\\s+BY\\s+(.*?)(?:\\s+LIMIT\\s+.*)?;?\\s*$");

    private ClickBenchQueries() {}

    /** The 43 queries, in ClickBench's order, without their trailing semicolons. */
    public static List<String> all() {
        try (InputStream in = ClickBenchQueries.class.getResourceAsStream("/clickbench/queries.sql")) {
            if (in == null) {
                throw new IllegalStateException("resource clickbench/queries.sql is missing");
            }
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String q = line.strip();
                if (!q.isEmpty()) {
                    out.add(q.endsWith(";") ? q.substring(0, q.length() - 1) : q);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The query without its trailing {@code LIMIT n [OFFSET m]} (every row the limit chooses from). */
    static String withoutLimit(String sql) {
        return LIMIT.matcher(sql).replaceFirst("");
    }

    /**
     * What DuckDB answers to judge a limited or ordered answer by: the query without its LIMIT and,
     * when ORDER BY keys are not output columns ({@link #orderKeys} null), with those keys appended
     * to the select list (so the judge sees every row's key); the query itself when neither applies.
     */
    static String wholeQuery(String sql) {
        String whole = withoutLimit(sql);
        if (orderKeys(sql, List.of()) != null || sql.matches("(?is)^\\s*SELECT\\s+\\*\\s.*")) {
            return whole;
        }
        Matcher m = ORDER_BY.matcher(sql);
        m.find();
        List<String> keys = new ArrayList<>();
        for (String k : splitTopLevel(m.group(1))) {
            keys.add(k.replaceAll("(?i)\\s+(ASC|DESC)$", ""));
        }
        int from = fromPosition(whole);
        return whole.substring(0, from) + ", " + String.join(", ", keys) + whole.substring(from);
    }

    /** How many ORDER BY keys a query has. */
    static int orderKeyCount(String sql) {
        Matcher m = ORDER_BY.matcher(sql);
        return m.find() ? splitTopLevel(m.group(1)).size() : 0;
    }

    /** The LIMIT of a query; -1 without one. */
    static int limit(String sql) {
        Matcher m = LIMIT.matcher(sql);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The OFFSET of a query; 0 without one. */
    static int offset(String sql) {
        Matcher m = LIMIT.matcher(sql);
        return m.find() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 0;
    }

    /**
     * The output columns (0-based) the ORDER BY keys are, in order; empty without ORDER BY; null when
     * a key is not an output column (then ties cannot be told apart from errors, and the judge
     * compares rows in order). A key matches an output column by alias, by its expression's text,
     * or, for {@code SELECT *}, by column name.
     */
    static int[] orderKeys(String sql, List<String> starColumns) {
        Matcher m = ORDER_BY.matcher(sql);
        if (!m.find()) {
            return new int[0];
        }
        List<String> select = splitTopLevel(selectList(sql));
        List<String> keys = splitTopLevel(m.group(1));
        int[] out = new int[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            String key = normalize(keys.get(k).replaceAll("(?i)\\s+(ASC|DESC)$", ""));
            out[k] = outputColumn(key, select, starColumns);
            if (out[k] < 0) {
                return null;
            }
        }
        return out;
    }

    private static int outputColumn(String key, List<String> select, List<String> starColumns) {
        if (select.size() == 1 && select.get(0).equals("*")) {
            for (int c = 0; c < starColumns.size(); c++) {
                if (starColumns.get(c).equalsIgnoreCase(key)) {
                    return c;
                }
            }
            return -1;
        }
        for (int c = 0; c < select.size(); c++) {
            String item = normalize(select.get(c));
            String[] parts = item.split("(?i)\\s+AS\\s+");
            String expr = parts[0];
            String alias = parts.length > 1 ? parts[parts.length - 1] : null;
            if (key.equalsIgnoreCase(expr) || key.equalsIgnoreCase(alias)) {
                return c;
            }
        }
        return -1;
    }

    private static String selectList(String sql) {
        int start = sql.toUpperCase(Locale.ROOT).indexOf("SELECT") + "SELECT".length();
        return sql.substring(start, fromPosition(sql));
    }

    /** Where the top-level {@code FROM} of a query starts (at the space before it). */
    private static int fromPosition(String sql) {
        String upper = sql.toUpperCase(Locale.ROOT);
        int depth = 0;
        for (int i = upper.indexOf("SELECT"); i < sql.length(); i++) {
            char ch = sql.charAt(i);
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (depth == 0 && upper.startsWith(" FROM ", i)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no FROM in " + sql);
    }

    /** Splits at the commas outside parentheses and quotes. */
    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                out.add(text.substring(from, i).strip());
                from = i + 1;
            }
        }
        out.add(text.substring(from).strip());
        return out;
    }

    private static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }
}
