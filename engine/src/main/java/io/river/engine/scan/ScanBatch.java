package io.river.engine.scan;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A batch of rows from a snapshot: Arrow vectors for the requested columns (in request order,
 * typed by the table's current schema, NULL-filled for columns the source lacks) and a selection
 * of the live rows (null = every row is live). Deleted rows and superseded versions are never
 * selected. When the request asked for dictionary codes, a column may come as Int32 codes into a
 * {@link StringDictionary} ({@link #dictionary(int)}). The batch owns its vectors: the consumer
 * must {@link #close()} it, after which the vectors are invalid (the dictionaries stay valid). Not
 * thread-safe; hand it to one thread at a time.
 */
public final class ScanBatch implements AutoCloseable {
    private final VectorSchemaRoot root;
    private final int[] selection;
    private final AutoCloseable owner;
    private final StringDictionary[] dictionaries;

    /**
     * @param root      the vectors
     * @param selection indices of live rows in ascending order, or null for all rows
     * @param owner     what to close with the batch (usually {@code root} itself)
     */
    public ScanBatch(VectorSchemaRoot root, int[] selection, AutoCloseable owner) {
        this(root, selection, owner, null);
    }

    /** @param dictionaries per column, its dictionary when the column holds codes, else null; null = none */
    public ScanBatch(VectorSchemaRoot root, int[] selection, AutoCloseable owner, StringDictionary[] dictionaries) {
        this.root = root;
        this.selection = selection;
        this.owner = owner;
        this.dictionaries = dictionaries;
    }

    /** The dictionary of column {@code column} (request order) when it holds codes, else null. */
    public StringDictionary dictionary(int column) {
        return dictionaries == null || column >= dictionaries.length ? null : dictionaries[column];
    }

    public VectorSchemaRoot root() {
        return root;
    }

    /** Live row indices, ascending, or null when all {@code root().getRowCount()} rows are live. */
    public int[] selection() {
        return selection;
    }

    public int liveRows() {
        return selection == null ? root.getRowCount() : selection.length;
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("failed to release scan batch", e);
        }
    }
}
