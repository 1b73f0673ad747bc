package io.river.engine;

import io.river.engine.lsm.LsmTable;
import io.river.engine.model.Mutation;
import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SchemaException;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schemas a batch needs and its rows by table, worked out against the tables (and their
 * schemas) in {@code base}; {@link #unchanged} tells whether it still holds. Immutable.
 */
record BatchEvolution(
        Map<String, LsmTable> base,
        Map<String, TableSchema> baseSchemas,
        Map<String, TableSchema> schemas,
        Map<String, List<Row>> byTable) {
    boolean unchanged(Map<String, LsmTable> tables) {
        for (Map.Entry<String, LsmTable> e : base.entrySet()) {
            LsmTable now = tables.get(e.getKey());
            if (now != e.getValue() || now.schema() != baseSchemas.get(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks every mutation (its table exists, a delete is allowed, the NOT NULL columns of the
     * table's {@link io.river.engine.model.TableConstraints} hold values) and evolves each table's
     * schema to hold its rows; throws on a refused row.
     */
    static BatchEvolution of(List<Mutation> muts, Map<String, LsmTable> tables) {
        Map<String, LsmTable> base = new HashMap<>();
        Map<String, TableSchema> baseSchemas = new HashMap<>();
        Map<String, TableSchema> schemas = new HashMap<>();
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        for (int i = 0; i < muts.size(); i++) {
            Mutation mu = muts.get(i);
            LsmTable t = tables.get(mu.table());
            if (t == null) {
                throw new IllegalArgumentException("unknown table '" + mu.table() + "'");
            }
            if (mu.row().isTombstone() && t.mode() == TableMode.APPEND) {
                throw new RowRejectedException(i, "table '" + t.name() + "' is append-only: deletes are not allowed");
            }
            TableSchema s = schemas.get(t.name());
            if (s == null) {
                s = t.schema();
                base.put(t.name(), t);
                baseSchemas.put(t.name(), s);
            }
            String missing = t.constraints().firstMissing(mu.row());
            if (missing != null) {
                throw new RowRejectedException(
                        i,
                        "table '" + t.name() + "': column '" + missing + "' is NOT NULL" + " and the row "
                                + (mu.row().values().containsKey(missing) ? "holds NULL" : "lacks it"),
                        missing);
            }
            try {
                schemas.put(t.name(), s.evolve(mu.row()));
            } catch (SchemaException e) {
                throw new RowRejectedException(
                        i, "table '" + t.name() + "', key '" + mu.row().pk() + "': " + e.getMessage(), e.column());
            }
            byTable.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(mu.row());
        }
        return new BatchEvolution(base, baseSchemas, schemas, byTable);
    }
}
