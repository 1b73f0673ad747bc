package io.river.engine.wal;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.metrics.EngineMetrics;
import java.util.Objects;

/**
 * Settings of one {@link WalWriter}: sync policy, background sync interval (used by
 * {@link WalSyncPolicy#INTERVAL} only), file size at which the WAL rolls to a new file, and the
 * metrics that count fsyncs ({@code walSyncs}, {@code walSyncNanos}, {@code syncedLsn}). Immutable;
 * a null {@code metrics} gets a private instance.
 */
public record WalOptions(WalSyncPolicy syncPolicy, long syncIntervalMs, long fileMaxBytes, EngineMetrics metrics) {
    public WalOptions {
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        if (syncIntervalMs <= 0) {
            throw new IllegalArgumentException("syncIntervalMs must be positive: " + syncIntervalMs);
        }
        if (fileMaxBytes <= WalEntryFormat.FILE_HEADER_BYTES) {
            throw new IllegalArgumentException("fileMaxBytes must exceed the file header: " + fileMaxBytes);
        }
        if (metrics == null) {
            metrics = new EngineMetrics();
        }
    }

    /** Options from {@code river.wal.sync}, {@code river.wal.sync.interval.ms} and {@code river.wal.file.max.bytes}. */
    public static WalOptions from(RiverConfig config, EngineMetrics metrics) {
        return new WalOptions(
                WalSyncPolicy.parse(config.get(RiverConfigKeys.WAL_SYNC)),
                config.get(RiverConfigKeys.WAL_SYNC_INTERVAL_MS),
                config.get(RiverConfigKeys.WAL_FILE_MAX_BYTES),
                metrics);
    }

    public WalOptions withSyncPolicy(WalSyncPolicy policy) {
        return new WalOptions(policy, syncIntervalMs, fileMaxBytes, metrics);
    }

    public WalOptions withFileMaxBytes(long bytes) {
        return new WalOptions(syncPolicy, syncIntervalMs, bytes, metrics);
    }
}
