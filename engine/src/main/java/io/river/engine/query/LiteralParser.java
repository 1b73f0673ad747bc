package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of a string literal into a value of another type, as DuckDB casts a string
 * literal next to a typed operand: TIMESTAMP ({@code 2024-01-01}, {@code 2024-01-01 10:00:00[.fff]},
 * optional {@code T} separator and {@code Z}/{@code ±hh[:mm]} offset, read as UTC; sub-millisecond
 * digits are dropped), integers, DOUBLE, BOOLEAN and BLOB ({@code \xHH} escapes). Stateless.
 */
final class LiteralParser {
    private static final Pattern TIMESTAMP = Pattern.compile("(\\d{4}-\\d{1,2}-\\d{1,2})(?:[ "
            + "T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");

    static final long MILLIS_PER_DAY = 86_400_000L;

    private LiteralParser() {}

    /** The literal as a value of {@code type} (Expr.Literal representation), or null if it does not parse. */
    static Object parse(String text, ColumnType type) {
        String s = text.trim();
        try {
            switch (type) {
                case TIMESTAMP:
                    return timestampMillis(s);
                case DATE:
                    return epochDay(s);
                case INT32: {
                    long v = Long.parseLong(s);
                    return v == (int) v ? v : null;
                }
                case INT64:
                    return Long.parseLong(s);
                case FLOAT64:
                    return Double.parseDouble(s);
                case BOOLEAN:
                    return bool(s);
                case BYTES:
                    return new Expr.Blob(blob(text));
                case STRING:
                    return text;
                default:
                    return null;
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    /** Epoch days of a date literal ({@code yyyy-mm-dd}, or a timestamp at midnight UTC), or null. */
    static Long epochDay(String text) {
        Long millis = timestampMillis(text);
        if (millis == null || Math.floorMod(millis, MILLIS_PER_DAY) != 0) {
            return null;
        }
        return Math.floorDiv(millis, MILLIS_PER_DAY);
    }

    /**
     * Epoch days of text cast to DATE, as DuckDB casts it: a date, or a timestamp whose date part is
     * taken (its time and offset ignored); null when the text is neither.
     */
    static Long castDate(String text) {
        Matcher m = TIMESTAMP.matcher(text.trim());
        if (!m.matches() || timestampMillis(text) == null) {
            return null;
        }
        String[] ymd = m.group(1).split("-");
        return LocalDate.of(Integer.parseInt(ymd[0]), Integer.parseInt(ymd[1]), Integer.parseInt(ymd[2]))
                .toEpochDay();
    }

    /** Epoch millis of a timestamp literal, or null. */
    static Long timestampMillis(String text) {
        Matcher m = TIMESTAMP.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        String[] ymd = m.group(1).split("-");
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(ymd[0]), Integer.parseInt(ymd[1]), Integer.parseInt(ymd[2]));
        } catch (java.time.DateTimeException e) {
            return null;
        }
        LocalTime time = LocalTime.MIDNIGHT;
        if (m.group(2) != null) {
            int nanos = 0;
            if (m.group(5) != null) {
                String frac = (m.group(5) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(frac.substring(0, 3)) * 1_000_000;
            }
            try {
                time = LocalTime.of(
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                        nanos);
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        ZoneOffset offset = ZoneOffset.UTC;
        String off = m.group(6);
        if (off != null && !off.equals("Z")) {
            String digits = off.substring(1).replace(":", "");
            int hours = Integer.parseInt(digits.substring(0, 2));
            int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
            int sign = off.charAt(0) == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        }
        return LocalDateTime.of(date, time).toInstant(offset).toEpochMilli();
    }

    private static Boolean bool(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true":
            case "t":
            case "1":
            case "yes":
            case "y":
                return Boolean.TRUE;
            case "false":
            case "f":
            case "0":
            case "no":
            case "n":
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** DuckDB's string-to-BLOB cast: UTF-8 bytes, with {@code \xHH} as one byte. */
    static byte[] blob(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '\\' && i + 3 < utf8.length && (utf8[i + 1] == 'x' || utf8[i + 1] == 'X')) {
                int hi = Character.digit(utf8[i + 2], 16);
                int lo = Character.digit(utf8[i + 3], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 3;
                    continue;
                }
            }
            out.write(utf8[i]);
        }
        return out.toByteArray();
    }
}
