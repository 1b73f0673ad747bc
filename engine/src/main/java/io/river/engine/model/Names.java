package io.river.engine.model;

import java.util.regex.Pattern;

/**
 * Table and column naming rules: {@code [A-Za-z_][A-Za-z0-9_]{0,127}}. Every name that reaches a
 * file path or a schema passes through here first.
 */
public final class Names {
    private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private Names() {}

    /** Whether the name matches {@link #VALID}; checked by hand, as it runs for every field of every row. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 128) {
            return false;
        }
        char first = name.charAt(0);
        if (!(first == '_' || (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** The regular expression {@link #isValid} implements (kept for tests and messages). */
    static boolean matchesPattern(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    public static String checkTable(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(
                    "invalid table name '" + name + "': must match [A-Za-z_][A-Za-z0-9_]{0,127}");
        }
        return name;
    }

    public static String checkColumn(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(
                    "invalid column name '" + name + "': must match [A-Za-z_][A-Za-z0-9_]{0,127}");
        }
        return name;
    }

    /**
     * Maps any string (a topic name such as {@code orders.v1-eu}) to a valid name: characters
     * outside [A-Za-z0-9_] become '_', a leading digit gets a '_' prefix, and it is cut to 128.
     */
    public static String sanitize(String raw) {
        StringBuilder sb = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            sb.append(ok ? c : '_');
        }
        if (sb.length() == 0 || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.length() > 128 ? sb.substring(0, 128) : sb.toString();
    }
}
