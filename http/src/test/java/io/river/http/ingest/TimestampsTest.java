package io.river.http.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The digit-position reading of canonical timestamps agrees with the formatter's. */
class TimestampsTest {

    @Test
    void canonicalTextReadsAsTheFormatterReadsIt() {
        Random rnd = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            long seconds = rnd.nextLong(-62_000_000_000L, 250_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(1000) * 1_000_000;
                case 2 -> rnd.nextInt(1_000_000) * 1000;
                default -> rnd.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(seconds, nanos);
            String text = DateTimeFormatter.ISO_INSTANT.format(at);
            long expected = at.toEpochMilli();
            if (text.length() <= 30 && text.charAt(4) == '-') {
                assertEquals(expected, Timestamps.canonicalMillis(text), text);
            }
            assertEquals(Instant.ofEpochMilli(expected), Timestamps.parse(text), text);
        }
    }

    @Test
    void otherFormsGoToTheFormatterAndInvalidDatesAreRefused() {
        assertEquals(Timestamps.NOT_CANONICAL, Timestamps.canonicalMillis("2026-01-02T03:04:05+01:00"));
        assertEquals(Instant.parse("2026-01-02T02:04:05Z"), Timestamps.parse("2026-01-02T03:04:05+01:00"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), Timestamps.parse("2026-01-02 03:04:05"));
        assertEquals(Instant.parse("2026-01-02T03:04:05.120Z"), Timestamps.parse("2026-01-02T03:04:05.12Z"));
        for (String bad : new String[] {
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:60Z",
            "2026-01-01T00:00:0xZ",
            "2026-01-01T00:00:00.1234567890Z"
        }) {
            assertEquals(Timestamps.NOT_CANONICAL, Timestamps.canonicalMillis(bad), bad);
            assertNull(Timestamps.parse(bad), bad);
        }
    }
}
