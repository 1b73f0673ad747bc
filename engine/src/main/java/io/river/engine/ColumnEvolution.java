package io.river.engine;

import io.river.engine.lsm.LsmTable;
import io.river.engine.model.Mutation;
import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SchemaException;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch in columns, checked and with the schemas it needs, worked out against the tables (and their
 * schemas) in {@code base}; {@link #unchanged} tells whether it still holds. Steps ({@link #of}): the
 * batch's rows become one {@link TableColumns} per table ({@link #columns}: values collected per
 * column, the only per-cell work), then each table's schema evolves once per column batch and the
 * NOT NULL columns are checked column by column. Immutable.
 */
record ColumnEvolution(
        Map<String, LsmTable> base,
        Map<String, TableSchema> baseSchemas,
        Map<String, TableSchema> schemas,
        List<TableColumns> batches) {
    boolean unchanged(Map<String, LsmTable> tables) {
        for (Map.Entry<String, LsmTable> e : base.entrySet()) {
            LsmTable now = tables.get(e.getKey());
            if (now != e.getValue() || now.schema() != baseSchemas.get(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** The batch as the WAL logs it: its column batches and positions. */
    WriteBatch logged(WriteBatch batch) {
        return new WriteBatch(List.of(), batches, batch.positions());
    }

    /**
     * The batch's rows as one column batch per table (in the order tables first appear), then its
     * own column batches. An unknown table is an {@link IllegalArgumentException}; a delete going to an
     * append table or a value that cannot join its column is a {@link RowRejectedException} naming the
     * row's mutation index.
     */
    static Converted columns(WriteBatch batch, Map<String, LsmTable> tables) {
        List<Mutation> muts = batch.mutations();
        Map<String, Converting> byTable = new LinkedHashMap<>();
        Converting last = null;
        for (int i = 0; i < muts.size(); i++) {
            Mutation mu = muts.get(i);
            if (last == null || !last.table.name().equals(mu.table())) {
                LsmTable t = table(tables, mu.table());
                last = byTable.computeIfAbsent(t.name(), k -> new Converting(t));
            }
            last.add(i, mu.row());
        }
        List<TableColumns> out =
                new ArrayList<>(byTable.size() + batch.columns().size());
        List<int[]> mutationIndexes = new ArrayList<>(byTable.size());
        for (Converting c : byTable.values()) {
            out.add(c.rows.build());
            mutationIndexes.add(c.indexes);
        }
        out.addAll(batch.columns());
        return new Converted(out, mutationIndexes);
    }

    /** One table's rows being collected into columns, with each row's mutation index. */
    private static final class Converting {
        final LsmTable table;
        final TableColumns.Builder rows;
        int[] indexes = new int[16];

        Converting(LsmTable table) {
            this.table = table;
            this.rows = new TableColumns.Builder(table.name(), table.schema());
        }

        void add(int i, Row row) {
            if (row.isTombstone() && table.mode() == TableMode.APPEND) {
                throw appendOnly(i, table);
            }
            try {
                row.values().forEach(rows::put);
            } catch (SchemaException e) {
                throw new RowRejectedException(
                        i, "table '" + table.name() + "', key '" + row.pk() + "': " + e.getMessage(), e.column());
            }
            if (rows.rows() == indexes.length) {
                indexes = java.util.Arrays.copyOf(indexes, indexes.length * 2);
            }
            indexes[rows.rows()] = i;
            rows.endRow(row.pk(), row.isTombstone());
        }
    }

    /**
     * Column batches: first those made of a batch's mutations, whose rows' mutation indexes are in
     * {@code mutationIndexes} (one array per such batch), then the batch's own.
     */
    record Converted(List<TableColumns> batches, List<int[]> mutationIndexes) {}

    /**
     * Checks the column batches against the tables (a delete in an append table, the NOT NULL
     * columns of the table's {@link TableConstraints}) and evolves each table's schema to hold them.
     * A refusal names the first bad row as the batch counts them: a mutation by its index, a row of
     * the batch's own column batches by {@code mutations} plus its place after the rows before it.
     */
    static ColumnEvolution of(Converted converted, int mutations, Map<String, LsmTable> tables) {
        List<TableColumns> batches = converted.batches();
        int fromRows = converted.mutationIndexes().size();
        Map<String, LsmTable> base = new HashMap<>();
        Map<String, TableSchema> baseSchemas = new HashMap<>();
        Map<String, TableSchema> schemas = new HashMap<>();
        RowRejectedException first = null;
        int offset = mutations;
        for (int b = 0; b < batches.size(); b++) {
            TableColumns cols = batches.get(b);
            LsmTable t = table(tables, cols.table());
            TableSchema s = schemas.get(t.name());
            if (s == null) {
                s = t.schema();
                base.put(t.name(), t);
                baseSchemas.put(t.name(), s);
            }
            try {
                check(cols, t);
                schemas.put(t.name(), s.evolve(cols));
            } catch (RowRejectedException e) {
                int index = b < fromRows ? converted.mutationIndexes().get(b)[e.index()] : offset + e.index();
                RowRejectedException named = new RowRejectedException(
                        index,
                        "table '" + t.name() + "', key '" + cols.pk(e.index()) + "': " + e.getMessage(),
                        e.column());
                first = first == null || index < first.index() ? named : first;
            }
            if (b >= fromRows) {
                offset += cols.rows();
            }
        }
        if (first != null) {
            throw first;
        }
        return new ColumnEvolution(base, baseSchemas, schemas, batches);
    }

    private static void check(TableColumns cols, LsmTable t) {
        if (t.mode() == TableMode.APPEND) {
            for (int r = 0; r < cols.rows(); r++) {
                if (cols.isDelete(r)) {
                    throw new RowRejectedException(r, "append-only: deletes are not allowed");
                }
            }
        }
        for (String c : t.constraints().notNull()) {
            TableColumns.Values v = cols.column(c);
            for (int r = 0; r < cols.rows(); r++) {
                if (!cols.isDelete(r) && (v == null || v.isNull(r))) {
                    throw new RowRejectedException(
                            r,
                            "column '" + c + "' is NOT NULL and the row " + (v == null ? "lacks it" : "holds NULL"),
                            c);
                }
            }
        }
    }

    private static LsmTable table(Map<String, LsmTable> tables, String name) {
        LsmTable t = tables.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown table '" + name + "'");
        }
        return t;
    }

    private static RowRejectedException appendOnly(int i, LsmTable t) {
        return new RowRejectedException(i, "table '" + t.name() + "' is append-only: deletes are not allowed");
    }
}
