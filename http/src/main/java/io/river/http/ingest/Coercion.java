package io.river.http.ingest;

import io.river.engine.model.ColumnType;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Converts a body value into the type of the column that receives it, where the conversion is exact: an integer
 * into INT32 (when it fits), INT64, FLOAT64 or TIMESTAMP (epoch milliseconds); a decimal number into FLOAT64 only;
 * timestamp text into TIMESTAMP ({@link Timestamps}); {@code YYYY-MM-DD} text and dates into DATE; a date into
 * TIMESTAMP as its midnight UTC (Arrow dates into a column created before River had DATE); base64 text into BYTES
 * where the format carries bytes as text. A number too wide for a numeric column passes through as the wider type (a
 * long into INT32, a decimal into
 * INT32 or INT64), so the engine widens the column as {@code /put} and the embedded sink do (INT32 to INT64 to
 * FLOAT64). Anything else is a {@link BadValueException} naming the value and the column's type. Typed values
 * (NDJSON, Arrow) keep their kind: the string {@code "12"} does not fill an INT64 column. CSV text is parsed
 * according to the column's type. Stateless.
 */
final class Coercion {
    private Coercion() {}

    /**
     * {@code value} (Boolean, Integer, Long, BigInteger, Double, String, byte[], Instant or LocalDate; never null) as
     * a value of
     * {@code type}. {@code base64Text} lets a string fill a BYTES column (NDJSON); Arrow carries bytes as bytes.
     */
    static Object fromValue(Object value, ColumnType type, boolean base64Text) {
        Object converted = switch (type) {
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case INT32 -> isInteger(value) ? int32OrWider(value) : decimal(value);
            case INT64 -> isInteger(value) ? int64OrWider(value) : decimal(value);
            case FLOAT64 -> value instanceof Number n ? (Object) n.doubleValue() : null;
            case STRING -> value instanceof String ? value : null;
            case BYTES -> bytes(value, base64Text);
            case TIMESTAMP -> timestamp(value);
            case DATE -> date(value);
        };
        if (converted == null) {
            throw new BadValueException(
                    shown(value) + " is " + kind(value) + ", not " + expected(type) + columnIs(type));
        }
        return converted;
    }

    /** CSV text (never empty) as a value of {@code type}. */
    static Object fromText(String text, ColumnType type) {
        return switch (type) {
            case STRING -> text;
            case BOOLEAN -> booleanText(text);
            case INT32 -> NumberText.isInteger(text, true) ? int32OrWider(integerOrWider(text)) : doubleText(text);
            case INT64 -> NumberText.isInteger(text, true) ? integerOrWider(text) : doubleText(text);
            case FLOAT64 -> doubleText(text);
            case BYTES -> base64(text);
            case TIMESTAMP -> timestampText(text);
            case DATE -> dateOrFail(text);
        };
    }

    private static boolean isInteger(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof BigInteger;
    }

    /** An integer as INT32 when it fits, else as the wider kind the engine widens the column to. */
    private static Object int32OrWider(Object integer) {
        Object wide = int64OrWider(integer);
        return wide instanceof Long l && fitsInt(l) ? (Object) l.intValue() : wide;
    }

    private static Object int64OrWider(Object integer) {
        return integer instanceof BigInteger b ? (Object) b.doubleValue() : (Object) ((Number) integer).longValue();
    }

    /** A decimal number for an integer column: kept as FLOAT64 (the column widens); anything else does not fit. */
    private static Object decimal(Object value) {
        return value instanceof Double || value instanceof Float ? (Object) ((Number) value).doubleValue() : null;
    }

    private static Object integerOrWider(String text) {
        Long v = NumberText.parseLong(text);
        return v != null ? (Object) v : (Object) Double.parseDouble(text);
    }

    private static Long int64(Object integer) {
        if (integer instanceof BigInteger) {
            throw doesNotFit(shown(integer), ColumnType.INT64, 64);
        }
        return ((Number) integer).longValue();
    }

    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }

    private static byte[] bytes(Object value, boolean base64Text) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return value instanceof String text && base64Text ? base64(text) : null;
    }

    private static Instant timestamp(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof LocalDate day) {
            return day.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (value instanceof String text) {
            return timestampOrFail(text);
        }
        if (isInteger(value)) {
            return Instant.ofEpochMilli(int64(value));
        }
        return null;
    }

    private static LocalDate date(Object value) {
        if (value instanceof LocalDate day) {
            return day;
        }
        return value instanceof String text ? dateOrFail(text) : null;
    }

    /** {@code YYYY-MM-DD} (ISO-8601 calendar date) text as a date. */
    private static LocalDate dateOrFail(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new BadValueException(
                    Texts.quote(text) + " is not a date ('YYYY-MM-DD')" + columnIs(ColumnType.DATE));
        }
    }

    private static Boolean booleanText(String text) {
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new BadValueException(Texts.quote(text) + " is not true or false" + columnIs(ColumnType.BOOLEAN));
    }

    private static Double doubleText(String text) {
        if (!NumberText.isNumber(text, true)) {
            throw new BadValueException(Texts.quote(text) + " is not a number" + columnIs(ColumnType.FLOAT64));
        }
        return Double.parseDouble(text);
    }

    private static Instant timestampText(String text) {
        if (NumberText.isInteger(text, true)) {
            Long millis = NumberText.parseLong(text);
            if (millis == null) {
                throw doesNotFit(Texts.quote(text), ColumnType.TIMESTAMP, 64);
            }
            return Instant.ofEpochMilli(millis);
        }
        return timestampOrFail(text);
    }

    private static Instant timestampOrFail(String text) {
        Instant instant = Timestamps.parse(text);
        if (instant == null) {
            throw new BadValueException(Texts.quote(text) + " is not a timestamp (ISO-8601, 'YYYY-MM-DD HH:MM:SS'"
                    + " or 'YYYY-MM-DD')" + columnIs(ColumnType.TIMESTAMP));
        }
        return instant;
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException notUrlSafe) {
                throw new BadValueException(Texts.quote(text) + " is not base64" + columnIs(ColumnType.BYTES));
            }
        }
    }

    private static BadValueException doesNotFit(String shown, ColumnType type, int bits) {
        return new BadValueException(shown + " does not fit in " + bits + " bits" + columnIs(type));
    }

    private static String columnIs(ColumnType type) {
        return " (column is " + type + ")";
    }

    private static String shown(Object value) {
        if (value instanceof String text) {
            return Texts.quote(text);
        }
        if (value instanceof byte[] bytes) {
            return "a value of " + bytes.length + " bytes";
        }
        return Texts.clip(value.toString());
    }

    private static String kind(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (isInteger(value)) {
            return "an integer";
        } else if (value instanceof Number) {
            return "a decimal number";
        } else if (value instanceof Instant) {
            return "a timestamp";
        } else if (value instanceof LocalDate) {
            return "a date";
        }
        return "binary";
    }

    private static String expected(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "a boolean";
            case INT32, INT64 -> "an integer";
            case FLOAT64 -> "a number";
            case STRING -> "a string";
            case BYTES -> "binary";
            case TIMESTAMP -> "a timestamp";
            case DATE -> "a date";
        };
    }
}
