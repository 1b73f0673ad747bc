package io.river.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The plugin's version, from {@code io/river/connect/version.properties} (filled in by Maven at
 * build time), else the jar manifest's Implementation-Version, else {@code unknown}. Read once;
 * thread-safe.
 */
final class Version {
    private static final String VERSION = load();

    private Version() {}

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties props = new Properties();
                props.load(in);
                String v = props.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
