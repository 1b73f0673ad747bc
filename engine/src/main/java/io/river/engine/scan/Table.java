package io.river.engine.scan;

import io.river.engine.model.Row;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table of the engine: name, mode, current schema, point reads and snapshots. Writes go through
 * {@code RiverEngine.write}. Thread-safe; reads never block writes for longer than a memtable
 * lookup.
 */
public interface Table {
    String name();

    TableMode mode();

    /** The current schema (the newest version). */
    TableSchema schema();

    /** What {@code CREATE TABLE} declared (key column, NOT NULL columns); {@link TableConstraints#NONE} if nothing. */
    default TableConstraints constraints() {
        return TableConstraints.NONE;
    }

    /** The table's own retention setting; {@link TableRetention#NONE} when it has none. */
    default TableRetention retentionSetting() {
        return TableRetention.NONE;
    }

    /** The retention in force (the table's own, else the engine's) in milliseconds; 0 keeps rows forever. */
    default long retentionMillis() {
        return 0;
    }

    /** The newest live version of the row with this primary key, or empty if absent or deleted. */
    Optional<Row> get(String pk);

    /**
     * Live rows with {@code fromInclusive <= pk < toExclusive} (null = unbounded) in key order, at
     * most {@code limit}, merged newest-version-first over memtables and every level, deletes
     * hidden. Reads one consistent version.
     */
    List<Row> range(String fromInclusive, String toExclusive, int limit);

    /** A consistent view for scans; the caller closes it. */
    TableSnapshot snapshot();

    /** Rows in memtables and segments before de-duplication (an upper bound of live rows). */
    long estimatedRows();

    /** Figures for /stats and /tables: memtable, levels, files, bytes, rows. */
    Map<String, Object> stats();
}
