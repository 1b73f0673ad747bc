package io.river.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written checks of {@link Names#isValid} and {@link SystemColumns#appendKey} against their specs. */
class NamesAndKeysTest {
    @Test
    void isValidAgreesWithTheRegexOnEdgeCasesAndRandomStrings() {
        List<String> edge = List.of(
                "",
                "_",
                "a",
                "A",
                "0",
                "0a",
                "a0",
                "_0",
                "a-b",
                "a.b",
                "a b",
                "é",
                "aé",
                "a".repeat(128),
                "a".repeat(129),
                "_".repeat(128),
                "Z9_z",
                "[",
                "`",
                "{",
                "@",
                "/",
                ":");
        for (String s : edge) {
            assertEquals(Names.matchesPattern(s), Names.isValid(s), s);
        }
        assertEquals(false, Names.isValid(null));
        String alphabet = "aZ_09-.é [`{@/:";
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(6) == 0 ? 126 + rnd.nextInt(4) : rnd.nextInt(8);
            for (int j = 0; j < n; j++) {
                sb.append(rnd.nextInt(4) == 0 ? alphabet.charAt(rnd.nextInt(alphabet.length())) : 'b');
            }
            assertEquals(Names.matchesPattern(sb.toString()), Names.isValid(sb.toString()), sb.toString());
        }
    }

    @Test
    void appendKeyIsTheZeroPaddedFormat() {
        long[] offsets = {0, 1, 9, 10, 123_456_789, Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        int[] partitions = {0, 1, 7, 99, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        for (int p : partitions) {
            for (long o : offsets) {
                assertEquals(String.format("%010d/%019d", p, o), SystemColumns.appendKey(p, o), p + "/" + o);
            }
        }
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            int p = rnd.nextInt(Integer.MAX_VALUE);
            long o = rnd.nextLong(Long.MAX_VALUE);
            assertEquals(String.format("%010d/%019d", p, o), SystemColumns.appendKey(p, o));
        }
    }
}
