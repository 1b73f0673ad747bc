package io.river.engine.segment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Some decoded columns of one block, for reading in place: each is either a cache entry pinned by
 * this object or part of a root decoded just for it, as stored (a narrowed column as its narrow
 * integers; {@link ColumnEncoding} widens them). {@link #close()} unpins and frees them; the
 * vectors must not be used afterwards, nor written to ever (cached ones are shared). Not
 * thread-safe.
 */
final class BlockColumns implements AutoCloseable {
    private final Map<String, FieldVector> vectors = new HashMap<>();
    private final Map<String, CachedColumn> cached = new HashMap<>();
    private final List<CachedColumn> pins = new ArrayList<>();
    private final List<VectorSchemaRoot> owned = new ArrayList<>();
    private int rows = -1;

    /** Adds a column whose reference this object now holds. */
    void addPinned(String name, CachedColumn column) {
        pins.add(column);
        vectors.put(name, column.vector());
        cached.put(name, column);
        rows = column.vector().getValueCount();
    }

    /** Adds every column of a root this object now owns. */
    void addOwned(VectorSchemaRoot root) {
        owned.add(root);
        for (FieldVector v : root.getFieldVectors()) {
            vectors.put(v.getName(), v);
        }
        rows = root.getRowCount();
    }

    /** True when the column was decoded (or pinned from the cache) into this set. */
    boolean has(String name) {
        return vectors.containsKey(name);
    }

    FieldVector vector(String name) {
        FieldVector v = vectors.get(name);
        if (v == null) {
            throw new IllegalArgumentException("column " + name + " was not decoded");
        }
        return v;
    }

    /** The cache entry behind a column, or null when it was decoded privately. */
    CachedColumn cached(String name) {
        return cached.get(name);
    }

    int rows() {
        return rows;
    }

    @Override
    public void close() {
        for (CachedColumn c : pins) {
            c.release();
        }
        pins.clear();
        for (VectorSchemaRoot r : owned) {
            r.close();
        }
        owned.clear();
        vectors.clear();
        cached.clear();
    }
}
