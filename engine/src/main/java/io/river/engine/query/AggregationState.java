package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.util.List;

/**
 * One worker's partial aggregation: a {@link GroupTable} and one {@link Accumulator} per
 * aggregate. Batches are folded in with {@link #add}; partial states of other workers with
 * {@link #merge}; {@link #postSlots()} gives the group keys followed by the aggregate results,
 * the slots HAVING, SELECT and ORDER BY read after aggregation. Not thread-safe.
 */
final class AggregationState {
    private final List<Expr> keys;
    private final List<AggregateCall> calls;
    private final GroupTable table;
    private final Accumulator[] accumulators;
    private int[] gids = new int[0];

    AggregationState(List<Expr> keys, List<AggregateCall> calls) {
        this.keys = keys;
        this.calls = calls;
        ColumnType[] types = keys.stream().map(Expr::type).toArray(ColumnType[]::new);
        table = new GroupTable(types);
        accumulators = new Accumulator[calls.size()];
        for (int j = 0; j < accumulators.length; j++) {
            accumulators[j] = Accumulator.create(calls.get(j));
            accumulators[j].ensure(table.size());
        }
    }

    void add(VectorEvaluator ev, Input in, int[] sel, int n) {
        if (n == 0) {
            return;
        }
        Vec[] keyVecs = new Vec[keys.size()];
        for (int c = 0; c < keyVecs.length; c++) {
            keyVecs[c] = ev.eval(keys.get(c), in, sel, n);
        }
        if (gids.length < n) {
            gids = new int[Math.max(n, gids.length * 2)];
        }
        table.groupIds(keyVecs, sel, n, gids);
        int groups = table.size();
        for (int j = 0; j < accumulators.length; j++) {
            accumulators[j].ensure(groups);
            Expr arg = calls.get(j).arg();
            accumulators[j].update(arg == null ? null : ev.eval(arg, in, sel, n), sel, n, gids);
        }
    }

    void merge(AggregationState other) {
        int m = other.table.size();
        int[] ident = new int[m];
        for (int g = 0; g < m; g++) {
            ident[g] = g;
        }
        int[] map = table.groupIds(other.table.keyVectors(), ident, m, new int[m]);
        for (int j = 0; j < accumulators.length; j++) {
            accumulators[j].ensure(table.size());
            accumulators[j].merge(other.accumulators[j], map, m);
        }
    }

    int groups() {
        return table.size();
    }

    Vec[] postSlots() {
        Vec[] keyVecs = table.keyVectors();
        Vec[] out = new Vec[keyVecs.length + accumulators.length];
        System.arraycopy(keyVecs, 0, out, 0, keyVecs.length);
        for (int j = 0; j < accumulators.length; j++) {
            out[keyVecs.length + j] = accumulators[j].result(table.size());
        }
        return out;
    }
}
