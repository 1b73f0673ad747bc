package io.river.engine.model;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The kinds of column a River table can hold, with the Java type a {@link Row} carries for each:
 * BOOLEAN=Boolean, INT32=Integer, INT64=Long, FLOAT64=Double, STRING=String, BYTES=byte[],
 * TIMESTAMP=Instant (millisecond precision, UTC), DATE=LocalDate (a calendar day, no time zone). The
 * numeric kinds widen INT32 → INT64 → FLOAT64; DATE widens to and from nothing.
 */
public enum ColumnType {
    BOOLEAN,
    INT32,
    INT64,
    FLOAT64,
    STRING,
    BYTES,
    TIMESTAMP,
    DATE;

    /** The column type of a Java value, or null for a value River cannot store. */
    public static ColumnType of(Object value) {
        if (value instanceof String) {
            return STRING;
        } else if (value instanceof Long) {
            return INT64;
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return INT32;
        } else if (value instanceof Double || value instanceof Float) {
            return FLOAT64;
        } else if (value instanceof Boolean) {
            return BOOLEAN;
        } else if (value instanceof Instant) {
            return TIMESTAMP;
        } else if (value instanceof LocalDate) {
            return DATE;
        } else if (value instanceof byte[]) {
            return BYTES;
        }
        return null;
    }

    public boolean isNumeric() {
        return this == INT32 || this == INT64 || this == FLOAT64;
    }

    /**
     * The type a column must have to hold both this type's values and {@code other}'s, or null when
     * no such type exists (a string into an integer column). Only numeric types widen.
     */
    public ColumnType widen(ColumnType other) {
        if (this == other) {
            return this;
        }
        if (isNumeric() && other.isNumeric()) {
            return ordinal() > other.ordinal() ? this : other;
        }
        return null;
    }

    /**
     * Converts a value of type {@code from} (already known to widen into this type) to this type's
     * Java representation. Returns null for null.
     */
    public Object coerce(Object value) {
        if (value == null) {
            return null;
        }
        switch (this) {
            case INT32:
                return ((Number) value).intValue();
            case INT64:
                return ((Number) value).longValue();
            case FLOAT64:
                return ((Number) value).doubleValue();
            default:
                return value;
        }
    }
}
