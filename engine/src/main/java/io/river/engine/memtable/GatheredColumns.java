package io.river.engine.memtable;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.GatheredRows;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import io.river.engine.model.VectorValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Copies {@link GatheredRows} out of their vectors into a {@link TableColumns} (heap arrays, one per
 * column of the target schema, values widened to its types), column by column: the memtable's rows
 * in a form that outlives its vectors, for a checkpoint. Stateless.
 */
final class GatheredColumns {
    private GatheredColumns() {}

    static TableColumns copy(String table, GatheredRows rows, TableSchema target) {
        int n = rows.size();
        boolean[] deletes = new boolean[n];
        for (int p = 0; p < n; p++) {
            deletes[p] = rows.isDelete(p);
        }
        List<TableColumns.Values> columns = new ArrayList<>(target.columns().size());
        for (Column c : target.columns()) {
            columns.add(column(rows, c, deletes));
        }
        return new TableColumns(table, n, rows.keys().clone(), deletes, columns);
    }

    private static TableColumns.Values column(GatheredRows rows, Column column, boolean[] deletes) {
        int n = rows.size();
        FieldVector[] sources = new FieldVector[rows.sources().size()];
        for (int s = 0; s < sources.length; s++) {
            sources[s] = rows.sources().get(s).column(column.name());
        }
        boolean[] present = new boolean[n];
        ColumnType type = column.type();
        Object data = newArray(type, n);
        int[] source = rows.source();
        int[] row = rows.row();
        for (int p = 0; p < n; p++) {
            FieldVector v = sources[source[p]];
            int r = row[p];
            if (deletes[p] || v == null || v.isNull(r)) {
                continue;
            }
            present[p] = true;
            switch (type) {
                case BOOLEAN -> ((boolean[]) data)[p] = ((BitVector) v).get(r) != 0;
                case INT32, DATE -> ((int[]) data)[p] = (int) VectorValues.longAt(v, r);
                case INT64, TIMESTAMP -> ((long[]) data)[p] = VectorValues.longAt(v, r);
                case FLOAT64 ->
                    ((double[]) data)[p] =
                            v instanceof Float8Vector d ? d.get(r) : ((BaseIntVector) v).getValueAsLong(r);
                case STRING -> ((String[]) data)[p] = new String(((VarCharVector) v).get(r), StandardCharsets.UTF_8);
                case BYTES -> ((byte[][]) data)[p] = ((VarBinaryVector) v).get(r);
                default -> throw new IllegalArgumentException(type.name());
            }
        }
        return TableColumns.values(column.name(), type, present, data);
    }

    private static Object newArray(ColumnType type, int n) {
        return switch (type) {
            case BOOLEAN -> new boolean[n];
            case INT32, DATE -> new int[n];
            case INT64, TIMESTAMP -> new long[n];
            case FLOAT64 -> new double[n];
            case STRING -> new String[n];
            case BYTES -> new byte[n][];
        };
    }
}
