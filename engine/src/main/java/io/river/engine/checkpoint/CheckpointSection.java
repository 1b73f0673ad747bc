package io.river.engine.checkpoint;

import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.util.List;

/**
 * One memtable captured by a checkpoint: its table, the schema its rows fit, the LSN range of the
 * writes it holds and the newest version of each key (tombstones included) in key order.
 * Immutable.
 */
public record CheckpointSection(String table, TableSchema schema, long firstLsn, long lastLsn, List<Row> rows) {}
