package io.river.engine.query;

import io.river.engine.RiverEngine;
import io.river.engine.scan.Table;
import io.river.engine.scan.TableSnapshot;
import java.util.List;

/**
 * The {@link Catalog} of a {@link RiverEngine}: its tables, each queried through a fresh snapshot
 * (memtables and segments at one version). Thread-safe, as the engine is; holds nothing itself.
 */
public final class EngineCatalog implements Catalog {
    private final RiverEngine engine;

    public EngineCatalog(RiverEngine engine) {
        this.engine = engine;
    }

    @Override
    public TableSnapshot snapshot(String table) {
        return engine.table(table)
                .orElseThrow(
                        () -> new QueryException(QueryException.UNKNOWN_TABLE, "table " + table + " does not exist"))
                .snapshot();
    }

    @Override
    public List<String> tableNames() {
        return engine.tables().stream().map(Table::name).toList();
    }
}
