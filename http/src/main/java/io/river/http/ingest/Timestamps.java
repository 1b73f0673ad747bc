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
        try {
            if (text.length() == DATE_LENGTH) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return toMillis(dateTime(text));
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
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
