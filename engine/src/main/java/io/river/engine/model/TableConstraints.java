package io.river.engine.model;

import java.util.List;

/**
 * What a table declared with {@code CREATE TABLE} promises about its rows, kept in the manifest:
 * the key column (an upsert table's {@code PRIMARY KEY}, whose value is every row's primary key and
 * {@code _key}; null for none) and the columns that are NOT NULL (the key column among them). Every
 * write checks the NOT NULL columns (a row lacking one, or holding NULL in one, is refused).
 * Tables created without a declaration have {@link #NONE}. Immutable.
 */
public record TableConstraints(String keyColumn, List<String> notNull) {
    /** No key column, nothing NOT NULL. */
    public static final TableConstraints NONE = new TableConstraints(null, List.of());

    public TableConstraints {
        notNull = notNull == null ? List.of() : List.copyOf(notNull);
        if (keyColumn != null && !notNull.contains(keyColumn)) {
            throw new IllegalArgumentException("key column '" + keyColumn + "' must be NOT NULL");
        }
    }

    /** The constraints as the manifest stored them (either part may be absent in older manifests). */
    public static TableConstraints of(String keyColumn, List<String> notNull) {
        if (keyColumn == null && (notNull == null || notNull.isEmpty())) {
            return NONE;
        }
        return new TableConstraints(keyColumn, notNull);
    }

    /** True when a row (not a tombstone) must hold a non-null value for {@code column}. */
    public boolean isNotNull(String column) {
        return notNull.contains(column);
    }

    /** The first NOT NULL column the row lacks or holds NULL in, or null when the row satisfies all. */
    public String firstMissing(Row row) {
        if (row.isTombstone()) {
            return null;
        }
        for (String c : notNull) {
            if (row.values().get(c) == null) {
                return c;
            }
        }
        return null;
    }
}
