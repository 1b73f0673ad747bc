package io.river.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.river.engine.metrics.EngineMetrics;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer registry behind {@code GET /metrics} (Prometheus text format). The engine's
 * cumulative {@link EngineMetrics} are bound as function counters and timers (read at scrape
 * time, so the engine stays free of Micrometer); HTTP requests and SQL queries are timed here
 * with latency histograms; JVM and process figures come from Micrometer's binders. Thread-safe.
 */
final class ServerMetrics implements AutoCloseable {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /**
     * The request timers by (method, route, status): a request looks its timer up here instead of
     * building a meter id and asking the registry (tag sorting, id allocation) each time. Bounded: the
     * routes are the server's path templates (or "unmatched"), the methods and statuses few.
     */
    private final ConcurrentHashMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    /** The query timers by outcome, for the same reason. */
    private final ConcurrentHashMap<String, Timer> queryTimers = new ConcurrentHashMap<>();

    private volatile boolean engineBound;

    private record RequestKey(String method, String route, int status) {}

    ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Binds an engine's counters; the first engine wins (one engine per server). */
    synchronized void bindEngine(EngineMetrics m, java.util.function.BooleanSupplier ready) {
        if (engineBound) {
            return;
        }
        engineBound = true;
        counter("river.ingest.rows", "Rows written (all tables)", m, x -> sum(x.rowsWritten), null);
        counter("river.ingest.bytes", "Bytes of row data written", m, x -> sum(x.bytesWritten), "bytes");
        counter("river.ingest.batches", "Write batches (WAL entries)", m, x -> sum(x.batchesWritten), null);
        timer("river.wal.sync", "WAL fsyncs and the time they took", m, x -> x.walSyncs, x -> x.walSyncNanos);
        counter(
                "river.wal.tails.truncated",
                "Torn WAL tails cut during recovery",
                m,
                x -> sum(x.walTailsTruncated),
                null);
        counter("river.flushes", "Memtables flushed to L0 segments", m, x -> sum(x.flushes), null);
        counter("river.flush.bytes", "Bytes written by flushes", m, x -> sum(x.flushBytes), "bytes");
        counter("river.checkpoints", "Checkpoints written", m, x -> sum(x.checkpoints), null);
        timer(
                "river.compaction",
                "Compactions and the wall time they took",
                m,
                x -> x.compactions,
                x -> x.compactionNanos);
        counter("river.compaction.blocks", "Blocks compacted", m, x -> sum(x.compactionBlocks), null);
        counter(
                "river.scrub.segments",
                "Segment files the live scrub verified",
                m,
                x -> sum(x.scrubbedSegments),
                "files");
        counter("river.scrub.read", "Bytes the live scrub verified", m, x -> sum(x.scrubbedBytes), "bytes");
        counter(
                "river.scrub.damaged",
                "Damaged segment files the live scrub found",
                m,
                x -> sum(x.damagedSegments),
                "files");
        counter(
                "river.retention.segments.dropped",
                "Segment files dropped whole because every row was past its table's retention",
                m,
                x -> sum(x.retentionSegmentsDropped),
                "files");
        counter(
                "river.retention.dropped",
                "Bytes of segment files dropped by retention",
                m,
                x -> sum(x.retentionBytesDropped),
                "bytes");
        counter(
                "river.retention.rows.dropped",
                "Rows removed from disk by retention (dropped files and compaction)",
                m,
                x -> sum(x.retentionRowsDropped),
                null);
        counter("river.compaction.read", "Bytes read by compactions", m, x -> sum(x.compactionBytesRead), "bytes");
        counter(
                "river.compaction.written",
                "Bytes written by compactions",
                m,
                x -> sum(x.compactionBytesWritten),
                "bytes");
        counter(
                "river.compaction.cpu",
                "CPU time spent compacting",
                m,
                x -> sum(x.compactionCpuNanos) / 1e9,
                "seconds");
        counter("river.cache.hits", "Block cache hits", m, x -> sum(x.cacheHits), null);
        counter("river.cache.misses", "Block cache misses", m, x -> sum(x.cacheMisses), null);
        counter("river.write.stalls", "Writes that waited for compaction (L0 stop)", m, x -> sum(x.writeStalls), null);
        counter("river.write.slowdowns", "Writes slowed down by L0 depth", m, x -> sum(x.writeSlowdowns), null);
        Gauge.builder("river.wal.synced.lsn", m, x -> x.syncedLsn.get())
                .description("The LSN most recently made durable")
                .register(registry);
        // Micrometer holds a gauge's object weakly; the supplier lives nowhere else, so hold it strongly.
        Gauge.builder("river.engine.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 once the engine has recovered and serves")
                .strongReference(true)
                .register(registry);
    }

    private void counter(String name, String doc, EngineMetrics m, ToDoubleFunction<EngineMetrics> f, String unit) {
        FunctionCounter.builder(name, m, f).description(doc).baseUnit(unit).register(registry);
    }

    private void timer(
            String name,
            String doc,
            EngineMetrics m,
            java.util.function.Function<EngineMetrics, LongAdder> count,
            java.util.function.Function<EngineMetrics, LongAdder> nanos) {
        FunctionTimer.builder(
                        name, m, x -> count.apply(x).sum(), x -> nanos.apply(x).sum(), TimeUnit.NANOSECONDS)
                .description(doc)
                .register(registry);
    }

    private static double sum(LongAdder a) {
        return a.sum();
    }

    /**
     * The timer of HTTP requests with this method, route (the matched path template or "unmatched")
     * and status, made on first use. A caller that answers one route may keep it instead of asking per
     * request (what {@link FastGetHandler} does for its 200 answers).
     */
    Timer requestTimer(String method, String route, int status) {
        String m = METHODS.contains(method) ? method : "OTHER";
        return requestTimers.computeIfAbsent(new RequestKey(m, route, status), this::requestTimer);
    }

    private Timer requestTimer(RequestKey key) {
        return Timer.builder("river.http.requests")
                .description("HTTP requests by route, method and status")
                .tag("method", key.method())
                .tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /** Records one SQL query by outcome (ok, error). */
    void recordQuery(String outcome, long nanos) {
        queryTimers.computeIfAbsent(outcome, this::queryTimer).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer queryTimer(String outcome) {
        return Timer.builder("river.query")
                .description("SQL queries and their latency")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
