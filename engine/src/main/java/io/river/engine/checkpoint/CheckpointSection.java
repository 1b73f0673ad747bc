package io.river.engine.checkpoint;

import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;

/**
 * One memtable captured by a checkpoint: its table, the schema its rows fit, the LSN range of the
 * writes it holds and the newest version of each key (tombstones included) in key order, in columns.
 * Immutable.
 */
public record CheckpointSection(String table, TableSchema schema, long firstLsn, long lastLsn, TableColumns rows) {}
