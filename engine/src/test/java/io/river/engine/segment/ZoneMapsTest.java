package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.ColumnType;
import org.junit.jupiter.api.Test;

class ZoneMapsTest {
    @Test
    void longStringsAreCutToBoundsThatStillHold() {
        String base = "x".repeat(100);
        String[] samples = {
            base,
            base + "a",
            "y".repeat(64) + "\uffff\uffff",
            "z".repeat(63) + "\ud83d\ude00tail",
            "\uffff".repeat(70),
            "a".repeat(64) + "\ud7ff"
        };
        for (String s : samples) {
            String lo = ZoneMaps.lowerBound(s);
            String hi = ZoneMaps.upperBound(s);
            assertTrue(lo.length() <= ZoneMaps.MAX_STRING_CHARS, lo);
            assertTrue(lo.compareTo(s) <= 0, "lower bound above value: " + s);
            assertTrue(hi.compareTo(s) >= 0, "upper bound below value: " + s);
            assertTrue(!Character.isHighSurrogate(lo.charAt(lo.length() - 1)), "cut inside a surrogate pair");
        }
        assertEquals("short", ZoneMaps.upperBound("short"));
        assertEquals("x".repeat(63) + "y", ZoneMaps.upperBound(base));
    }

    @Test
    void decodesJsonNumbersToTheColumnsJavaType() {
        assertEquals(5L, ZoneMaps.fromJson(ColumnType.INT64, 5));
        assertEquals(5, ZoneMaps.fromJson(ColumnType.INT32, 5L));
        assertEquals(Double.NaN, ZoneMaps.fromJson(ColumnType.FLOAT64, "NaN"));
        assertEquals(Double.NEGATIVE_INFINITY, ZoneMaps.fromJson(ColumnType.FLOAT64, "-Infinity"));
        assertEquals(1700000000000L, ZoneMaps.fromJson(ColumnType.TIMESTAMP, 1700000000000L));
    }
}
