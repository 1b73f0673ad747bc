package io.river.engine.query;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns a query reads FROM: a stored table's, or those a subquery, CTE or UNION ALL
 * produces (whose names, unlike a table's, may be any text, such as {@code count(*)}, and may
 * repeat). Lookup by exact name finds the first column of that name. Immutable.
 */
final class RelationSchema {
    /** One column of the relation. */
    record SourceColumn(String name, ColumnType type) {}

    private final List<SourceColumn> columns;

    RelationSchema(List<SourceColumn> columns) {
        this.columns = List.copyOf(columns);
    }

    static RelationSchema of(TableSchema schema) {
        List<SourceColumn> out = new ArrayList<>();
        for (Column c : schema.columns()) {
            out.add(new SourceColumn(c.name(), c.type()));
        }
        return new RelationSchema(out);
    }

    List<SourceColumn> columns() {
        return columns;
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
