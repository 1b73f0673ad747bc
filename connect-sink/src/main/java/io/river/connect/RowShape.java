package io.river.connect;

import io.river.engine.model.Row;
import java.util.Iterator;
import java.util.Map;

/**
 * The shape of a row (its column names in order and the class of each non-null value), to skip
 * re-checking a row against a table's schema when the last row checked had the same shape and left
 * the schema as it was: a row whose names are the same and whose values are of the same classes (or
 * null) evolves the schema no more than that one did. Records of one topic mostly share a shape, so
 * the check per field per row (a hash lookup and a type test each) becomes a comparison per field.
 * Names compare by identity first (Jackson hands out the same interned string for a field name).
 * Not thread-safe (one per table per task).
 */
final class RowShape {
    private String[] names = new String[0];
    private Class<?>[] classes = new Class<?>[0];

    /** True when {@code row} has this shape: same names in order, each value null or of the remembered class. */
    boolean matches(Row row) {
        Map<String, Object> values = row.values();
        if (values.size() != names.length || row.isTombstone()) {
            return false;
        }
        Iterator<String> keys = values.keySet().iterator();
        Iterator<Object> vals = values.values().iterator();
        for (int i = 0; i < names.length; i++) {
            String name = keys.next();
            Object v = vals.next();
            if (name != names[i] && !name.equals(names[i])) {
                return false;
            }
            if (v != null && v.getClass() != classes[i]) {
                return false;
            }
        }
        return true;
    }

    /** Remembers {@code row}'s shape (call once the row left the schema as it was). */
    void remember(Row row) {
        Map<String, Object> values = row.values();
        String[] n = new String[values.size()];
        Class<?>[] c = new Class<?>[values.size()];
        Iterator<Map.Entry<String, Object>> it = values.entrySet().iterator();
        for (int i = 0; i < n.length; i++) {
            Map.Entry<String, Object> e = it.next();
            n[i] = e.getKey();
            c[i] = e.getValue() == null ? null : e.getValue().getClass();
        }
        names = n;
        classes = c;
    }

    /** Forgets the shape (the schema changed underneath). */
    void clear() {
        names = new String[0];
        classes = new Class<?>[0];
    }
}
