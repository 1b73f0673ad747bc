package io.river.engine;

import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.TableEntry;
import io.river.engine.memtable.Memtable;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.wal.WalWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of {@code /stats}: memtables, WAL, checkpoint, levels, cache, reads, ingest and
 * write amplification, recovery, source positions and per-table figures. Each table is read at
 * one version. Confined to the calling thread.
 */
final class EngineStats {
    private final EngineState state;
    private final EngineMetrics metrics;
    private long memBytes;
    private long memKeys;
    private int immutables;
    private final long[] levelFiles = new long[TableEntry.LEVELS];
    private final long[] levelBytes = new long[TableEntry.LEVELS];
    private final long[] levelRows = new long[TableEntry.LEVELS];
    private final List<Map<String, Object>> tables = new ArrayList<>();

    private EngineStats(EngineState state) {
        this.state = state;
        this.metrics = state.metrics();
    }

    static Map<String, Object> of(EngineState state) {
        EngineStats s = new EngineStats(state);
        for (LsmTable t : state.tables()) {
            s.add(t);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("memtable", s.memtable());
        out.put("wal", s.wal());
        out.put("checkpoint", s.checkpoint());
        out.put("levels", s.levels());
        out.put("cache", s.cache());
        out.put("reads", s.reads());
        out.put("ingest", s.ingest());
        out.put("recovery", Map.of("millis", state.recoveryMillis(), "walEntriesReplayed", state.recoveredEntries()));
        Map<String, Long> positions = new TreeMap<>();
        state.durablePositions().forEach((k, v) -> positions.put(k.toString(), v));
        out.put("sourcePositions", positions);
        out.put("tables", s.tables);
        return out;
    }

    private void add(LsmTable t) {
        TableVersion v = t.acquire();
        try {
            List<Memtable> memtables = new ArrayList<>(v.immutables());
            memtables.add(v.active());
            for (Memtable m : memtables) {
                memBytes += m.sizeBytes();
                memKeys += m.keyCount();
            }
            immutables += v.immutables().size();
            for (int i = 0; i < v.levels().size(); i++) {
                for (SegmentHandle h : v.level(i)) {
                    levelFiles[i]++;
                    levelBytes[i] += h.entry().sizeBytes();
                    levelRows[i] += h.entry().rows();
                }
            }
        } finally {
            v.release();
        }
        tables.add(t.stats());
    }

    private Map<String, Object> memtable() {
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("bytes", memBytes);
        mem.put("keys", memKeys);
        mem.put("immutable", immutables);
        mem.put("maxBytes", state.memtableMaxBytes());
        return mem;
    }

    private Map<String, Object> wal() {
        WalWriter wal = state.wal();
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("syncPolicy", state.syncPolicy().name().toLowerCase(Locale.ROOT));
        w.put("lastLsn", wal.lastLsn());
        w.put("syncedLsn", wal.syncedLsn());
        w.put("files", wal.fileCount());
        w.put("bytes", wal.totalBytes());
        long syncs = metrics.walSyncs.sum();
        w.put("syncs", syncs);
        w.put("avgSyncMicros", syncs == 0 ? 0 : metrics.walSyncNanos.sum() / syncs / 1000);
        w.put("tailsTruncatedAtStartup", metrics.walTailsTruncated.sum());
        return w;
    }

    private Map<String, Object> checkpoint() {
        Manifest.CheckpointRef ref = state.versions().current().checkpoint();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("lsn", ref == null ? null : ref.lsn());
        c.put("file", ref == null ? null : ref.file());
        c.put("count", metrics.checkpoints.sum());
        return c;
    }

    private List<Map<String, Object>> levels() {
        List<Map<String, Object>> levels = new ArrayList<>();
        for (int i = 0; i < TableEntry.LEVELS; i++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("level", i);
            l.put("files", levelFiles[i]);
            l.put("bytes", levelBytes[i]);
            l.put("rows", levelRows[i]);
            levels.add(l);
        }
        return levels;
    }

    private Map<String, Object> cache() {
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("hits", metrics.cacheHits.sum());
        cache.put("misses", metrics.cacheMisses.sum());
        cache.put("bytes", state.blockCache().sizeBytes());
        cache.put("maxBytes", state.blockCache().capacityBytes());
        return cache;
    }

    private Map<String, Object> reads() {
        Map<String, Object> reads = new LinkedHashMap<>();
        long pointReads = metrics.pointReads.sum();
        reads.put("pointReads", pointReads);
        reads.put("segmentsProbedPerRead", ratio(metrics.pointReadSegmentsProbed.sum(), pointReads));
        return reads;
    }

    /**
     * Ingest figures. Segment write amplification: how often a byte that reached a segment was
     * written again by compaction (compression-neutral). Disk: everything written (WAL and
     * segments) per WAL byte.
     */
    private Map<String, Object> ingest() {
        long ingested = metrics.bytesWritten.sum();
        long flushed = metrics.flushBytes.sum();
        long compacted = metrics.compactionBytesWritten.sum();
        Map<String, Object> ingest = new LinkedHashMap<>();
        ingest.put("rows", metrics.rowsWritten.sum());
        ingest.put("bytes", ingested);
        ingest.put("batches", metrics.batchesWritten.sum());
        ingest.put("flushes", metrics.flushes.sum());
        ingest.put("segmentWriteAmplification", ratio(flushed + compacted, flushed));
        ingest.put("diskWriteAmplification", ratio(ingested + flushed + compacted, ingested));
        return ingest;
    }

    /** {@code a / b} rounded to two decimals; 0 when {@code b} is 0. */
    private static double ratio(long a, long b) {
        return b == 0 ? 0.0 : Math.round(100.0 * a / b) / 100.0;
    }
}
