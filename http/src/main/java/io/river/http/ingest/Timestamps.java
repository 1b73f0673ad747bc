package io.river.http.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;

/**
 * Parses timestamp text into an {@link Instant} truncated to milliseconds. Accepted: ISO-8601 date-time with
 * {@code Z} or an offset such as {@code +01:00} ({@code 2026-01-02T03:04:05.123Z}), the same without a zone (UTC),
 * any of these with a space instead of {@code T} ({@code 2026-01-02 03:04:05}), and a bare date ({@code
 * 2026-01-02}, midnight UTC). Seconds and fractions are optional; fractions beyond milliseconds are cut, rounding
 * toward the past. Stateless.
 */
final class Timestamps {
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart()
            .appendOffsetId()
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);
    private static final int DATE_LENGTH = "2026-01-02".length();

    private Timestamps() {}

    /** The instant {@code text} names, or null when it is not one of the accepted forms. */
    static Instant parse(String text) {
        long canonical = canonicalMillis(text);
        if (canonical != NOT_CANONICAL) {
            return Instant.ofEpochMilli(canonical);
        }
        try {
            if (text.length() == DATE_LENGTH) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return toMillis(dateTime(text));
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** {@link #canonicalMillis}'s answer for text of another form. */
    static final long NOT_CANONICAL = Long.MIN_VALUE;

    /**
     * The epoch milliseconds of the most common form, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid
     * date and time (fractions cut to milliseconds), read by digit position; {@link #NOT_CANONICAL} for
     * any other text, which the formatter then reads (the same answer for this form, several times slower).
     */
    static long canonicalMillis(String t) {
        int n = t.length();
        if (n < 20
                || n > 30
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return NOT_CANONICAL;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_CANONICAL;
        }
        int millis = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (t.charAt(19) != '.' || fraction < 1 || digits(t, 20, fraction) < 0) {
                return NOT_CANONICAL;
            }
            millis = digits(t, 20, Math.min(3, fraction));
            for (int i = fraction; i < 3; i++) {
                millis *= 10;
            }
        } else if (n != 20) {
            return NOT_CANONICAL;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The decimal value of {@code count} digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return count > 9 ? 0 : v;
    }

    private static Instant dateTime(String text) {
        String iso = text.length() > DATE_LENGTH && text.charAt(DATE_LENGTH) == ' '
                ? text.substring(0, DATE_LENGTH) + 'T' + text.substring(DATE_LENGTH + 1)
                : text;
        TemporalAccessor parsed = DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
        if (parsed instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    private static Instant toMillis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
