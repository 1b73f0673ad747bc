package io.river.engine.query;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns a query reads FROM: a stored table's, or those a subquery, CTE or UNION ALL
 * produces (whose names, unlike a table's, may be any text, such as {@code count(*)}, and may
 * repeat). Lookup by exact name finds the first column of that name. A stored table's system columns
 * ({@code _pk}, {@code _key}, {@code _topic}, ...) are hidden from {@code SELECT *}, as the virtual
 * columns of ClickHouse's Kafka tables are, but can be named. Immutable.
 */
final class RelationSchema {
    /** One column of the relation. */
    record SourceColumn(String name, ColumnType type) {}

    private final List<SourceColumn> columns;
    private final boolean stored;

    RelationSchema(List<SourceColumn> columns) {
        this(columns, false);
    }

    private RelationSchema(List<SourceColumn> columns, boolean stored) {
        this.columns = List.copyOf(columns);
        this.stored = stored;
    }

    static RelationSchema of(TableSchema schema) {
        List<SourceColumn> out = new ArrayList<>();
        for (Column c : schema.columns()) {
            out.add(new SourceColumn(c.name(), c.type()));
        }
        return new RelationSchema(out, true);
    }

    List<SourceColumn> columns() {
        return columns;
    }

    /**
     * The columns {@code SELECT *} expands to: every column of a subquery, CTE or UNION ALL; a stored
     * table's columns without its system columns (all of them when the table has no other).
     */
    List<SourceColumn> starColumns() {
        if (!stored) {
            return columns;
        }
        List<SourceColumn> out = new ArrayList<>();
        for (SourceColumn c : columns) {
            if (!SystemColumns.isSystem(c.name())) {
                out.add(c);
            }
        }
        return out.isEmpty() ? columns : out;
    }

    /** The first column named exactly {@code name}, or null. */
    SourceColumn column(String name) {
        int i = indexOf(name);
        return i < 0 ? null : columns.get(i);
    }

    /** The position of the first column named exactly {@code name}, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
