package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Expr.CmpOp;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.DictVec;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates {@link Expr} trees a batch at a time by dispatching each node to its kernel family:
 * comparisons ({@link ComparisonKernels}), selection ({@link SelectionKernels}), three-valued logic
 * ({@link BooleanKernels}), arithmetic and casts ({@link ArithmeticKernels}, {@link CastKernels}),
 * and predicates on dictionary-encoded columns answered once per entry ({@link
 * DictionaryPredicateMemo}). Every kernel runs one tight loop over the selected rows of primitive
 * arrays (or UTF-8 bytes), with NULLs as a parallel flag array. Errors of the data (integer
 * overflow, {@code %} by zero) raise {@link QueryException} {@code out_of_range}, as DuckDB does.
 * Not thread-safe: one per worker (it caches compiled LIKE patterns, IN sets and dictionary answers).
 */
final class VectorEvaluator {
    private final Map<Expr, LikeMatcher> likes = new HashMap<>();
    private final Map<Expr, InListSet> inSets = new HashMap<>();
    private final DictionaryPredicateMemo dictionaryAnswers = new DictionaryPredicateMemo();
    private final StringKernels strings = new StringKernels();
    /**
     * Per node, the result vector it last filled. A node's result is read before the node is
     * evaluated on the next batch (one evaluator per worker, batches one at a time), so it reuses its
     * arrays instead of allocating a block-sized array per batch.
     */
    private final Map<Expr, Vec> outputs = new IdentityHashMap<>();
    /** False while evaluating answers the dictionary memo keeps across batches: those get fresh vectors. */
    private boolean reuseOutputs = true;

    /**
     * Narrows {@code sel[0..n)} to the rows where {@code predicate} is TRUE, writing them to the
     * front of {@code sel}; returns how many remain.
     */
    int filter(Expr predicate, Input in, int[] sel, int n) {
        if (predicate instanceof Expr.And) {
            int m = filter(((Expr.And) predicate).left(), in, sel, n);
            return m == 0 ? 0 : filter(((Expr.And) predicate).right(), in, sel, m);
        }
        int narrowed = SelectionKernels.columnAgainstConstant(predicate, in, sel, n);
        if (narrowed >= 0) {
            return narrowed;
        }
        DictVec coded = dictionaryAnswers.dictionaryColumn(predicate, in);
        if (coded != null) {
            return SelectionKernels.byCodeAnswers(
                    coded, dictionaryAnswers.answers(predicate, coded, this::evalKept), sel, n);
        }
        return SelectionKernels.trueRows((BoolVec) eval(predicate, in, sel, n), sel, n);
    }

    /** The value of {@code e} for the selected rows of {@code in} (other rows are undefined). */
    Vec eval(Expr e, Input in, int[] sel, int n) {
        DictVec coded = dictionaryAnswers.dictionaryColumn(e, in);
        if (coded != null) {
            return dictionaryAnswers.eval(e, coded, in.rows(), sel, n, this::evalKept);
        }
        return evalPlain(e, in, sel, n);
    }

    /** {@link #evalPlain} for results kept beyond the batch (the dictionary memo's): no reused vectors. */
    private Vec evalKept(Expr e, Input in, int[] sel, int n) {
        boolean was = reuseOutputs;
        reuseOutputs = false;
        try {
            return evalPlain(e, in, sel, n);
        } finally {
            reuseOutputs = was;
        }
    }

