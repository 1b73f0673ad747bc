package io.river.engine.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative counters of one engine, read by /stats and bound to Micrometer by the HTTP module
 * (function counters, so the engine does not depend on Micrometer). All fields are thread-safe
 * and only ever grow, except the gauges noted.
 */
public final class EngineMetrics {
    public final LongAdder rowsWritten = new LongAdder();
    public final LongAdder bytesWritten = new LongAdder();
    public final LongAdder batchesWritten = new LongAdder();
    public final LongAdder walSyncs = new LongAdder();
    public final LongAdder walSyncNanos = new LongAdder();
    public final LongAdder flushes = new LongAdder();
    public final LongAdder flushBytes = new LongAdder();
    public final LongAdder checkpoints = new LongAdder();
    public final LongAdder compactions = new LongAdder();
    /** Segment files and bytes the live scrub has verified, and damaged files it found. */
    public final LongAdder scrubbedSegments = new LongAdder();

    public final LongAdder scrubbedBytes = new LongAdder();
    public final LongAdder damagedSegments = new LongAdder();
    /** What retention removed from disk: whole segments (with their bytes and rows) and rows compaction left out. */
    public final LongAdder retentionSegmentsDropped = new LongAdder();

    public final LongAdder retentionBytesDropped = new LongAdder();
    public final LongAdder retentionRowsDropped = new LongAdder();
    public final LongAdder compactionBlocks = new LongAdder();
    public final LongAdder compactionBytesRead = new LongAdder();
    public final LongAdder compactionBytesWritten = new LongAdder();
    public final LongAdder compactionNanos = new LongAdder();
    public final LongAdder compactionCpuNanos = new LongAdder();
    public final LongAdder cacheHits = new LongAdder();
    public final LongAdder cacheMisses = new LongAdder();
    public final LongAdder writeStalls = new LongAdder();
    public final LongAdder writeSlowdowns = new LongAdder();
    public final LongAdder walTailsTruncated = new LongAdder();
    public final LongAdder pointReads = new LongAdder();
    /** Segments whose key range covered a point read (each one's bloom filter was asked). */
    public final LongAdder pointReadSegmentsProbed = new LongAdder();
    /** Gauge: the LSN most recently made durable. */
    public final AtomicLong syncedLsn = new AtomicLong();
}
