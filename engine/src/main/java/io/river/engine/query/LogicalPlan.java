package io.river.engine.query;

import java.util.List;

/**
 * River's plan of one SELECT, bound and typed. Phases and the slots their expressions read:
 * scan ({@link #scanColumns}; {@link #filters} are conjuncts over them), then either projection
 * ({@link #outputs} over scan slots) or aggregation ({@link #groupKeys} and {@link #aggregates}
 * over scan slots; {@link #having}, {@link #outputs} and {@link #orderBy} over "post" slots: the
 * group keys first, then the aggregates), then ORDER BY, OFFSET and LIMIT. {@code table} is null
 * for a SELECT without FROM (one empty row). Immutable.
 */
record LogicalPlan(
        String table,
        List<String> scanColumns,
        List<Expr> filters,
        boolean aggregate,
        List<Expr> groupKeys,
        List<AggregateCall> aggregates,
        Expr having,
        List<Expr> outputs,
        List<String> outputNames,
        List<SortKey> orderBy,
        long limit,
        long offset) {

    /** Sort key; NULLs sort last unless {@code nullsFirst} (DuckDB's default for ASC and DESC). */
    record SortKey(Expr expr, boolean descending, boolean nullsFirst) {}

    boolean hasLimit() {
        return limit >= 0;
    }
}
