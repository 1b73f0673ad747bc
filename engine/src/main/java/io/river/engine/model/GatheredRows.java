package io.river.engine.model;

import java.util.List;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Rows in strictly ascending key order ({@link String#compareTo}), each one row of one of several
 * sources of Arrow vectors: position {@code p} is row {@code row[p]} of source {@code source[p]}, with
 * key {@code keys[p]}. A source holds a delete flag per row and the columns of the schema its rows were
 * written under (older versions of a table's schema: a column may be missing or narrower than a later
 * schema gives it). A delete row holds no values. What a flush writes a segment from without building
 * a row per key; the vectors belong to whoever made the value and must stay unchanged while it is read.
 */
public record GatheredRows(List<Source> sources, String[] keys, int[] source, int[] row) {

    /** One source: rows' delete flags and the columns of {@code schema}, in its order. */
    public record Source(TableSchema schema, BitVector deleted, List<FieldVector> columns) {
        /** The vector of column {@code name}, or null when this source's schema lacks it. */
        public FieldVector column(String name) {
            int i = schema.indexOf(name);
            return i < 0 ? null : columns.get(i);
        }

        /** The type this source stores column {@code name} as, or null when its schema lacks it. */
        public ColumnType type(String name) {
            Column c = schema.column(name);
            return c == null ? null : c.type();
        }
    }

    public GatheredRows {
        if (source.length != keys.length || row.length != keys.length) {
            throw new IllegalArgumentException("keys, sources and rows differ in length");
        }
    }

    public int size() {
        return keys.length;
    }

    /** True when the row at position {@code p} is a delete. */
    public boolean isDelete(int p) {
        return sources.get(source[p]).deleted().get(row[p]) != 0;
    }
}
