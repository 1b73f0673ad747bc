package io.river.engine.model;

import java.util.Locale;

/**
 * How rows of a table are keyed. APPEND: each record is a row keyed by partition/offset (keys are
 * unique by construction, so scans need no de-duplication); UPSERT: keyed by the record key, last
 * write wins, a tombstone deletes.
 */
public enum TableMode {
    APPEND,
    UPSERT;

    public static TableMode parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
