/**
 * The LSM tree of one table: {@link io.river.engine.lsm.LsmTable} (active and frozen memtables plus
 * L0-L6 of segments, as immutable reference-counted {@link io.river.engine.lsm.TableVersion}s),
 * {@link io.river.engine.lsm.LevelEdit} (a change to the levels, applied alike to the manifest and the
 * version), {@link io.river.engine.lsm.SegmentHandle} (an open segment deleted only when obsolete and
 * unread), {@link io.river.engine.lsm.LsmSnapshot} (scans and point reads over one version),
 * {@link io.river.engine.lsm.Retention} (a table's retention: the cutoff every read applies, the
 * zone-map test of whole files, the row filter compaction applies) and, for upsert tables,
 * {@link io.river.engine.lsm.DeletionVectors} (dead-row bitmaps per memtable and segment and a
 * {@link io.river.engine.lsm.PrimaryKeyIndex}, maintained on write, so scans skip superseded rows
 * without reading keys).
 */
package io.river.engine.lsm;
