package io.river.engine.sql;

import io.river.engine.model.ColumnType;
import io.river.engine.query.QueryException;
import io.river.engine.query.SqlTypes;
import java.util.Locale;

/**
 * The SQL type names {@code CREATE TABLE} accepts and the names {@code DESCRIBE} prints (DuckDB's).
 * Accepted: BOOLEAN/BOOL; TINYINT, SMALLINT, INTEGER, INT, INT4 (all stored as INT32); BIGINT, INT8
 * (INT64); REAL, FLOAT, FLOAT4, FLOAT8, DOUBLE, DOUBLE PRECISION (all stored as FLOAT64); VARCHAR,
 * TEXT, STRING, CHAR (STRING; a length is ignored); BLOB, BYTEA (BYTES); TIMESTAMP (millisecond
 * precision, UTC); DATE. Stateless.
 */
final class SqlColumnTypes {
    private SqlColumnTypes() {}

    /** The River type for a declared SQL type name; {@code unsupported} for any other. */
    static ColumnType parse(String sqlType, String column) {
        String t = sqlType.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        switch (t) {
            case "BOOLEAN":
            case "BOOL":
                return ColumnType.BOOLEAN;
            case "TINYINT":
            case "SMALLINT":
            case "INTEGER":
            case "INT":
            case "INT4":
            case "INT2":
            case "INT1":
                return ColumnType.INT32;
            case "BIGINT":
            case "INT8":
            case "LONG":
                return ColumnType.INT64;
            case "REAL":
            case "FLOAT":
            case "FLOAT4":
            case "FLOAT8":
            case "DOUBLE":
            case "DOUBLE PRECISION":
                return ColumnType.FLOAT64;
            case "VARCHAR":
            case "TEXT":
            case "STRING":
            case "CHAR":
            case "CHARACTER VARYING":
                return ColumnType.STRING;
            case "BLOB":
            case "BYTEA":
            case "VARBINARY":
                return ColumnType.BYTES;
            case "TIMESTAMP":
            case "DATETIME":
                return ColumnType.TIMESTAMP;
            case "DATE":
                return ColumnType.DATE;
            default:
                throw new QueryException(
                        QueryException.UNSUPPORTED,
                        "column '" + column + "' has type " + sqlType
                                + ", which River does not store (BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, "
                                + "DOUBLE, VARCHAR, BLOB, TIMESTAMP or DATE)");
        }
    }

    /** DuckDB's name of a River type (the query engine's, so DESCRIBE and result columns agree). */
    static String name(ColumnType type) {
        return SqlTypes.sqlName(type);
    }
}
