package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BloomFilterTest {
    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.001, 0.05})
    void measuredFalsePositiveRateIsNearTheConfiguredOne(double fpp) {
        int n = 100_000;
        BloomFilter bloom = BloomFilter.create(n, fpp);
        for (int i = 0; i < n; i++) {
            bloom.add("user-" + i);
        }
        for (int i = 0; i < n; i++) {
            assertTrue(bloom.mightContain("user-" + i), "false negative for user-" + i);
        }
        int probes = 200_000;
        int falsePositives = 0;
        for (int i = 0; i < probes; i++) {
            if (bloom.mightContain("absent-" + i)) {
                falsePositives++;
            }
        }
        double measured = (double) falsePositives / probes;
        assertTrue(measured < fpp * 1.5 && measured > fpp / 3, "measured fpp " + measured + " for configured " + fpp);
    }

    @Test
    void serializesWithVersionAndRoundTrips() {
        BloomFilter bloom = BloomFilter.create(1000, 0.01);
        for (int i = 0; i < 1000; i++) {
            bloom.add("k" + i);
        }
        byte[] bytes = bloom.toBytes();
        assertEquals(BloomFilter.VERSION, bytes[0]);
        BloomFilter back = BloomFilter.fromBytes(bytes);
        assertEquals(bloom.hashCount(), back.hashCount());
        assertEquals(bloom.bitCount(), back.bitCount());
        assertArrayEquals(bytes, back.toBytes());
        for (int i = 0; i < 1000; i++) {
            assertTrue(back.mightContain("k" + i));
        }
    }

    @Test
    void rejectsUnknownVersionAndTruncation() {
        byte[] bytes = BloomFilter.create(10, 0.01).toBytes();
        bytes[0] = 99;
        assertThrows(IllegalArgumentException.class, () -> BloomFilter.fromBytes(bytes));
        byte[] good = BloomFilter.create(10, 0.01).toBytes();
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(IllegalArgumentException.class, () -> BloomFilter.fromBytes(cut));
    }

    @Test
    void emptyFilterHasNoMembers() {
        BloomFilter bloom = BloomFilter.create(0, 0.01);
        int hits = 0;
        for (int i = 0; i < 1000; i++) {
            hits += bloom.mightContain("x" + i) ? 1 : 0;
        }
        assertEquals(0, hits);
    }
}
