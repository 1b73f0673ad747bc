package io.river.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A table as {@code CREATE TABLE} declares it: name, mode (UPSERT when it has a key column,
 * APPEND otherwise), its user columns with their types (they exist from the start, after the
 * system columns), its {@link TableConstraints} and its {@link TableRetention} (a declared retention
 * column must be one of its TIMESTAMP or DATE columns). Immutable.
 */
public record TableDefinition(
        String name, List<Column> columns, TableConstraints constraints, TableRetention retention) {
    public TableDefinition(String name, List<Column> columns, TableConstraints constraints) {
        this(name, columns, constraints, TableRetention.NONE);
    }

    public TableDefinition {
        Names.checkTable(name);
        columns = List.copyOf(columns);
        retention = retention == null ? TableRetention.NONE : retention;
        retention.checkColumn(columns);
        for (Column c : columns) {
            if (SystemColumns.isSystem(c.name())) {
                throw new SchemaException(
                        "column '" + c.name() + "' is a system column and cannot be declared", c.name());
            }
        }
    }

    public TableMode mode() {
        return constraints.keyColumn() == null ? TableMode.APPEND : TableMode.UPSERT;
    }

    /** The first schema of the table: the system columns, then the declared ones in order. */
    public TableSchema schema() {
        List<Column> all = new ArrayList<>(SystemColumns.ALL);
        all.addAll(columns);
        return new TableSchema(1, all);
    }
}
