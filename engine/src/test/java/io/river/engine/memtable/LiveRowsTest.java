package io.river.engine.memtable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.scan.LiveMask;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class LiveRowsTest {
    @Test
    void selectsExactlyTheRowsTheBitmapLacksInTheRange() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 500; trial++) {
            RoaringBitmap dead = new RoaringBitmap();
            int density = rnd.nextInt(100);
            for (int i = 0; i < 20_000; i++) {
                if (rnd.nextInt(100) < density) {
                    dead.add(i);
                }
            }
            long first = rnd.nextInt(15_000);
            int rows = 1 + rnd.nextInt(5_000);
            int[] expected = IntStream.range(0, rows)
                    .filter(r -> !dead.contains((int) (first + r)))
                    .toArray();
            assertArrayEquals(expected, LiveRows.select(dead, first, rows), "trial " + trial);
            long[] mask = LiveRows.mask(dead, first, rows);
            if (mask == null) {
                assertEquals(rows, expected.length, "no dead row in the range, trial " + trial);
            } else {
                assertArrayEquals(expected, LiveMask.selection(mask), "trial " + trial);
            }
        }
    }

    @Test
    void rowNumbersPastTwoToThe31AreUnsigned() {
        long first = 3_000_000_000L;
        RoaringBitmap dead = new RoaringBitmap();
        dead.add((int) (first - 1), (int) first, (int) (first + 2), (int) (first + 99), (int) (first + 100));
        int[] expected =
                IntStream.range(0, 100).filter(r -> r != 0 && r != 2 && r != 99).toArray();
        assertArrayEquals(expected, LiveRows.select(dead, first, 100));
    }
}
