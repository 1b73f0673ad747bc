package io.river.config;

import java.util.Objects;

/**
 * One configuration key, declared once: name, type, default, doc, validator and importance.
 * The server's flags, the connector's {@code ConfigDef} and the README's configuration table
 * are all derived from these declarations. Immutable and thread-safe.
 *
 * @param <T> the Java type of the parsed value (String, Integer, Long, Double, Boolean)
 */
public final class ConfigKey<T> {
    /** How much a user needs to know about a key; mirrors Kafka's ConfigDef.Importance. */
    public enum Importance {
        HIGH,
        MEDIUM,
        LOW
    }

    private final String name;
    private final ConfigType type;
    private final T defaultValue;
    private final boolean required;
    private final String doc;
    private final Validator validator;
    private final Importance importance;
    private final String group;
    private final String unlessSet;

    private ConfigKey(
            String name,
            ConfigType type,
            T defaultValue,
            boolean required,
            String doc,
            Validator validator,
            Importance importance,
            String group,
            String unlessSet) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = defaultValue;
        this.required = required;
        this.doc = Objects.requireNonNull(doc);
        this.validator = validator == null ? Validators.any() : validator;
        this.importance = importance;
        this.group = group;
        this.unlessSet = unlessSet;
    }

    static <T> ConfigKey<T> of(
            String name,
            ConfigType type,
            T defaultValue,
            Validator validator,
            Importance importance,
            String group,
            String doc) {
        return new ConfigKey<>(name, type, defaultValue, false, doc, validator, importance, group, null);
    }

    static <T> ConfigKey<T> required(
            String name, ConfigType type, Validator validator, Importance importance, String group, String doc) {
        return new ConfigKey<>(name, type, null, true, doc, validator, importance, group, null);
    }

    /** A key required unless {@code other} is set (to a non-blank value); absent then, it reads as null. */
    static <T> ConfigKey<T> requiredUnless(
            String name,
            String other,
            ConfigType type,
            Validator validator,
            Importance importance,
            String group,
            String doc) {
        return new ConfigKey<>(name, type, null, true, doc, validator, importance, group, other);
    }

    public String name() {
        return name;
    }

    public ConfigType type() {
        return type;
    }

    /** The default, or null when the key is required or has no default. */
    public T defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    /** The key whose value makes this required key optional, or null when it is always required. */
    public String requiredUnlessSet() {
        return unlessSet;
    }

    /** How the docs show the default: the value, "(required)" or "(required unless other.key)". */
    public String defaultText() {
        if (!required) {
            return String.valueOf(defaultValue);
        }
        return unlessSet == null ? "(required)" : "(required unless " + unlessSet + ")";
    }

    public String doc() {
        return doc;
    }

    public Validator validator() {
        return validator;
    }

    public Importance importance() {
        return importance;
    }

    /** The part of River the key belongs to: server, engine, http, lsm, connector. */
    public String group() {
        return group;
    }

    /** Parses and validates text for this key. */
    @SuppressWarnings("unchecked")
    public T parse(String text) {
        Object value = type.parse(name, text);
        validator.ensureValid(name, value);
        return (T) value;
    }

    @Override
    public String toString() {
        return name;
    }
}
