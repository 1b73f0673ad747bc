package io.river.engine.model;

/**
 * A write batch refused because one of its rows cannot be stored; nothing of the batch was
 * written. {@link #index()} is the position of the first bad mutation, so a caller can set that
 * record aside (dead letter queue) and retry the rest.
 */
public class RowRejectedException extends SchemaException {
    private static final long serialVersionUID = 1L;
    private final int index;

    public RowRejectedException(int index, String message) {
        this(index, message, null);
    }

    public RowRejectedException(int index, String message, String column) {
        super(message, column);
        this.index = index;
    }

    public int index() {
        return index;
    }
}
