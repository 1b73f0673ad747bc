package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LikeMatcherTest {
    static boolean like(String s, String pattern) {
        return like(s, pattern, (char) 0);
    }

    static boolean like(String s, String pattern, char escape) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new LikeMatcher(pattern, escape).matches(b, 0, b.length);
    }

    @Test
    void fastPathsAndGeneralPatterns() {
        assertEquals(true, like("Paris", "Paris"));
        assertEquals(false, like("Paris", "paris"));
        assertEquals(true, like("Paris", "Pa%"));
        assertEquals(true, like("Paris", "%ris"));
        assertEquals(true, like("Paris", "%ar%"));
        assertEquals(true, like("", "%"));
        assertEquals(false, like("", "_"));
        assertEquals(true, like("Paris", "P_r_s"));
        assertEquals(false, like("Paris", "P_r_"));
        assertEquals(true, like("Paris", "%a%i%"));
        assertEquals(false, like("Paris", "%i%a%"));
        assertEquals(true, like("abcabc", "%abc"));
        assertEquals(true, like("aXbXc", "a%b%c"));
        assertEquals(true, like("Paris", "%%s"));
    }

    @Test
    void underscoreMatchesOneCharacterNotOneByte() {
        assertEquals(true, like("é", "_"));
        assertEquals(true, like("日本", "__"));
        assertEquals(false, like("日本", "_"));
        assertEquals(true, like("a🙂b", "a_b"));
        assertEquals(true, like("Zürich", "Z_rich"));
    }

    @Test
    void escapeMakesWildcardsLiteral() {
        assertEquals(true, like("50%", "50!%", '!'));
        assertEquals(false, like("500", "50!%", '!'));
        assertEquals(true, like("a_b", "a!_b", '!'));
        assertEquals(false, like("axb", "a!_b", '!'));
    }

    @Test
    void prefixIsExposedForPruning() {
        assertEquals("Pa", new String(new LikeMatcher("Pa%s", (char) 0).prefix(), StandardCharsets.UTF_8));
        assertEquals(null, new LikeMatcher("%a", (char) 0).prefix());
    }
}
