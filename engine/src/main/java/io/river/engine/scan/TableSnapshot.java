package io.river.engine.scan;

import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.util.List;

/**
 * A consistent, immutable view of one table at one moment: its memtables and segments at one
 * version, so concurrent writes, flushes and compactions never change what it returns. Upsert
 * tables show only the newest version of each key and no deleted row. Holds references that keep
 * its files alive: close it when done. Thread-safe; its splits may be read in parallel.
 */
public interface TableSnapshot extends AutoCloseable {
    String table();

    TableSchema schema();

    TableMode mode();

    /** Rows in the snapshot before de-duplication, a cheap upper bound. */
    long estimatedRows();

    /** The scan split into independent parts (at least one), each readable by its own thread. */
    List<ScanSplit> splits(ScanRequest request, ScanMetrics metrics);

    @Override
    void close();
}
