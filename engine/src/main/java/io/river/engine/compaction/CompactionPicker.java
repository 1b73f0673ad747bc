package io.river.engine.compaction;

import io.river.engine.lsm.TableVersion;

/**
 * Chooses the next compaction of a table, or null when the tree is in shape. Implementations keep
 * these rules: inputs are listed newest data first; inputs of one level are contiguous in that
 * level's recency (L0, size-tiered runs) or key order (leveled L1+); every file of the output
 * level that overlaps the inputs' key range is an input too, so levels L1+ stay non-overlapping;
 * tombstones are dropped only when no file outside the inputs can hold an older version of a key
 * in range. Pickers are stateless apart from round-robin cursors and are called from one thread
 * per table.
 */
public interface CompactionPicker {
    CompactionTask pick(String table, TableVersion version);
}
