package io.river.engine.compaction;

import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import java.util.List;

/**
 * Size-tiered compaction in the manner of Cassandra's STCS and RocksDB's universal style: every
 * sorted run stays in L0, newest first, and a window of at least {@code minRuns} runs that are
 * contiguous in age and of similar size (each within {@code bucketRatio}x of the window's
 * average) is merged into one run in its place. Merging only age-contiguous runs keeps "newer run
 * wins" correct. When runs pile up past {@code maxRuns}, the newest {@code minRuns} are merged
 * regardless of size. Tombstones are dropped only when the window reaches the oldest run. Lower
 * write amplification than leveled, at the cost of more runs per read. Stateless.
 */
public final class SizeTieredCompactionPicker implements CompactionPicker {
    private final int minRuns;
    private final int maxRuns;
    private final double bucketRatio;

    public SizeTieredCompactionPicker(int minRuns, int maxRuns, double bucketRatio) {
        this.minRuns = Math.max(2, minRuns);
        this.maxRuns = Math.max(this.minRuns, maxRuns);
        this.bucketRatio = bucketRatio;
    }

    @Override
    public CompactionTask pick(String table, TableVersion v) {
        List<SegmentHandle> runs = v.level(0);
        int n = runs.size();
        if (n < minRuns) {
            return null;
        }
        // Longest window of similar-sized, age-contiguous runs, preferring the newest (smallest) ones.
        for (int start = 0; start + minRuns <= n; start++) {
            int end = start;
            double sum = 0;
            while (end < n) {
                long size = runs.get(end).entry().sizeBytes();
                double avg = end == start ? size : sum / (end - start);
                if (end > start && (size > avg * bucketRatio || size < avg / bucketRatio)) {
                    break;
                }
                sum += size;
                end++;
            }
            if (end - start >= minRuns) {
                return task(table, runs, start, end, "size tier of " + (end - start) + " similar runs");
            }
        }
        if (n > maxRuns) {
            return task(table, runs, 0, minRuns, n + " runs exceed " + maxRuns);
        }
        return null;
    }

    private CompactionTask task(String table, List<SegmentHandle> runs, int start, int end, String reason) {
        boolean drop = end == runs.size();
        return new CompactionTask(table, List.copyOf(runs.subList(start, end)), 0, drop, false, reason);
    }
}
