package io.river.engine.scan;

import java.util.List;
import java.util.function.Predicate;

/**
 * What a scan reads: the columns (in output order; only these are decoded) and a block filter
 * that returns false for blocks that cannot hold a matching row (zone-map pruning). A null filter
 * reads every block. Immutable.
 */
public record ScanRequest(List<String> columns, Predicate<BlockStats> blockFilter) {
    public ScanRequest {
        columns = List.copyOf(columns);
    }

    public boolean accepts(BlockStats stats) {
        return blockFilter == null || blockFilter.test(stats);
    }
}
