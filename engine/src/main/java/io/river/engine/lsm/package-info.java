/**
 * The LSM tree of one table: {@link io.river.engine.lsm.LsmTable} (active and frozen memtables plus
 * L0-L6 of segments, as immutable reference-counted {@link io.river.engine.lsm.TableVersion}s),
 * {@link io.river.engine.lsm.LevelEdit} (a change to the levels, applied alike to the manifest and the
 * version), {@link io.river.engine.lsm.SegmentHandle} (an open segment deleted only when obsolete and
 * unread) and {@link io.river.engine.lsm.LsmSnapshot} (scans and point reads over one version).
 */
package io.river.engine.lsm;
