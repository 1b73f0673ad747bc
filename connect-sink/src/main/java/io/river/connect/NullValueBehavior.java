package io.river.connect;

import java.util.Locale;

/** What a record with a null value (a tombstone) does; from {@code river.behavior.on.null.values}. */
enum NullValueBehavior {
    /** Deletes the key in upsert mode; in append mode the record is skipped. */
    DELETE,
    /** Skips the record (its offset still counts as handled). */
    IGNORE,
    /** Treats the record as a record error. */
    FAIL;

    static NullValueBehavior parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
