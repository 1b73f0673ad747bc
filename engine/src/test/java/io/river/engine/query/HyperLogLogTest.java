package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HyperLogLogTest {
    @Test
    void exactWhileSparse() {
        HyperLogLog h = new HyperLogLog();
        for (int i = 0; i < 1000; i++) {
            h.add(Hashing.mix(i % 700 + 1));
        }
        assertEquals(700, h.estimate());
    }

    @Test
    void denseEstimateWithinTwoPercent() {
        for (int n : new int[] {3_000, 50_000, 1_000_000}) {
            HyperLogLog h = new HyperLogLog();
            for (long i = 0; i < n; i++) {
                h.add(Hashing.mix(i * 31 + 7));
            }
            double err = Math.abs(h.estimate() - n) / (double) n;
            assertTrue(err < 0.02, n + " estimated " + h.estimate());
        }
    }

    @Test
    void mergeEqualsUnion() {
        HyperLogLog a = new HyperLogLog();
        HyperLogLog b = new HyperLogLog();
        HyperLogLog small = new HyperLogLog();
        for (long i = 0; i < 100_000; i++) {
            (i % 2 == 0 ? a : b).add(Hashing.mix(i + 1));
        }
        for (long i = 0; i < 100; i++) {
            small.add(Hashing.mix(i + 1));
        }
        a.merge(b);
        a.merge(small);
        assertTrue(Math.abs(a.estimate() - 100_000) < 2_000, "estimate " + a.estimate());
        small.merge(a);
        assertEquals(a.estimate(), small.estimate());
    }
}
