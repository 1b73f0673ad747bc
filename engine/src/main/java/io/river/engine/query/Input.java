package io.river.engine.query;

/**
 * The slots an expression reads for one batch: scanned columns (read from Arrow on first use) or,
 * after aggregation, group keys and aggregate results. Every slot is valid for every row of the
 * batch. Not thread-safe.
 */
interface Input {
    /** Physical row count; vectors are this long. */
    int rows();

    /** The slot's values. */
    Vec slot(int slot);

    /** An input over ready-made vectors. */
    static Input of(int rows, Vec[] slots) {
        return new Input() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public Vec slot(int slot) {
                return slots[slot];
            }
        };
    }
}
