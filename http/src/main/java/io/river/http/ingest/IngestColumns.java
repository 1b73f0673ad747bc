package io.river.http.ingest;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Names;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;

/**
 * Which body columns are accepted and what type each must have. A column name must be valid ({@link
 * Names#isValid}); {@code _pk} is refused (River derives it); every other system column is accepted like a user
 * column; {@code _deleted} is the delete marker and always BOOLEAN, whether or not the schema has it. Stateless.
 */
final class IngestColumns {
    private IngestColumns() {}

    /** Why {@code name} cannot be a body column, or null when it can. */
    static String refusal(String name) {
        if (SystemColumns.PK.equals(name)) {
            return "'_pk' is River's internal key and cannot be written";
        }
        if (!Names.isValid(name)) {
            return Texts.quote(name) + " is not a valid column name ([A-Za-z_][A-Za-z0-9_]{0,127})";
        }
        return null;
    }

    /** The type a value of {@code name} must be converted to, or null when the column is new to the schema. */
    static ColumnType target(TableSchema schema, String name) {
        if (SystemColumns.DELETED.equals(name)) {
            return ColumnType.BOOLEAN;
        }
        Column column = schema.column(name);
        return column == null ? null : column.type();
    }
}
