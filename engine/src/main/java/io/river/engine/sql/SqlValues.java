package io.river.engine.sql;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.query.QueryException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;

/**
 * Converts the literals of an {@code INSERT ... VALUES} list to the Java values of the target
 * columns' types. A literal is first read as what it is (NULL, an integer, a decimal, a string,
 * TRUE/FALSE, {@code DATE '...'}, {@code TIMESTAMP '...'}, {@code X'..'}), then converted:
 * integers into any numeric column (INT32 refuses values outside its range), decimals into DOUBLE
 * only, strings into VARCHAR, BLOB (UTF-8 bytes), DATE ({@code yyyy-mm-dd}), TIMESTAMP (ISO-8601
 * with a space or {@code T}, optional fraction and offset; without one it is UTC), BOOLEAN
 * ({@code true}/{@code false}) and the numeric columns (a number in the text); a DATE literal into
 * a DATE or TIMESTAMP column (midnight UTC), a TIMESTAMP literal into a TIMESTAMP column; numbers
 * and booleans into VARCHAR as their text. Anything else is a {@link StatementException}
 * ({@code bad_value}) naming the row and column. Stateless.
 */
final class SqlValues {
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart()
            .appendOffsetId()
            .optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final int DATE_LENGTH = "2026-01-02".length();

    private SqlValues() {}

    /** The value of {@code literal} as {@code column}'s Java type (null for NULL). */
    static Object convert(Expression literal, Column column, long row) {
        Object raw = read(literal, column, row);
        if (raw == null) {
            return null;
        }
        try {
            Object v = to(column.type(), raw);
            if (v != null) {
                return v;
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            // reported below with the row and column
        }
        throw bad(row, column, describe(raw) + " is not a valid " + SqlColumnTypes.name(column.type()));
    }

    /** The literal as a Java value: null, BigInteger, BigDecimal, String, Boolean, LocalDate, Instant or byte[]. */
    private static Object read(Expression e, Column column, long row) {
        if (e instanceof NullValue) {
            return null;
        } else if (e instanceof LongValue) {
            return new BigInteger(((LongValue) e).getStringValue());
        } else if (e instanceof DoubleValue) {
            return new BigDecimal(e.toString());
        } else if (e instanceof StringValue) {
            return ((StringValue) e).getValue().replace("''", "'");
        } else if (e instanceof BooleanValue) {
            return ((BooleanValue) e).getValue();
        } else if (e instanceof HexValue) {
            return hex(((HexValue) e).getValue(), column, row);
        } else if (e instanceof SignedExpression) {
            return signed((SignedExpression) e, column, row);
        } else if (e instanceof DateTimeLiteralExpression) {
            return dateTime((DateTimeLiteralExpression) e, column, row);
        }
        throw new QueryException(
                QueryException.UNSUPPORTED,
                "row " + row + ", column '" + column.name() + "': INSERT takes literal values only, not '" + e + "'");
    }

    private static Object signed(SignedExpression e, Column column, long row) {
        Object inner = read(e.getExpression(), column, row);
        if (e.getSign() == '+' && (inner instanceof BigInteger || inner instanceof BigDecimal)) {
            return inner;
        }
        if (e.getSign() == '-' && inner instanceof BigInteger) {
            return ((BigInteger) inner).negate();
        }
        if (e.getSign() == '-' && inner instanceof BigDecimal) {
            return ((BigDecimal) inner).negate();
        }
        throw bad(row, column, "'" + e + "' is not a number");
    }

    private static Object dateTime(DateTimeLiteralExpression e, Column column, long row) {
        String text = e.getValue();
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            switch (e.getType()) {
                case DATE:
                    return LocalDate.parse(text.trim());
                case TIMESTAMP:
                    return timestamp(text.trim());
                default:
                    throw bad(row, column, e.getType() + " literals are not stored by River");
            }
        } catch (DateTimeParseException ex) {
            throw bad(row, column, "'" + e + "' is not a valid " + e.getType());
        }
    }

    private static byte[] hex(String literal, Column column, long row) {
        String digits = literal.replaceAll("^[xX]'|'$", "");
        if (digits.length() % 2 != 0 || !digits.matches("[0-9a-fA-F]*")) {
            throw bad(row, column, "'" + literal + "' is not a hex string");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** {@code raw} as {@code type}'s Java value, or null when that conversion does not exist. */
    private static Object to(ColumnType type, Object raw) {
        switch (type) {
            case BOOLEAN:
                return raw instanceof Boolean ? raw : raw instanceof String ? bool((String) raw) : null;
            case INT32:
                BigInteger i = integer(raw);
                return i == null ? null : i.intValueExact();
            case INT64:
                BigInteger l = integer(raw);
                return l == null ? null : l.longValueExact();
            case FLOAT64:
                return raw instanceof Number
                        ? (Object) ((Number) raw).doubleValue()
                        : raw instanceof String ? (Object) Double.parseDouble(((String) raw).trim()) : null;
            case STRING:
                return raw instanceof String
                        ? raw
                        : raw instanceof Number || raw instanceof Boolean ? raw.toString() : null;
            case BYTES:
                return raw instanceof byte[]
                        ? raw
                        : raw instanceof String ? ((String) raw).getBytes(StandardCharsets.UTF_8) : null;
            case DATE:
                return raw instanceof LocalDate
                        ? raw
                        : raw instanceof String ? LocalDate.parse(((String) raw).trim()) : null;
            case TIMESTAMP:
                if (raw instanceof Instant) {
                    return raw;
                } else if (raw instanceof LocalDate) {
                    return ((LocalDate) raw).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                return raw instanceof String ? timestamp(((String) raw).trim()) : null;
            default:
                return null;
        }
    }

    private static BigInteger integer(Object raw) {
        if (raw instanceof BigInteger) {
            return (BigInteger) raw;
        } else if (raw instanceof String) {
            return new BigInteger(((String) raw).trim());
        }
        return null;
    }

    private static Boolean bool(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
    }

    /**
     * ISO-8601 date or date-time text as an Instant with millisecond precision: {@code yyyy-mm-dd}
     * (midnight UTC), {@code yyyy-mm-dd[T| ]hh:mm[:ss[.fff...]]} with an optional {@code Z} or
     * offset (UTC without one).
     */
    static Instant timestamp(String text) {
        if (text.length() == DATE_LENGTH) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        String iso = text.length() > DATE_LENGTH && text.charAt(DATE_LENGTH) == ' '
                ? text.substring(0, DATE_LENGTH) + 'T' + text.substring(DATE_LENGTH + 1)
                : text;
        TemporalAccessor parsed = DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
        Instant instant = parsed instanceof OffsetDateTime
                ? ((OffsetDateTime) parsed).toInstant()
                : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }

    private static String describe(Object raw) {
        if (raw instanceof String) {
            return "'" + raw + "'";
        } else if (raw instanceof byte[]) {
            return "a binary value";
        } else if (raw instanceof LocalDate) {
            return "DATE '" + raw + "'";
        } else if (raw instanceof Instant) {
            return "TIMESTAMP '" + raw + "'";
        }
        return String.valueOf(raw);
    }

    static StatementException bad(long row, Column column, String why) {
        return new StatementException(
                StatementException.BAD_VALUE,
                "row " + row + ", column '" + column.name() + "': " + why,
                row,
                column.name());
    }
}