    /** {@link #eval} without the per-dictionary-entry shortcut (used to compute the entries' answers). */
    private Vec evalPlain(Expr e, Input in, int[] sel, int n) {
        if (e instanceof Expr.ColumnRef) {
            return in.slot(((Expr.ColumnRef) e).slot());
        } else if (e instanceof Expr.Literal) {
            return broadcast((Expr.Literal) e, in.rows(), sel, n);
        } else if (e instanceof Expr.Compare) {
            return compare((Expr.Compare) e, in, sel, n);
        } else if (e instanceof Expr.And) {
            return BooleanKernels.and(
                    eval(((Expr.And) e).left(), in, sel, n),
                    eval(((Expr.And) e).right(), in, sel, n),
                    in.rows(),
                    sel,
                    n);
        } else if (e instanceof Expr.Or) {
            return BooleanKernels.or(
                    eval(((Expr.Or) e).left(), in, sel, n), eval(((Expr.Or) e).right(), in, sel, n), in.rows(), sel, n);
        } else if (e instanceof Expr.Not) {
            return BooleanKernels.not((BoolVec) eval(((Expr.Not) e).arg(), in, sel, n), in.rows(), sel, n);
        } else if (e instanceof Expr.IsNull) {
            Expr.IsNull isNull = (Expr.IsNull) e;
            Vec a = eval(isNull.arg(), in, sel, n);
            BoolVec out = new BoolVec(in.rows());
            boolean neg = isNull.negated();
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = a.isNull(i) != neg;
            }
            return out;
        } else if (e instanceof Expr.Arith) {
            return ArithmeticKernels.arith(
                    (Expr.Arith) e,
                    eval(((Expr.Arith) e).left(), in, sel, n),
                    eval(((Expr.Arith) e).right(), in, sel, n),
                    in.rows(),
                    sel,
                    n);
        } else if (e instanceof Expr.Negate) {
            return ArithmeticKernels.negate(eval(((Expr.Negate) e).arg(), in, sel, n), in.rows(), sel, n);
        } else if (e instanceof Expr.Cast) {
            return ArithmeticKernels.cast(eval(((Expr.Cast) e).arg(), in, sel, n), e.type(), in.rows(), sel, n);
        } else if (e instanceof Expr.InList) {
            return inList((Expr.InList) e, in, sel, n);
        } else if (e instanceof Expr.Like) {
            return like((Expr.Like) e, in, sel, n);
        } else if (e instanceof Expr.DateTrunc) {
            return dateTrunc((Expr.DateTrunc) e, in, sel, n);
        } else if (e instanceof Expr.Case) {
            return caseWhen((Expr.Case) e, in, sel, n);
        } else if (e instanceof Expr.Coalesce) {
            return coalesce((Expr.Coalesce) e, in, sel, n);
        } else if (e instanceof Expr.Convert) {
            return CastKernels.convert(eval(((Expr.Convert) e).arg(), in, sel, n), e.type(), in.rows(), sel, n);
        } else if (e instanceof Expr.Call) {
            return call((Expr.Call) e, in, sel, n);
        }
        throw new IllegalStateException("no kernel for " + e);
    }

    // ---- constants ----

    static Vec broadcast(Expr.Literal lit, int rows, int[] sel, int n) {
        if (lit.isNull()) {
            return ArrowColumnReader.allNull(lit.type(), rows);
        }
        Object v = lit.value();
        switch (lit.type()) {
            case FLOAT64: {
                DoubleVec d = new DoubleVec(rows);
                Arrays.fill(d.values, (Double) v);
                return d;
            }
            case BOOLEAN: {
                BoolVec b = new BoolVec(rows);
                Arrays.fill(b.values, (Boolean) v);
                return b;
            }
            case STRING:
            case BYTES: {
                byte[][] vals = new byte[rows][];
                Arrays.fill(vals, literalBytes(lit));
                return new Vec.ArrayBytesVec(lit.type(), vals);
            }
            default: {
                LongVec l = new LongVec(lit.type(), rows);
                Arrays.fill(l.values, (Long) v);
                return l;
            }
        }
    }

    static byte[] literalBytes(Expr.Literal lit) {
        Object v = lit.value();
        return v instanceof Expr.Blob ? ((Expr.Blob) v).bytes() : ((String) v).getBytes(StandardCharsets.UTF_8);
    }

    // ---- comparisons ----

    private Vec compare(Expr.Compare c, Input in, int[] sel, int n) {
        Expr left = c.left();
        Expr right = c.right();
        CmpOp op = c.op();
        if (left instanceof Expr.Literal && !(right instanceof Expr.Literal)) {
            Expr t = left;
            left = right;
            right = t;
            op = op.flip();
        }
        int rows = in.rows();
        Vec a = eval(left, in, sel, n);
        if (right instanceof Expr.Literal) {
            Expr.Literal lit = (Expr.Literal) right;
            if (lit.isNull()) {
                return ArrowColumnReader.allNull(ColumnType.BOOLEAN, rows);
            }
            Object constant = a instanceof BytesVec ? literalBytes(lit) : lit.value();
            return ComparisonKernels.compareToConstant(op, a, constant, rows, sel, n);
        }
        return ComparisonKernels.compare(op, a, eval(right, in, sel, n), rows, sel, n);
    }

    // ---- scalar functions ----

    private Vec call(Expr.Call c, Input in, int[] sel, int n) {
        int rows = in.rows();
        List<Expr> args = c.args();
        switch (c.function()) {
            case ABS:
                return MathKernels.abs(eval(args.get(0), in, sel, n), rows, sel, n);
            case FLOOR:
                return MathKernels.floor(eval(args.get(0), in, sel, n), rows, sel, n);
            case CEIL:
                return MathKernels.ceil(eval(args.get(0), in, sel, n), rows, sel, n);
            case ROUND:
                return MathKernels.round(
                        eval(args.get(0), in, sel, n),
                        args.size() > 1 ? eval(args.get(1), in, sel, n) : null,
                        rows,
                        sel,
                        n);
            case DATE_PART:
                return TimeKernels.datePart(partArgument(args.get(0)), eval(args.get(1), in, sel, n), rows, sel, n);
            case DATE_TRUNC:
                return TimeKernels.truncate(partArgument(args.get(0)), eval(args.get(1), in, sel, n), rows, sel, n);
            case ADD_MONTHS:
                return TimeKernels.addMonths(
                        eval(args.get(0), in, sel, n), eval(args.get(1), in, sel, n), rows, sel, n);
            default: {
                Vec[] values = new Vec[args.size()];
                for (int a = 0; a < values.length; a++) {
                    values[a] = eval(args.get(a), in, sel, n);
                }
                return strings.eval(c.function(), values, c.type(), rows, sel, n);
            }
        }
    }

    private static TimeKernels.Part partArgument(Expr literal) {
        return TimeKernels.Part.valueOf((String) ((Expr.Literal) literal).value());
    }

    // ---- IN, LIKE, date_trunc ----

    private Vec inList(Expr.InList e, Input in, int[] sel, int n) {
        InListSet set = inSets.computeIfAbsent(e, k -> new InListSet(e.values()));
        Vec a = eval(e.arg(), in, sel, n);
        int rows = in.rows();

        BoolVec out = new BoolVec(rows);
        boolean[] nulls = new boolean[rows];
        boolean any = false;
        boolean neg = e.negated();
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (a.isNull(i)) {
                nulls[i] = true;
                any = true;
                continue;
            }
            boolean hit = set.contains(a, i);
            if (!hit && set.hasNull()) {
                nulls[i] = true;
                any = true;
            } else {
                out.values[i] = hit != neg;
            }
        }
        out.nulls = any ? nulls : null;
        return out;
    }

    private Vec like(Expr.Like e, Input in, int[] sel, int n) {
        LikeMatcher m = likes.computeIfAbsent(e, k -> new LikeMatcher(e.pattern(), e.escape()));
        BytesVec a = (BytesVec) eval(e.arg(), in, sel, n);
        boolean neg = e.negated();
        BoolVec out = new BoolVec(in.rows());
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (!a.isNull(i)) {
                a.load(i);
                out.values[i] = m.matches(a.buf, a.off, a.len) != neg;
            }
        }
        out.nulls = a.nulls;
        return out;
    }

    /** {@code node}'s reused result vector of {@code type} with room for {@code rows} values. */
    private LongVec longOutput(Expr node, ColumnType type, int rows) {
        if (!reuseOutputs) {
            return new LongVec(type, rows);
        }
        Vec last = outputs.get(node);
        if (last instanceof LongVec && last.type == type && ((LongVec) last).values.length >= rows) {
            last.nulls = null;
            return (LongVec) last;
        }
        LongVec out = new LongVec(type, rows);
        outputs.put(node, out);
        return out;
    }

    private Vec dateTrunc(Expr.DateTrunc e, Input in, int[] sel, int n) {
        LongVec a = (LongVec) eval(e.arg(), in, sel, n);
        LongVec out = longOutput(e, ColumnType.TIMESTAMP, in.rows());
        long unit = e.unitMillis();
        // weeks start on Monday; the epoch was a Thursday
        long shift = e.unit().equals("week") ? 4 * 86_400_000L : 0;
        // Timestamps mostly arrive in order, so most rows fall in the previous row's bucket: test
        // that before dividing.
        long start = 0;
        long end = Long.MIN_VALUE; // [start, end): the current bucket; empty until the first row
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            long x = a.values[i] - shift;
            if (x < start || x >= end) {
                start = Math.floorDiv(x, unit) * unit;
                end = start + unit;
                if (end < start) {
                    end = Long.MAX_VALUE; // the last bucket (Long.MAX_VALUE itself is recomputed, still right)
                }
            }
            out.values[i] = start + shift;
        }
        out.nulls = a.nulls;
        return out;
    }

    // ---- CASE, COALESCE ----

    /**
     * Evaluates each branch only on the rows still undecided: a condition narrows a copy of the
     * selection to its TRUE rows, whose result is then computed on just those rows.
     */
    private Vec caseWhen(Expr.Case e, Input in, int[] sel, int n) {
        int rows = in.rows();
        ResultBuilder out = new ResultBuilder(e.type(), rows);
        int[] pending = Arrays.copyOf(sel, n);
        int m = n;
        for (int b = 0; b < e.conditions().size() && m > 0; b++) {
            BoolVec c = (BoolVec) eval(e.conditions().get(b), in, pending, m);
            int[] hit = new int[m];
            int h = 0;
            int rest = 0;
            for (int k = 0; k < m; k++) {
                int i = pending[k];
                if (c.isTrue(i)) {
                    hit[h++] = i;
                } else {
                    pending[rest++] = i;
                }
            }
            if (h > 0) {
                out.take(eval(e.results().get(b), in, hit, h), hit, h);
            }
            m = rest;
        }
        if (m > 0) {
            out.take(eval(e.otherwise(), in, pending, m), pending, m);
        }
        return out.vec;
    }

    private Vec coalesce(Expr.Coalesce e, Input in, int[] sel, int n) {
        ResultBuilder out = new ResultBuilder(e.type(), in.rows());
        int[] pending = Arrays.copyOf(sel, n);
        int m = n;
        for (int a = 0; a < e.args().size() && m > 0; a++) {
            Vec v = eval(e.args().get(a), in, pending, m);
            int[] hit = new int[m];
            int h = 0;
            int rest = 0;
            for (int k = 0; k < m; k++) {
                int i = pending[k];
                if (v.isNull(i)) {
                    pending[rest++] = i;
                } else {
                    hit[h++] = i;
                }
            }
            out.take(v, hit, h);
            m = rest;
        }
        return out.vec;
    }

    /** A vector filled row by row from other vectors of its type; rows never filled are NULL. */
    private static final class ResultBuilder {
        final Vec vec;

        ResultBuilder(ColumnType type, int rows) {
            vec = ResultVectors.create(type, rows);
            boolean[] nulls = new boolean[rows];
            Arrays.fill(nulls, true);
            vec.nulls = nulls;
        }

        void take(Vec from, int[] rows, int n) {
            for (int k = 0; k < n; k++) {
                int i = rows[k];
                if (from.isNull(i)) {
                    continue;
                }
                vec.nulls[i] = false;
                if (vec instanceof LongVec) {
                    ((LongVec) vec).values[i] = ((LongVec) from).values[i];
                } else if (vec instanceof DoubleVec) {
                    ((DoubleVec) vec).values[i] = ((DoubleVec) from).values[i];
                } else if (vec instanceof BoolVec) {
                    ((BoolVec) vec).values[i] = ((BoolVec) from).values[i];
                } else {
                    ((Vec.ArrayBytesVec) vec).values[i] = ((BytesVec) from).copy(i);
                }
            }
        }
    }
}
