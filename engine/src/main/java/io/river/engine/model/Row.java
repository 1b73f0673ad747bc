package io.river.engine.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a row: its primary key ({@code _pk}), column values by name (Java types as in
 * {@link ColumnType}; a missing column is NULL) and whether it is a tombstone (a delete, with no
 * values). Immutable once built; the value map is not copied defensively by {@link #of}, so
 * callers hand over ownership.
 */
public final class Row {
    private final String pk;
    private final boolean tombstone;
    private final Map<String, Object> values;

    private Row(String pk, boolean tombstone, Map<String, Object> values) {
        this.pk = Objects.requireNonNull(pk, "pk");
        this.tombstone = tombstone;
        this.values = values;
    }

    /** A live row; the map is taken over, not copied. */
    public static Row of(String pk, Map<String, Object> values) {
        return new Row(pk, false, Collections.unmodifiableMap(values));
    }

    /** A delete marker for this key. */
    public static Row tombstone(String pk) {
        return new Row(pk, true, Collections.emptyMap());
    }

    public String pk() {
        return pk;
    }

    public boolean isTombstone() {
        return tombstone;
    }

    public Map<String, Object> values() {
        return values;
    }

    public Object get(String column) {
        return values.get(column);
    }

    /** A builder for tests and converters. */
    public static Builder builder(String pk) {
        return new Builder(pk);
    }

    /** Collects values in insertion order. Not thread-safe. */
    public static final class Builder {
        private final String pk;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(String pk) {
            this.pk = pk;
        }

        public Builder set(String column, Object value) {
            values.put(column, value);
            return this;
        }

        public Row build() {
            return Row.of(pk, values);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Row)) {
            return false;
        }
        Row other = (Row) o;
        if (!pk.equals(other.pk) || tombstone != other.tombstone) {
            return false;
        }
        // Missing and null are the same; byte[] compares by content.
        for (String k : union(other)) {
            Object a = values.get(k);
            Object b = other.values.get(k);
            if (a instanceof byte[] && b instanceof byte[]) {
                if (!Arrays.equals((byte[]) a, (byte[]) b)) {
                    return false;
                }
            } else if (!Objects.equals(a, b)) {
                return false;
            }
        }
        return true;
    }

    private java.util.Set<String> union(Row other) {
        java.util.Set<String> keys = new java.util.HashSet<>(values.keySet());
        keys.addAll(other.values.keySet());
        return keys;
    }

    @Override
    public int hashCode() {
        return pk.hashCode() * 31 + (tombstone ? 1 : 0);
    }

    @Override
    public String toString() {
        return tombstone ? "Row{" + pk + " DELETED}" : "Row{" + pk + " " + values + "}";
    }
}
