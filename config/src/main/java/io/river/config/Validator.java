package io.river.config;

/**
 * Checks one parsed configuration value. Implementations are immutable and thread-safe; they
 * throw {@link ConfigException} with a message that says what is allowed, and describe the
 * allowed values for docs (the README table and the connector's ConfigDef).
 */
public interface Validator {
    /** Throws {@link ConfigException} if the value is not allowed. The value is never null. */
    void ensureValid(String key, Object value);

    /** What is allowed, in a few words ("one of [batch, always, interval]", "[1, ...]"). */
    String describe();
}
