package io.river.connect;

import io.river.engine.model.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts one Connect value to the Java value of a River column ({@link
 * io.river.engine.model.ColumnType}), with or without a schema. Stateless and thread-safe.
 *
 * <ul>
 *   <li>INT8, INT16, INT32 give INT32; INT64 gives INT64; BOOLEAN, STRING as they are.</li>
 *   <li>FLOAT32 and FLOAT64 give FLOAT64. A float is widened through its decimal text
 *       ({@code 0.1f} is stored as {@code 0.1}, not {@code 0.10000000149011612}), because the
 *       value a user wrote is the shortest decimal that reads back as that float.</li>
 *   <li>BYTES gives BYTES.</li>
 *   <li>Logical Timestamp and Time (on 1970-01-01) give TIMESTAMP; logical Date gives DATE (a
 *       {@link LocalDate}). Into a column that is already TIMESTAMP (made before River had DATE) a
 *       date goes as its midnight UTC ({@link #fitTo}).</li>
 *   <li>Logical Decimal gives FLOAT64: River is an analytics store, and sums and averages need a
 *       number; a double holds 15 significant digits exactly, enough for amounts and measures,
 *       while wider decimals lose their lowest digits. A user needing exact digits can turn the
 *       field into a string with an SMT before River.</li>
 *   <li>Struct, array and map give STRING holding JSON text ({@link JsonText}).</li>
 * </ul>
 */
final class ConnectValues {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private ConnectValues() {}

    /**
     * The value as a column of {@code columnType} (null: a new column) takes it: a DATE going into a
     * TIMESTAMP column becomes its midnight UTC (the type such a column got before River had DATE);
     * any other value is itself.
     */
    static Object fitTo(ColumnType columnType, Object value) {
        return value instanceof LocalDate day && columnType == ColumnType.TIMESTAMP
                ? day.atStartOfDay(ZoneOffset.UTC).toInstant()
                : value;
    }

    /** The column value of a value described by a schema. */
    static Object withSchema(Schema schema, Object value) throws RecordException {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME:
                case org.apache.kafka.connect.data.Time.LOGICAL_NAME:
                    return instant(value);
                case org.apache.kafka.connect.data.Date.LOGICAL_NAME:
                    return LocalDate.ofEpochDay(Math.floorDiv(instant(value).toEpochMilli(), MILLIS_PER_DAY));
                case Decimal.LOGICAL_NAME:
                    return decimal(value);
                default:
                    break; // other named schemas are their plain type
            }
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
            case INT32:
                return ((Number) value).intValue();
            case INT64:
                return ((Number) value).longValue();
            case FLOAT32:
                return widenFloat(((Number) value).floatValue());
            case FLOAT64:
                return ((Number) value).doubleValue();
            case BOOLEAN:
            case STRING:
                return value;
            case BYTES:
                return value instanceof ByteBuffer ? bytes((ByteBuffer) value) : value;
            case STRUCT:
            case ARRAY:
            case MAP:
                return JsonText.of(schema, value);
            default:
                throw new RecordException("unsupported Connect type " + schema.type());
        }
    }

    /** The column value of a schemaless value (from a schemaless converter or a Map). */
    static Object schemaless(Object value) throws RecordException {
        if (value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Long
                || value instanceof Double
                || value instanceof Integer
                || value instanceof byte[]
                || value instanceof Instant) {
            return value;
        } else if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        } else if (value instanceof Float) {
            return widenFloat((Float) value);
        } else if (value instanceof BigDecimal || value instanceof BigInteger) {
            return ((Number) value).doubleValue();
        } else if (value instanceof ByteBuffer) {
            return bytes((ByteBuffer) value);
        } else if (value instanceof Date) {
            return Instant.ofEpochMilli(((Date) value).getTime());
        } else if (value instanceof Struct || value instanceof Map || value instanceof Collection) {
            return JsonText.of(null, value);
        }
        throw new RecordException("unsupported value type " + value.getClass().getName());
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }

    private static Double widenFloat(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    private static Instant instant(Object value) throws RecordException {
        if (value instanceof Date) {
            return Instant.ofEpochMilli(((Date) value).getTime());
        } else if (value instanceof Number) {
            return Instant.ofEpochMilli(((Number) value).longValue());
        }
        throw new RecordException("expected a java.util.Date for a Timestamp/Date/Time field, got "
                + value.getClass().getName());
    }

    private static Double decimal(Object value) throws RecordException {
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).doubleValue();
        }
        throw new RecordException("expected a BigDecimal for a Decimal field, got "
                + value.getClass().getName());
    }
}
