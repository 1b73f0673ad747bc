package io.river.engine.scan;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * What a scan reads: the columns (in output order; only these are decoded), a block filter that
 * returns false for blocks that cannot hold a matching row (zone-map pruning; null reads every
 * block), whether the consumer takes dictionary-encoded string columns as codes ({@link
 * ScanBatch#dictionary(int)}) rather than decoded strings, whether it takes narrowed numeric columns as
 * their narrow stored integers ({@link ScanBatch#narrow(int)}; read-only requests only) rather than
 * widened, whether it only reads the vectors, so
 * that blocks in the block cache may be handed out in place (pinned while the batch is open)
 * instead of copied, and a read order: each split reads its blocks by ascending rank (a hint that
 * changes no answer, e.g. a top-N reads its most promising blocks first so its bar rises early and
 * the block filter skips more; null keeps the snapshot's order). Immutable.
 */
public record ScanRequest(
        List<String> columns,
        Predicate<BlockStats> blockFilter,
        boolean dictionaryCodes,
        boolean readOnly,
        ToDoubleFunction<BlockStats> readOrder,
        boolean narrowNumbers) {
    public ScanRequest {
        columns = List.copyOf(columns);
        if (narrowNumbers && !readOnly) {
            throw new IllegalArgumentException("narrow numbers are handed out only to read-only scans");
        }
    }

    /** A request whose numeric columns come widened. */
    public ScanRequest(
            List<String> columns,
            Predicate<BlockStats> blockFilter,
            boolean dictionaryCodes,
            boolean readOnly,
            ToDoubleFunction<BlockStats> readOrder) {
        this(columns, blockFilter, dictionaryCodes, readOnly, readOrder, false);
    }

    /** A request read in the snapshot's order. */
    public ScanRequest(
            List<String> columns, Predicate<BlockStats> blockFilter, boolean dictionaryCodes, boolean readOnly) {
        this(columns, blockFilter, dictionaryCodes, readOnly, null);
    }

    /** A request for private copies with decoded strings. */
    public ScanRequest(List<String> columns, Predicate<BlockStats> blockFilter) {
        this(columns, blockFilter, false, false);
    }

    public boolean accepts(BlockStats stats) {
        return blockFilter == null || blockFilter.test(stats);
    }
}
