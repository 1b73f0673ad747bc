package io.river.engine.query;

import io.river.engine.model.ColumnType;

/**
 * One aggregate of a query: the function, its argument over the scanned columns (null for
 * {@code COUNT(*)}), whether it is DISTINCT, and its result type. Immutable.
 */
record AggregateCall(Function function, Expr arg, boolean distinct, ColumnType type) {

    enum Function {
        COUNT_STAR,
        COUNT,
        SUM,
        MIN,
        MAX,
        AVG,
        APPROX_COUNT_DISTINCT
    }
}
