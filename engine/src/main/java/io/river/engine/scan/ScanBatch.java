package io.river.engine.scan;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A batch of rows from a snapshot: Arrow vectors for the requested columns (in request order,
 * typed by the table's current schema, NULL-filled for columns the source lacks) and its live rows
 * (all of them, or those of a selection vector or of a {@link LiveMask}; either form is derived
 * from the other on first use). Deleted rows and superseded versions are never live. When the
 * request asked for dictionary codes, a column may come as Int32 codes into a {@link
 * StringDictionary} ({@link #dictionary(int)}), and when it asked for narrow numbers, a numeric column may
 * come as narrow stored integers ({@link #narrow(int)}). The batch owns its vectors: the consumer must
 * {@link #close()} it, after which the vectors are invalid (the dictionaries stay valid). Not
 * thread-safe; hand it to one thread at a time.
 */
public final class ScanBatch implements AutoCloseable {
    private final VectorSchemaRoot root;
    private final AutoCloseable owner;
    private final StringDictionary[] dictionaries;
    private final NarrowValues[] narrow;
    private int[] selection;
    private long[] liveMask;
    /** Live rows when a selection or mask is set, -1 until counted. */
    private int live = -1;

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
        this(root, selection, null, owner, dictionaries, null);
    }

    /**
     * @param dictionaries per column, its dictionary when the column holds codes, else null; null = none
     * @param narrow       per column, how it holds narrow stored integers, else null; null = none
     */
    public ScanBatch(
            VectorSchemaRoot root,
            int[] selection,
            AutoCloseable owner,
            StringDictionary[] dictionaries,
            NarrowValues[] narrow) {
        this(root, selection, null, owner, dictionaries, narrow);
    }

    private ScanBatch(
            VectorSchemaRoot root,
            int[] selection,
            long[] liveMask,
            AutoCloseable owner,
            StringDictionary[] dictionaries,
            NarrowValues[] narrow) {
        this.root = root;
        this.selection = selection;
        this.liveMask = liveMask;
        this.owner = owner;
        this.dictionaries = dictionaries;
        this.narrow = narrow;
    }

    /**
     * This batch with only the rows of {@code mask} live: the same vectors, owner and dictionaries
     * (close the returned batch, not this one). Null leaves the batch as it is; otherwise this batch
     * must have every row live.
     */
    public ScanBatch withLiveMask(long[] mask) {
        if (mask == null) {
            return this;
        }
        if (selection != null || liveMask != null) {
            throw new IllegalStateException("the batch already has a selection");
        }
        return new ScanBatch(root, null, mask, owner, dictionaries, narrow);
    }

    /** The dictionary of column {@code column} (request order) when it holds codes, else null. */
    public StringDictionary dictionary(int column) {
        return dictionaries == null || column >= dictionaries.length ? null : dictionaries[column];
    }

    /**
     * How column {@code column} (request order) holds narrow stored integers (a signed Int8/16/32
     * vector standing for the column's logical values), or null when it holds its logical type.
     */
    public NarrowValues narrow(int column) {
        return narrow == null || column >= narrow.length ? null : narrow[column];
    }

    public VectorSchemaRoot root() {
        return root;
    }

    /** Live row indices, ascending, or null when all {@code root().getRowCount()} rows are live. */
    public int[] selection() {
        if (selection == null && liveMask != null) {
            selection = LiveMask.selection(liveMask);
        }
        return selection;
    }

    /**
     * The live rows as a {@link LiveMask} (read-only: it may be shared with other batches), or null
     * when all {@code root().getRowCount()} rows are live.
     */
    public long[] liveMask() {
        if (liveMask == null && selection != null) {
            liveMask = LiveMask.of(selection, root.getRowCount());
        }
        return liveMask;
    }

    /**
     * Writes the live row indices into {@code out} (at least {@code root().getRowCount()} long) in
     * ascending order and returns how many there are.
     */
    public int select(int[] out) {
        if (selection != null) {
            System.arraycopy(selection, 0, out, 0, selection.length);
            return selection.length;
        }
        if (liveMask != null) {
            return LiveMask.select(liveMask, out);
        }
        int rows = root.getRowCount();
        for (int i = 0; i < rows; i++) {
            out[i] = i;
        }
        return rows;
    }

    public int liveRows() {
        if (selection == null && liveMask == null) {
            return root.getRowCount();
        }
        if (live < 0) {
            live = selection != null ? selection.length : LiveMask.count(liveMask);
        }
        return live;
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
