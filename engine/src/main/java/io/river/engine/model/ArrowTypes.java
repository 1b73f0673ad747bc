package io.river.engine.model;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The one mapping between River column types and Arrow types, used by the memtable, segments and
 * the query executor alike: BOOLEAN=Bit, INT32=Int(32), INT64=Int(64), FLOAT64=FloatingPoint(DOUBLE),
 * STRING=Utf8, BYTES=Binary, TIMESTAMP=Timestamp(MILLISECOND, "UTC"), DATE=Date(DAY) (days since
 * 1970-01-01). Stateless.
 */
public final class ArrowTypes {
    private ArrowTypes() {}

    public static final ArrowType BOOL = ArrowType.Bool.INSTANCE;
    public static final ArrowType INT = new ArrowType.Int(32, true);
    public static final ArrowType BIGINT = new ArrowType.Int(64, true);
    public static final ArrowType DOUBLE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    public static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
    public static final ArrowType BINARY = ArrowType.Binary.INSTANCE;
    public static final ArrowType TIMESTAMP = new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");
    public static final ArrowType DATE = new ArrowType.Date(DateUnit.DAY);

    public static ArrowType toArrow(ColumnType type) {
        switch (type) {
            case BOOLEAN:
                return BOOL;
            case INT32:
                return INT;
            case INT64:
                return BIGINT;
            case FLOAT64:
                return DOUBLE;
            case STRING:
                return UTF8;
            case BYTES:
                return BINARY;
            case TIMESTAMP:
                return TIMESTAMP;
            case DATE:
                return DATE;
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    /** The River type of an Arrow type, or null if River does not use it. */
    public static ColumnType fromArrow(ArrowType type) {
        if (type instanceof ArrowType.Bool) {
            return ColumnType.BOOLEAN;
        } else if (type instanceof ArrowType.Int) {
            return ((ArrowType.Int) type).getBitWidth() == 64 ? ColumnType.INT64 : ColumnType.INT32;
        } else if (type instanceof ArrowType.FloatingPoint) {
            return ColumnType.FLOAT64;
        } else if (type instanceof ArrowType.Utf8) {
            return ColumnType.STRING;
        } else if (type instanceof ArrowType.Binary) {
            return ColumnType.BYTES;
        } else if (type instanceof ArrowType.Timestamp) {
            return ColumnType.TIMESTAMP;
        } else if (type instanceof ArrowType.Date && ((ArrowType.Date) type).getUnit() == DateUnit.DAY) {
            return ColumnType.DATE;
        }
        return null;
    }

    public static Field field(Column column) {
        return new Field(column.name(), FieldType.nullable(toArrow(column.type())), null);
    }
}
