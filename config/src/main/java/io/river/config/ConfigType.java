package io.river.config;

import java.util.Locale;

/**
 * The value types a configuration key can have, each with its parser from text. Parsing is
 * strict: "12abc" is not an INT, "yes" is not a BOOLEAN. Sizes (LONG keys) accept the suffixes
 * k, m, g (powers of 1024) so that "64m" reads as 67108864.
 */
public enum ConfigType {
    STRING,
    PASSWORD,
    INT,
    LONG,
    DOUBLE,
    BOOLEAN;

    /** Parses text into this type's Java value; throws {@link ConfigException} naming the key. */
    public Object parse(String key, String text) {
        String s = text.trim();
        try {
            switch (this) {
                case STRING:
                case PASSWORD:
                    return text;
                case INT:
                    return Integer.parseInt(s);
                case LONG:
                    return parseSize(s);
                case DOUBLE:
                    return Double.parseDouble(s);
                case BOOLEAN:
                    if (s.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (s.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    throw new ConfigException(key, "expected true or false, got '" + text + "'");
                default:
                    throw new IllegalStateException(name());
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected " + describe() + ", got '" + text + "'");
        }
    }

    /** Human words for the type, used in error messages and docs. */
    public String describe() {
        switch (this) {
            case INT:
                return "an integer";
            case LONG:
                return "an integer (size suffixes k, m, g allowed)";
            case DOUBLE:
                return "a number";
            case BOOLEAN:
                return "true or false";
            case PASSWORD:
                return "a secret string";
            default:
                return "a string";
        }
    }

    private static long parseSize(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        long multiplier = 1;
        if (lower.endsWith("b") && lower.length() > 1 && !Character.isDigit(lower.charAt(lower.length() - 2))) {
            lower = lower.substring(0, lower.length() - 1);
        }
        if (lower.endsWith("k")) {
            multiplier = 1L << 10;
        } else if (lower.endsWith("m")) {
            multiplier = 1L << 20;
        } else if (lower.endsWith("g")) {
            multiplier = 1L << 30;
        }
        if (multiplier != 1) {
            lower = lower.substring(0, lower.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(lower), multiplier);
    }
}
