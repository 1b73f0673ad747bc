package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.time.Instant;
import java.time.LocalDate;

/** SQL names and type classes of River's column types, as the binder and results use them. Stateless. */
public final class SqlTypes {
    private SqlTypes() {}

    /** DuckDB's name of a River type: BOOLEAN, INTEGER, BIGINT, DOUBLE, VARCHAR, BLOB, TIMESTAMP, DATE. */
    public static String sqlName(ColumnType type) {
        switch (type) {
            case BOOLEAN:
                return "BOOLEAN";
            case INT32:
                return "INTEGER";
            case INT64:
                return "BIGINT";
            case FLOAT64:
                return "DOUBLE";
            case STRING:
                return "VARCHAR";
            case BYTES:
                return "BLOB";
            case TIMESTAMP:
                return "TIMESTAMP";
            case DATE:
                return "DATE";
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    /** True for the types held in a long per value: INT32, INT64, TIMESTAMP (epoch millis), DATE (epoch days). */
    static boolean isLong(ColumnType type) {
        return type == ColumnType.INT32
                || type == ColumnType.INT64
                || type == ColumnType.TIMESTAMP
                || type == ColumnType.DATE;
    }

    /** A long-typed value (Number, Instant as epoch millis, LocalDate as epoch days) as its long. */
    static long asLong(Object value) {
        if (value instanceof Instant) {
            return ((Instant) value).toEpochMilli();
        }
        if (value instanceof LocalDate) {
            return ((LocalDate) value).toEpochDay();
        }
        return ((Number) value).longValue();
    }

    static boolean isBytes(ColumnType type) {
        return type == ColumnType.STRING || type == ColumnType.BYTES;
    }

    static boolean isInteger(ColumnType type) {
        return type == ColumnType.INT32 || type == ColumnType.INT64;
    }
}
