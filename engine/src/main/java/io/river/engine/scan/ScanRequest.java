package io.river.engine.scan;

import java.util.List;
import java.util.function.Predicate;

/**
 * What a scan reads: the columns (in output order; only these are decoded), a block filter that
 * returns false for blocks that cannot hold a matching row (zone-map pruning; null reads every
 * block), and whether the consumer takes dictionary-encoded string columns as codes ({@link
 * ScanBatch#dictionary(int)}) rather than decoded strings. Immutable.
 */
public record ScanRequest(List<String> columns, Predicate<BlockStats> blockFilter, boolean dictionaryCodes) {
    public ScanRequest {
        columns = List.copyOf(columns);
    }

    /** A request for decoded strings only. */
    public ScanRequest(List<String> columns, Predicate<BlockStats> blockFilter) {
        this(columns, blockFilter, false);
    }

    public boolean accepts(BlockStats stats) {
        return blockFilter == null || blockFilter.test(stats);
    }
}
