package io.river.engine.model;

/** A table that was to be created already exists; nothing was changed. */
public class TableExistsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String table;

    public TableExistsException(String table) {
        super("table '" + table + "' already exists");
        this.table = table;
    }

    public String table() {
        return table;
    }
}
