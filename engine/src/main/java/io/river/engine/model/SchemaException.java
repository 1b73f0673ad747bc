package io.river.engine.model;

/**
 * A row that cannot be stored in its table as it is: a value whose type cannot widen into the
 * column's type, or a type River does not know. A record error, never an engine fault.
 */
public class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String column;

    public SchemaException(String message) {
        this(message, null);
    }

    /** A refusal about one column (the field of the row, or the system column it breaks). */
    public SchemaException(String message, String column) {
        super(message);
        this.column = column;
    }

    /** The column the refusal is about, or null when it is about the row as a whole. */
    public String column() {
        return column;
    }
}
