package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.NarrowValues;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.StringDictionary;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The scanned columns of one batch as evaluator slots: slot i is the i-th requested column, read
 * from Arrow into a {@link Vec} (for all rows of the batch) on first use, then cached for the rest
 * of the batch; a column the batch holds as dictionary codes becomes a {@link Vec.DictVec}, one it holds
 * as narrow integers is widened into the slot's arrays as it is read. A new
 * batch's reads reuse the arrays of the previous batch's vectors, so nothing may keep a slot's
 * vector past its batch (operators copy what they keep). Not thread-safe; valid while the batch is open.
 */
final class ScanInput implements Input {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

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
            boolean selectedNotNull = onlyUnselectedRowsAreNull(fv);
            NarrowValues narrow = batch == null ? null : batch.narrow(slot);
            if (dictionary != null && fv != null) {
                v = ArrowColumnReader.readCodes(fv, dictionary, types[slot], rows, spare[slot], selectedNotNull);
            } else if (narrow != null && fv != null) {
                v = ArrowColumnReader.readNarrow(fv, narrow, types[slot], rows, spare[slot], selectedNotNull);
            } else {
                v = ArrowColumnReader.read(fv, types[slot], rows, spare[slot], selectedNotNull);
            }
            spare[slot] = null;
            cache[slot] = v;
        }
        return v;
    }

    /**
     * True when the column has NULLs but none in the batch's selection (an upsert table's deleted
     * rows carry NULLs): the column is then read without NULL flags, so the evaluator takes its
     * no-NULL paths ({@link Vec}: the flags are null when no selected row is NULL).
     */
    private boolean onlyUnselectedRowsAreNull(FieldVector fv) {
        long[] live = batch == null ? null : batch.liveMask();
        if (fv == null || live == null) {
            return false;
        }
        int nulls = fv.getNullCount();
        int liveRows = batch.liveRows();
        if (nulls == 0 || liveRows == 0 || nulls == rows || nulls > rows - liveRows) {
            return false;
        }
        ArrowBuf validity = fv.getValidityBuffer();
        long bytes = validity.capacity();
        for (int w = 0; w < live.length; w++) {
            long offset = (long) w << 3;
            long valid = offset + 8 > bytes
                    ? tailWord(validity, offset, bytes)
                    : LITTLE_ENDIAN ? validity.getLong(offset) : Long.reverseBytes(validity.getLong(offset));
            if ((live[w] & ~valid) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The validity bits from byte {@code offset} to the buffer's end (fewer than 8 bytes), little-endian. */
    private static long tailWord(ArrowBuf validity, long offset, long bytes) {
        long word = 0;
        for (long b = offset; b < bytes; b++) {
            word |= (validity.getByte(b) & 0xffL) << ((b - offset) << 3);
        }
        return word;
    }
}
