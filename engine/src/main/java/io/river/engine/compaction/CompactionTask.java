package io.river.engine.compaction;

import io.river.engine.lsm.SegmentHandle;
import java.util.List;

/**
 * One compaction chosen by a {@link CompactionPicker}: input files in priority order (newest data
 * first: the merge keeps the first version of each key it meets), the level the output goes to,
 * whether tombstones may be dropped (no older data for the range survives outside the inputs),
 * and whether it is a trivial move (one file re-levelled without rewriting). Immutable.
 */
public record CompactionTask(
        String table,
        List<SegmentHandle> inputs,
        int outputLevel,
        boolean dropTombstones,
        boolean trivialMove,
        String reason) {}
