package io.river.engine.query;

import io.river.engine.scan.TableSnapshot;
import java.util.List;

/**
 * The tables a query can name. The engine's implementation hands out a fresh consistent snapshot
 * per call; the {@link QueryEngine} closes every snapshot it takes. Implementations must be
 * thread-safe: many queries resolve tables at once.
 */
public interface Catalog {
    /**
     * A snapshot of the table with exactly this name. Throws {@link QueryException} with code
     * {@code unknown_table} when there is none.
     */
    TableSnapshot snapshot(String table);

    /** Names of all tables, used to resolve names case-insensitively and in error messages. */
    List<String> tableNames();
}
