package io.river.engine.query;

import io.river.engine.model.ColumnType;

/**
 * One column of a query result: its output name (the alias, the column name, or the expression
 * text) and its River type. {@link #sqlType()} gives the SQL name DuckDB would print. Immutable.
 */
public record ResultColumn(String name, ColumnType type) {

    /** BOOLEAN, INTEGER, BIGINT, DOUBLE, VARCHAR, BLOB or TIMESTAMP. */
    public String sqlType() {
        return SqlTypes.sqlName(type);
    }
}
