package io.river.engine.query;

/**
 * Refuses SQL whose shape would make parsing or planning blow up before the parser sees it: more
 * than {@value #MAX_NESTING} levels of parentheses, more than {@value #MAX_BOOLEAN_TERMS} AND/OR
 * operators (long lists belong in {@code IN (...)}), or more than {@value #MAX_LENGTH} characters.
 * The scan skips string literals, quoted identifiers and comments. Both limits are far above what
 * people write and far below what recursion-based parsing survives. Stateless.
 */
final class SqlShapeGuard {
    static final int MAX_NESTING = 128;
    static final int MAX_BOOLEAN_TERMS = 2048;
    static final int MAX_LENGTH = 1 << 20;

    private SqlShapeGuard() {}

    /** Throws {@code invalid_query} (with the position where a limit is crossed) when a limit is exceeded. */
    static void check(String sql) {
        if (sql.length() > MAX_LENGTH) {
            throw new QueryException(
                    QueryException.INVALID_QUERY,
                    "the query has " + sql.length() + " characters; the limit is " + MAX_LENGTH);
        }
        int depth = 0;
        int booleans = 0;
        int line = 1;
        int lineStart = 0;
        int n = sql.length();
        for (int k = 0; k < n; k++) {
            char c = sql.charAt(k);
            if (c == '\n') {
                line++;
                lineStart = k + 1;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = closingQuote(sql, k, c);
                for (int j = k + 1; j < end && j < n; j++) {
                    if (sql.charAt(j) == '\n') {
                        line++;
                        lineStart = j + 1;
                    }
                }
                k = end;
            } else if (c == '-' && k + 1 < n && sql.charAt(k + 1) == '-') {
                while (k + 1 < n && sql.charAt(k + 1) != '\n') {
                    k++;
                }
            } else if (c == '/' && k + 1 < n && sql.charAt(k + 1) == '*') {
                int end = sql.indexOf("*/", k + 2);
                end = end < 0 ? n : end + 1;
                for (int j = k; j < end; j++) {
                    if (sql.charAt(j) == '\n') {
                        line++;
                        lineStart = j + 1;
                    }
                }
                k = end;
            } else if (c == '(') {
                if (++depth > MAX_NESTING) {
                    throw new QueryException(
                            QueryException.INVALID_QUERY,
                            "the query nests parentheses more than " + MAX_NESTING + " levels deep",
                            line,
                            k - lineStart + 1);
                }
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (isBooleanWord(sql, k)) {
                if (++booleans > MAX_BOOLEAN_TERMS) {
                    throw new QueryException(
                            QueryException.INVALID_QUERY,
                            "the query has more than " + MAX_BOOLEAN_TERMS
                                    + " AND/OR operators; write long lists of values as x IN (a, b, ...)",
                            line,
                            k - lineStart + 1);
                }
                k++;
            }
        }
    }

    /** The index of the quote closing the one at {@code start} (doubled quotes escape), or the end. */
    private static int closingQuote(String sql, int start, char quote) {
        int k = start + 1;
        while (k < sql.length()) {
            if (sql.charAt(k) == quote) {
                if (k + 1 < sql.length() && sql.charAt(k + 1) == quote) {
                    k += 2;
                    continue;
                }
                return k;
            }
            k++;
        }
        return sql.length();
    }

    /** True at the start of a standalone word AND or OR (any case). */
    private static boolean isBooleanWord(String sql, int k) {
        if (k > 0 && isWordChar(sql.charAt(k - 1))) {
            return false;
        }
        int len = sql.regionMatches(true, k, "or", 0, 2) ? 2 : sql.regionMatches(true, k, "and", 0, 3) ? 3 : 0;
        return len > 0 && (k + len == sql.length() || !isWordChar(sql.charAt(k + len)));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
