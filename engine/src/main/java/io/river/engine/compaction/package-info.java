/**
 * Compaction: pickers decide what to merge ({@link io.river.engine.compaction.LeveledCompactionPicker},
 * {@link io.river.engine.compaction.SizeTieredCompactionPicker}), the
 * {@link io.river.engine.compaction.Compactor} merges inputs newest-first through a
 * {@link io.river.engine.compaction.MergingIterator} (dropping superseded versions and, at the last
 * level, tombstones; an upsert table's rows its deletion vectors mark dead are left out by a
 * {@link io.river.engine.compaction.LiveRowIterator}) and hands outputs to its
 * {@link io.river.engine.compaction.CompactionHost}, which installs them as one level edit.
 * Depends on {@code lsm} and below.
 */
package io.river.engine.compaction;
