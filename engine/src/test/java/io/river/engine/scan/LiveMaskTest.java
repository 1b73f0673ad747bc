package io.river.engine.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LiveMaskTest {
    @Test
    void selectWritesExactlyTheLiveRowsIntoABufferOfThatSize() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            int rows = rnd.nextInt(3) == 0 ? 64 * (1 + rnd.nextInt(20)) : rnd.nextInt(1_300);
            int density = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(100);
            long[] mask = LiveMask.allLive(rows);
            boolean[] dead = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                if (rnd.nextInt(100) < density) {
                    dead[r] = true;
                    LiveMask.kill(mask, r);
                }
            }
            int[] expected = IntStream.range(0, rows).filter(r -> !dead[r]).toArray();
            assertEquals(expected.length, LiveMask.count(mask), "trial " + trial);
            assertArrayEquals(expected, LiveMask.selection(mask), "trial " + trial);
            int[] exact = new int[expected.length];
            assertEquals(expected.length, LiveMask.select(mask, exact));
            assertArrayEquals(expected, exact, "an exactly sized buffer, trial " + trial);
            int[] roomy = new int[rows + 70];
            Arrays.fill(roomy, -5);
            assertEquals(expected.length, LiveMask.select(mask, roomy));
            assertArrayEquals(expected, Arrays.copyOf(roomy, expected.length), "trial " + trial);
            assertArrayEquals(mask, LiveMask.of(expected, rows), "mask of the selection, trial " + trial);
        }
    }

    @Test
    void allLiveLeavesTheBitsPastTheLastRowClear() {
        assertEquals(0, LiveMask.allLive(0).length);
        assertArrayEquals(new long[] {0x1fL}, LiveMask.allLive(5));
        assertArrayEquals(new long[] {-1L, 1L}, LiveMask.allLive(65));
        assertEquals(8192, LiveMask.count(LiveMask.allLive(8192)));
    }
}
