package io.river.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, validated set of River configuration values. Built from string key/value pairs
 * (properties, YAML, environment, command line; see {@link ConfigLoader}); every key must be one
 * of {@link RiverConfigKeys#ALL}, every value must parse and pass its validator, and every
 * required key must be present, or {@link ConfigException} names the first offender. Thread-safe.
 */
public final class RiverConfig {
    private final Map<String, Object> values;
    private final Map<String, String> originals;

    private RiverConfig(Map<String, Object> values, Map<String, String> originals) {
        this.values = values;
        this.originals = originals;
    }

    /** Parses and validates; unknown keys are rejected. */
    public static RiverConfig from(Map<String, String> raw) {
        return from(raw, false);
    }

    /**
     * Parses and validates. With {@code ignoreUnknown}, keys not starting with {@code river.} are
     * skipped (the connector's config also holds Kafka's own keys); an unknown {@code river.} key
     * is always an error.
     */
    public static RiverConfig from(Map<String, String> raw, boolean ignoreUnknown) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> originals = new TreeMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            ConfigKey<?> key = RiverConfigKeys.byName(e.getKey());
            if (key == null) {
                if (ignoreUnknown && !e.getKey().startsWith("river.")) {
                    continue;
                }
                throw new ConfigException(e.getKey(), "unknown key; run with --help-config for the list of keys");
            }
            if (e.getValue() == null) {
                throw new ConfigException(e.getKey(), "has no value");
            }
            values.put(key.name(), key.parse(e.getValue()));
            originals.put(key.name(), e.getValue());
        }
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            if (!values.containsKey(key.name())) {
                if (key.isRequired() && !isSet(raw, key.requiredUnlessSet())) {
                    throw new ConfigException(key.name(), "is required: " + key.doc());
                }
                values.put(key.name(), key.defaultValue());
            }
        }
        int slowdown = (Integer) values.get(RiverConfigKeys.L0_SLOWDOWN_FILES.name());
        int stop = (Integer) values.get(RiverConfigKeys.L0_STOP_FILES.name());
        if (stop < slowdown) {
            throw new ConfigException(
                    RiverConfigKeys.L0_STOP_FILES.name(),
                    "must be at least river.l0.slowdown.files (" + slowdown + "), got " + stop);
        }
        return new RiverConfig(Collections.unmodifiableMap(values), Collections.unmodifiableMap(originals));
    }

    private static boolean isSet(Map<String, String> raw, String key) {
        String value = key == null ? null : raw.get(key);
        return value != null && !value.isBlank();
    }

    /** The value of a key (its default when not set). */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key.name());
    }

    /** The values set explicitly, as given (secrets included: do not log this). */
    public Map<String, String> originals() {
        return originals;
    }

    /** A copy with some values replaced, validated again. */
    public RiverConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(originals);
        merged.putAll(overrides);
        return from(merged);
    }

    /** Values as strings with secrets masked, for logs and /stats. */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            Object v = values.get(key.name());
            if (key.type() == ConfigType.PASSWORD && v != null && !v.toString().isEmpty()) {
                out.put(key.name(), "[hidden]");
            } else {
                out.put(key.name(), String.valueOf(v));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RiverConfig" + describe();
    }
}
