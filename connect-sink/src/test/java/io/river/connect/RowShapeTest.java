package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowShapeTest {
    private static Row row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Row.of("pk", m);
    }

    @Test
    void aRowOfTheSameNamesAndClassesMatches() {
        RowShape shape = new RowShape();
        assertFalse(shape.matches(row("a", 1L, "s", "x")));
        shape.remember(row("a", 1L, "s", "x", "n", null));
        assertTrue(shape.matches(row("a", 2L, "s", "y", "n", null)));
        assertTrue(shape.matches(row("a", null, "s", "y", "n", null)), "a null value changes no schema");
    }

    @Test
    void anyOtherRowDoesNot() {
        RowShape shape = new RowShape();
        shape.remember(row("a", 1L, "s", "x", "n", null));
        assertFalse(shape.matches(row("a", 1.5, "s", "x", "n", null)), "another class");
        assertFalse(shape.matches(row("a", 1L, "s", "x", "n", 3L)), "a value where there was null");
        assertFalse(shape.matches(row("a", 1L, "t", "x", "n", null)), "another name");
        assertFalse(shape.matches(row("s", "x", "a", 1L, "n", null)), "another order");
        assertFalse(shape.matches(row("a", 1L, "s", "x")), "fewer columns");
        assertFalse(shape.matches(Row.tombstone("pk")));
        shape.clear();
        assertFalse(shape.matches(row("a", 1L, "s", "x", "n", null)));
    }
}
