package io.river.engine.wal;

import java.util.Locale;

/**
 * When a WAL append is fsynced relative to its acknowledgement ({@code river.wal.sync}).
 * <ul>
 *   <li>{@link #BATCH}: the writer waits in {@link WalWriter#awaitDurable} for an fsync that covers
 *       its entry; concurrent writers share one fsync (group commit).</li>
 *   <li>{@link #ALWAYS}: {@link WalWriter#append} fsyncs each entry on its own before returning.</li>
 *   <li>{@link #INTERVAL}: writes are acknowledged at once; a background thread fsyncs every
 *       {@code river.wal.sync.interval.ms}, so a crash may lose that window.</li>
 * </ul>
 */
public enum WalSyncPolicy {
    BATCH,
    ALWAYS,
    INTERVAL;

    /** Parses a config value ({@code batch}, {@code always}, {@code interval}; any case). */
    public static WalSyncPolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown WAL sync policy '" + text + "': use batch, always or interval");
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
