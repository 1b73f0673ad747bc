package io.river.engine.query;

/**
 * The slots an expression reads for one batch: scanned columns (read from Arrow on first use, for
 * the rows selected at that moment, which include every row a later, narrower selection keeps)
 * or, after aggregation, group keys and aggregate results. Not thread-safe.
 */
interface Input {
    /** Physical row count; vectors are this long. */
    int rows();

    /** The slot's values, valid at least for the rows in {@code sel[0..n)}. */
    Vec slot(int slot, int[] sel, int n);

    /** An input over ready-made vectors. */
    static Input of(int rows, Vec[] slots) {
        return new Input() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public Vec slot(int slot, int[] sel, int n) {
                return slots[slot];
            }
        };
    }
}
