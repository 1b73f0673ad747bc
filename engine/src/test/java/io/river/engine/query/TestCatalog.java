package io.river.engine.query;

import io.river.engine.scan.TableSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Catalog} over fixed snapshots, for tests. Thread-safe once built. */
final class TestCatalog implements Catalog {
    private final Map<String, TableSnapshot> tables = new LinkedHashMap<>();

    TestCatalog with(TableSnapshot snapshot) {
        tables.put(snapshot.table(), snapshot);
        return this;
    }

    @Override
    public TableSnapshot snapshot(String table) {
        TableSnapshot s = tables.get(table);
        if (s == null) {
            throw new QueryException(QueryException.UNKNOWN_TABLE, "table " + table + " does not exist");
        }
        return s;
    }

    @Override
    public List<String> tableNames() {
        return new ArrayList<>(tables.keySet());
    }
}
