package io.river.config;

/**
 * A configuration value that is unknown, missing or invalid. The message is one line that names
 * the key and says what is allowed, fit to be printed as-is when start-up refuses to go on.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String message) {
        super(key == null ? message : "Invalid configuration '" + key + "': " + message);
        this.key = key;
    }

    /** The offending key, or null when the problem is not tied to one key. */
    public String key() {
        return key;
    }
}
