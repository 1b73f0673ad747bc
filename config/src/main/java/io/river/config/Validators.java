package io.river.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Factory of the validators River's keys use. All are immutable and thread-safe. */
public final class Validators {
    private Validators() {}

    /** Accepts anything. */
    public static Validator any() {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {}

            @Override
            public String describe() {
                return "";
            }
        };
    }

    /** A number in [min, max]; either bound may be null for open. */
    public static Validator range(Number min, Number max) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                double v = ((Number) value).doubleValue();
                if ((min != null && v < min.doubleValue()) || (max != null && v > max.doubleValue())) {
                    throw new ConfigException(key, "value " + value + " is out of range, allowed " + describe());
                }
            }

            @Override
            public String describe() {
                return "[" + (min == null ? "..." : min) + ", " + (max == null ? "..." : max) + "]";
            }
        };
    }

    /** One of the given strings, compared case-sensitively. */
    public static Validator oneOf(String... allowed) {
        List<String> list = Arrays.asList(allowed);
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (!list.contains(value)) {
                    throw new ConfigException(key, "'" + value + "' is not allowed, expected one of " + list);
                }
            }

            @Override
            public String describe() {
                return "one of " + list;
            }
        };
    }

    /** A non-empty (after trimming) string. */
    public static Validator nonEmpty() {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value.toString().trim().isEmpty()) {
                    throw new ConfigException(key, "must not be empty");
                }
            }

            @Override
            public String describe() {
                return "non-empty string";
            }
        };
    }

    /** A string matching the regular expression in whole; the description is shown to users. */
    public static Validator matches(String regex, String description) {
        Pattern pattern = Pattern.compile(regex);
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (!pattern.matcher(value.toString()).matches()) {
                    throw new ConfigException(key, "'" + value + "' is not " + description);
                }
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
