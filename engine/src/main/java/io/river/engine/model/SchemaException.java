package io.river.engine.model;

/**
 * A row that cannot be stored in its table as it is: a value whose type cannot widen into the
 * column's type, or a type River does not know. A record error, never an engine fault.
 */
public class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
        super(message);
    }
}
