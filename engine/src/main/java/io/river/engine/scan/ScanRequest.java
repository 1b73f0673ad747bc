package io.river.engine.scan;

import java.util.List;
import java.util.function.Predicate;

/**
 * What a scan reads: the columns (in output order; only these are decoded), a block filter that
 * returns false for blocks that cannot hold a matching row (zone-map pruning; null reads every
 * block), whether the consumer takes dictionary-encoded string columns as codes ({@link
 * ScanBatch#dictionary(int)}) rather than decoded strings, and whether it only reads the vectors,
 * so that blocks in the block cache may be handed out in place (pinned while the batch is open)
 * instead of copied. Immutable.
 */
public record ScanRequest(
        List<String> columns, Predicate<BlockStats> blockFilter, boolean dictionaryCodes, boolean readOnly) {
    public ScanRequest {
        columns = List.copyOf(columns);
    }

    /** A request for private copies with decoded strings. */
    public ScanRequest(List<String> columns, Predicate<BlockStats> blockFilter) {
        this(columns, blockFilter, false, false);
    }

    public boolean accepts(BlockStats stats) {
        return blockFilter == null || blockFilter.test(stats);
    }
}
