package io.river.engine.sql;

/**
 * A statement River refuses because of the statement or the data it names; nothing was changed.
 * {@link #code()} is one of {@link #TABLE_EXISTS} (the HTTP layer answers 409), {@link #BAD_VALUE}
 * and {@link #NOT_NULL} (a value of an INSERT that cannot be stored: {@link #row()} and
 * {@link #column()} name it; 400). Errors of the statement itself (syntax, unknown table or column,
 * unsupported clause) are {@link io.river.engine.query.QueryException}s instead. Immutable.
 */
public final class StatementException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String TABLE_EXISTS = "table_exists";
    public static final String BAD_VALUE = "bad_value";
    public static final String NOT_NULL = "not_null_violation";

    private final String code;
    private final long row;
    private final String column;

    public StatementException(String code, String message) {
        this(code, message, 0, null);
    }

    public StatementException(String code, String message, long row, String column) {
        super(message);
        this.code = code;
        this.row = row;
        this.column = column;
    }

    public String code() {
        return code;
    }

    /** The 1-based row of the VALUES list at fault, or 0. */
    public long row() {
        return row;
    }

    /** The column at fault, or null. */
    public String column() {
        return column;
    }

    /** True when the statement conflicts with what exists (a 409 rather than a 400). */
    public boolean isConflict() {
        return TABLE_EXISTS.equals(code);
    }
}
