package io.river.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfTest {
    @Test
    void probabilitiesFallWithRankAndSumToOne() {
        Zipf z = new Zipf(40, 1.1);
        double sum = 0;
        for (int i = 0; i < z.size(); i++) {
            sum += z.probability(i);
            if (i > 0) {
                assertTrue(z.probability(i) < z.probability(i - 1), "rank " + i);
            }
        }
        assertEquals(1.0, sum, 1e-9);
        // s = 1: rank 2 is half as likely as rank 1.
        Zipf harmonic = new Zipf(10, 1.0);
        assertEquals(2.0, harmonic.probability(0) / harmonic.probability(1), 1e-9);
    }

    @Test
    void samplesFollowTheDistribution() {
        Zipf z = new Zipf(40, 1.1);
        SplittableRandom random = new SplittableRandom(7);
        int[] hits = new int[z.size()];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            hits[z.next(random)]++;
        }
        for (int rank : new int[] {0, 1, 5, 39}) {
            double expected = z.probability(rank) * n;
            assertEquals(expected, hits[rank], 5 * Math.sqrt(expected) + 1, "rank " + rank);
        }
    }

    @Test
    void refusesEmptyOrFlatDistributions() {
        assertThrows(IllegalArgumentException.class, () -> new Zipf(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Zipf(10, 0));
    }
}
