package io.river.engine.scan;

import java.util.concurrent.atomic.LongAdder;

/** Counters a scan fills as it runs; safe to update from many split threads. */
public final class ScanMetrics {
    public final LongAdder rowsScanned = new LongAdder();
    public final LongAdder blocksScanned = new LongAdder();
    public final LongAdder blocksSkipped = new LongAdder();
}
