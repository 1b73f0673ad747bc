package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The set answers as {@link HashSet} does for every shape of data it may meet (dense ids that turn
 * it into a bitmap, sparse values that keep it hashed, a dense set that meets far values, values in
 * descending order, the ends of the long range, zero), including through {@code addAll} and
 * {@code forEach}.
 */
class LongHashSetTest {
    private final Random random = new Random(11);

    private void check(String name, int n, LongSupplier values) {
        LongHashSet set = new LongHashSet();
        Set<Long> model = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long v = values.getAsLong();
            assertEquals(model.add(v), set.add(v), name + ": add(" + v + ") at " + i);
            assertEquals(model.size(), set.size(), name + ": size at " + i);
        }
        Set<Long> seen = new HashSet<>();
        set.forEach(v -> assertTrue(seen.add(v), name + ": " + v + " twice"));
        assertEquals(model, seen, name);
        LongHashSet merged = new LongHashSet();
        merged.add(42);
        merged.addAll(set);
        model.add(42L);
        assertEquals(model.size(), merged.size(), name + " merged");
    }

    @Test
    void denseIdsBecomeABitmapAndCountExactly() {
        LongHashSet set = new LongHashSet();
        for (int i = 0; i < 100_000; i++) {
            set.add(random.nextInt(50_000));
        }
        assertTrue(set.isBitmap(), "dense ids are held as a bitmap");
        check("dense", 200_000, () -> random.nextInt(60_000));
        check("dense negative", 200_000, () -> -1_000_000L + random.nextInt(60_000));
        check("dense with zero", 100_000, () -> random.nextInt(9000) - 4500);
    }

    @Test
    void sparseValuesStayHashed() {
        LongHashSet set = new LongHashSet();
        for (int i = 0; i < 100_000; i++) {
            set.add(random.nextLong());
        }
        assertFalse(set.isBitmap());
        check("random longs", 100_000, random::nextLong);
        check("spread times", 100_000, () -> 1_700_000_000_000L + random.nextInt(1 << 30));
    }

    @Test
    void aBitmapMeetingValuesOutsideItsRangeStretchesOrTurnsBackIntoAHashTable() {
        long[] counter = {0};
        check("ascending", 300_000, () -> counter[0]++);
        long[] down = {1_000_000};
        check("descending", 300_000, () -> down[0]--);
        check("dense then far", 120_000, () -> random.nextInt(20) == 0 ? random.nextLong() : random.nextInt(30_000));
        long[] i = {0};
        check(
                "dense then one far value late",
                100_000,
                () -> ++i[0] == 90_000 ? Long.MAX_VALUE : random.nextInt(40_000));
        long[] j = {0};
        check(
                "ends of the range",
                50_000,
                () -> ++j[0] % 7 == 0
                        ? (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                        : random.nextInt(8000));
        check("near the minimum", 60_000, () -> Long.MIN_VALUE + random.nextInt(30_000));
        check("near the maximum", 60_000, () -> Long.MAX_VALUE - random.nextInt(30_000));
        long[] k = {0};
        check("below then above", 200_000, () -> ++k[0] % 2 == 0 ? 500_000 + k[0] / 2 : 500_000 - k[0] / 2);
    }
}
