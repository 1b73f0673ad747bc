package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.StringDictionary;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The scanned columns of one batch as evaluator slots: slot i is the i-th requested column, read
 * from Arrow into a {@link Vec} (for all rows of the batch) on first use, then cached for the rest
 * of the batch; a column the batch holds as dictionary codes becomes a {@link Vec.DictVec}. A new
 * batch's reads reuse the arrays of the previous batch's vectors, so nothing may keep a slot's
 * vector past its batch (operators copy what they keep). Not thread-safe; valid while the batch is open.
 */
final class ScanInput implements Input {
    private final ColumnType[] types;
    private final Vec[] cache;
    /** The previous batch's vectors, whose arrays the next reads may reuse. */
    private final Vec[] spare;

    private List<FieldVector> vectors;
    private ScanBatch batch;
    private int rows;

    ScanInput(ColumnType[] types) {
        this.types = types;
        this.cache = new Vec[types.length];
        this.spare = new Vec[types.length];
    }

    /** Points this input at a new batch; null = one row and no columns (a SELECT without FROM). */
    void reset(ScanBatch batch) {
        this.batch = batch;
        VectorSchemaRoot root = batch == null ? null : batch.root();
        vectors = root == null ? List.of() : root.getFieldVectors();
        rows = root == null ? 1 : root.getRowCount();
        System.arraycopy(cache, 0, spare, 0, cache.length);
        java.util.Arrays.fill(cache, null);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public Vec slot(int slot) {
        Vec v = cache[slot];
        if (v == null) {
            FieldVector fv = slot < vectors.size() ? vectors.get(slot) : null;
            StringDictionary dictionary = batch == null ? null : batch.dictionary(slot);
            v = dictionary != null && fv != null
                    ? ArrowColumnReader.readCodes(fv, dictionary, types[slot], rows, spare[slot])
                    : ArrowColumnReader.read(fv, types[slot], rows, spare[slot]);
            spare[slot] = null;
            dropNullsOfDeadRows(v);
            cache[slot] = v;
        }
        return v;
    }

    /**
     * Clears a vector's NULL flags when only rows outside the batch's selection are NULL (an upsert
     * table's deleted rows carry NULLs), so the evaluator takes its no-NULL paths ({@link Vec}: the
     * flags are null when no selected row is NULL).
     */
    private void dropNullsOfDeadRows(Vec v) {
        int[] live = batch == null ? null : batch.selection();
        if (v.nulls == null || live == null || live.length == 0) {
            return;
        }
        boolean[] nulls = v.nulls;
        for (int r : live) {
            if (nulls[r]) {
                return;
            }
        }
        v.nulls = null;
    }
}
