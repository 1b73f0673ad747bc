package io.river.connect;

import io.river.engine.model.Names;
import io.river.engine.model.SystemColumns;

/**
 * Turns a record's field name into a River column name. Characters outside {@code [A-Za-z0-9_]}
 * become {@code '_'} ({@link Names#sanitize}, the same rule as for topic names), so a field
 * {@code user-id} is stored as column {@code user_id}; two fields that sanitize to the same name
 * in one record keep the last value. A field named like a system column ({@code _key},
 * {@code _topic}, ..., {@code _pk}, {@code _deleted}) is a record error: River fills those
 * itself and never lets a record overwrite them. Stateless.
 */
final class ColumnNames {
    private ColumnNames() {}

    static String of(String field) throws RecordException {
        String name = Names.isValid(field) ? field : Names.sanitize(field);
        if (name.charAt(0) == '_' && SystemColumns.isSystem(name)) {
            throw new RecordException("field '" + field + "' collides with River's system column '" + name + "'");
        }
        return name;
    }
}
