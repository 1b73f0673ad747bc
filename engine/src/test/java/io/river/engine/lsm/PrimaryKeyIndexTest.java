package io.river.engine.lsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key index against a HashMap: puts, overwrites, removes (with probe-run shifts), growth and key-page reuse. */
class PrimaryKeyIndexTest {

    @Test
    void randomPutsOverwritesAndRemovesMatchAHashMap() {
        Random rnd = new Random(11);
        PrimaryKeyIndex index = new PrimaryKeyIndex();
        Map<String, Long> model = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            keys.add(i % 7 == 0 ? "k" + i + "é日本".repeat(rnd.nextInt(50)) : "k" + i);
        }
        for (int step = 0; step < 400_000; step++) {
            String k = keys.get(rnd.nextInt(keys.size()));
            int op = rnd.nextInt(10);
            if (op < 5) {
                long loc = rnd.nextLong() & Long.MAX_VALUE;
                Long before = model.put(k, loc);
                assertEquals(before == null ? PrimaryKeyIndex.NONE : before, index.put(k, loc));
            } else if (op < 8) {
                Long before = model.remove(k);
                assertEquals(before == null ? PrimaryKeyIndex.NONE : before, index.remove(k));
            } else {
                Long v = model.get(k);
                assertEquals(v == null ? PrimaryKeyIndex.NONE : v, index.get(k));
            }
            assertEquals(model.size(), index.size());
        }
        for (String k : keys) {
            Long v = model.get(k);
            assertEquals(v == null ? PrimaryKeyIndex.NONE : v, index.get(k), k);
        }
        long[] sum = {0};
        index.forEachLocation(l -> sum[0] += l);
        assertEquals(model.values().stream().mapToLong(Long::longValue).sum(), sum[0]);
    }

    @Test
    void removingEveryKeyReclaimsKeyBytesAndTheIndexKeepsWorking() {
        PrimaryKeyIndex index = new PrimaryKeyIndex();
        long firstFull = 0;
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 400_000; i++) {
                index.put("round" + round + "-key-" + i, i);
            }
            long full = index.memoryBytes();
            if (round == 0) {
                firstFull = full;
            }
            assertTrue(
                    full <= firstFull * 3 / 2, "round " + round + " holds " + full + " bytes, the first " + firstFull);
            for (int i = 0; i < 400_000; i++) {
                assertEquals(i, index.remove("round" + round + "-key-" + i));
            }
            assertEquals(0, index.size());
        }
        index.put("again", 5);
        assertEquals(5, index.get("again"));
    }

    @Test
    void keysLongerThanTheLimitAreRefused() {
        PrimaryKeyIndex index = new PrimaryKeyIndex();
        assertThrows(IllegalArgumentException.class, () -> index.put("x".repeat(40_000), 1));
        String longest = "y".repeat(32_767);
        index.put(longest, 9);
        assertEquals(9, index.get(longest));
    }
}
