package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.AggregateCall.Function;

/**
 * Per-group state of one aggregate over primitive arrays indexed by group id. {@link #update}
 * folds a batch in one loop over the selected rows; {@link #merge} folds another worker's partial
 * state in (its group g becomes this table's group {@code map[g]}); {@link #result} produces the
 * final values. Not thread-safe: one per worker, merged on the coordinating thread.
 */
abstract class Accumulator {

    static Accumulator create(AggregateCall call) {
        ColumnType argType = call.arg() == null ? null : call.arg().type();
        if (call.distinct()) {
            return new DistinctAccumulator(call.function(), argType, call.type());
        }
        switch (call.function()) {
            case COUNT_STAR:
                return new CountAccumulator(true);
            case COUNT:
                return new CountAccumulator(false);
            case SUM:
                return argType == ColumnType.FLOAT64 ? new SumDoubleAccumulator(false) : new SumLongAccumulator(false);
            case AVG:
                return argType == ColumnType.FLOAT64 ? new SumDoubleAccumulator(true) : new SumLongAccumulator(true);
            case MIN:
            case MAX:
                return MinMaxAccumulator.create(argType, call.function() == Function.MAX);
            case APPROX_COUNT_DISTINCT:
                return new ApproxDistinctAccumulator();
            default:
                throw new IllegalArgumentException(call.function().name());
        }
    }

    /** Makes room for groups {@code [0, groups)}. */
    abstract void ensure(int groups);

    /** Folds rows {@code sel[0..n)} of {@code arg} (null for COUNT(*)) into groups {@code gids[0..n)}. */
    abstract void update(Vec arg, int[] sel, int n, int[] gids);

    abstract void merge(Accumulator other, int[] map, int otherGroups);

    abstract Vec result(int groups);

    static int grow(int current, int needed) {
        return Math.max(needed, Math.max(16, current * 2));
    }
}
