package io.river.engine.query;

/**
 * A query River cannot answer because of the query itself (the HTTP layer turns it into a 400).
 * {@link #code()} is one of:
 * <ul>
 *   <li>{@code syntax_error} – the text does not parse (position of the offending token);</li>
 *   <li>{@code unknown_table}, {@code unknown_column} – a name that does not resolve;</li>
 *   <li>{@code unsupported} – valid SQL outside River's subset (JOIN, subquery, window, ...), named;</li>
 *   <li>{@code type_mismatch} – an operator or function applied to types it does not take;</li>
 *   <li>{@code invalid_query} – a semantic error (a column neither grouped nor aggregated, an
 *       aggregate in WHERE, a bad LIMIT, ...);</li>
 *   <li>{@code out_of_range} – a run-time error of the data: integer overflow, {@code %} by zero,
 *       a SUM that leaves BIGINT's range;</li>
 *   <li>{@code result_too_large} – the answer has more rows than the engine's limit (add LIMIT).</li>
 * </ul>
 * {@link #line()} and {@link #column()} are 1-based, or 0 when the position is unknown. Immutable.
 */
public final class QueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String SYNTAX_ERROR = "syntax_error";
    public static final String UNKNOWN_TABLE = "unknown_table";
    public static final String UNKNOWN_COLUMN = "unknown_column";
    public static final String UNSUPPORTED = "unsupported";
    public static final String TYPE_MISMATCH = "type_mismatch";
    public static final String INVALID_QUERY = "invalid_query";
    public static final String OUT_OF_RANGE = "out_of_range";
    public static final String RESULT_TOO_LARGE = "result_too_large";

    private final String code;
    private final String reason;
    private final int line;
    private final int column;

    public QueryException(String code, String reason) {
        this(code, reason, 0, 0);
    }

    public QueryException(String code, String reason, int line, int column) {
        super(line > 0 ? reason + " (line " + line + ", column " + column + ")" : reason);
        this.code = code;
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    public String code() {
        return code;
    }

    /** The message without the position suffix. */
    public String reason() {
        return reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** True when the position of the error in the SQL text is known. */
    public boolean hasPosition() {
        return line > 0;
    }
}
