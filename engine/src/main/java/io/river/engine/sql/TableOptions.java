package io.river.engine.sql;

import io.river.engine.model.TableRetention;
import io.river.engine.query.QueryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table options River knows, as {@code CREATE TABLE ... WITH (...)}, {@code ALTER TABLE ... SET
 * (...)} and {@code ALTER TABLE ... RESET (...)} write them (PostgreSQL's storage-parameter syntax):
 * {@code retention} (an interval, {@link TableRetention#parseInterval}: {@code '7 days'}, {@code
 * '12 hours'}, or milliseconds; 0 keeps rows forever whatever the engine's setting) and {@code
 * retention_column} (a TIMESTAMP or DATE column; rows are aged by ingestion time without it). Parsing
 * in three steps: (1) the text inside the parentheses is split at commas outside quotes, (2) each
 * item is {@code name = value} (SET, WITH) or {@code name} (RESET), a value being a single-quoted
 * string ({@code ''} for a quote) or a bare word or number, (3) names are checked against the known
 * options and values converted. Errors are {@link QueryException}s naming the option and value.
 * Stateless.
 */
final class TableOptions {
    static final String RETENTION = "retention";
    static final String RETENTION_COLUMN = "retention_column";
    private static final List<String> KNOWN = List.of(RETENTION, RETENTION_COLUMN);

    private TableOptions() {}

    /** The retention that {@code WITH (...)} or {@code SET (...)} gives, starting from {@code base}. */
    static TableRetention set(String parenthesized, TableRetention base) {
        TableRetention out = base;
        for (Map.Entry<String, String> e : assignments(parenthesized).entrySet()) {
            if (e.getKey().equals(RETENTION)) {
                out = out.withMillis(interval(e.getValue()));
            } else {
                out = out.withColumn(SqlNames.unquote(e.getValue()));
            }
        }
        return out;
    }

    /** The retention after {@code RESET (...)}: each named option back to none. */
    static TableRetention reset(String parenthesized, TableRetention base) {
        TableRetention out = base;
        for (String item : items(parenthesized)) {
            String name = known(item.trim());
            out = name.equals(RETENTION) ? out.withMillis(null) : out.withColumn(null);
        }
        return out;
    }

    private static long interval(String value) {
        try {
            return TableRetention.parseInterval(value);
        } catch (IllegalArgumentException e) {
            throw new QueryException(QueryException.INVALID_QUERY, "option " + RETENTION + ": " + e.getMessage());
        }
    }

    private static Map<String, String> assignments(String parenthesized) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items(parenthesized)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new QueryException(
                        QueryException.SYNTAX_ERROR, "table option '" + item.trim() + "' needs a value (name = value)");
            }
            String name = known(item.substring(0, eq).trim());
            if (out.put(name, value(item.substring(eq + 1).trim(), name)) != null) {
                throw new QueryException(QueryException.INVALID_QUERY, "table option '" + name + "' is given twice");
            }
        }
        return out;
    }

    private static String known(String written) {
        String name = written.toLowerCase(Locale.ROOT);
        if (!KNOWN.contains(name)) {
            throw new QueryException(
                    QueryException.UNSUPPORTED,
                    "table option '" + written + "' is not supported (" + String.join(", ", KNOWN) + " are)");
        }
        return name;
    }

    private static String value(String written, String name) {
        if (written.length() >= 2 && written.startsWith("'") && written.endsWith("'")) {
            return written.substring(1, written.length() - 1).replace("''", "'");
        }
        if (written.isEmpty() || !written.matches("[A-Za-z0-9_\"]+")) {
            throw new QueryException(
                    QueryException.INVALID_QUERY,
                    "option " + name + ": '" + written + "' is not a value (write a quoted string or a number)");
        }
        return written;
    }

    /** The comma-separated items inside {@code ( ... )}, commas in quotes kept. */
    private static List<String> items(String parenthesized) {
        String s = parenthesized.trim();
        if (!s.startsWith("(") || !s.endsWith(")")) {
            throw new QueryException(
                    QueryException.SYNTAX_ERROR, "table options go in parentheses: (" + RETENTION + " = '7 days')");
        }
        String body = s.substring(1, s.length() - 1);
        List<String> out = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(item.toString());
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        out.add(item.toString());
        if (out.stream().anyMatch(x -> x.isBlank())) {
            throw new QueryException(QueryException.SYNTAX_ERROR, "empty table option in " + parenthesized);
        }
        return out;
    }
}
