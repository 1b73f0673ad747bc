package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Expr.CmpOp;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.DictVec;
import io.river.engine.scan.StringDictionary;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Evaluates {@link Expr} trees a batch at a time: every operator runs one tight loop over the
 * selected rows of primitive arrays (or UTF-8 bytes), with NULLs as a parallel flag array and
 * SQL's three-valued logic for AND/OR/NOT. Comparisons against a literal and IN lists avoid
 * broadcasting the constant; on a dictionary-encoded column they (and LIKE) are evaluated once
 * per dictionary entry and then looked up by each row's code. Errors of the data (integer overflow, {@code %} by zero) raise
 * {@link QueryException} {@code out_of_range}, as DuckDB does. Not thread-safe: one per worker
 * (it caches compiled LIKE patterns and IN sets).
 */
final class VectorEvaluator {
    private final Map<Expr, LikeMatcher> likes = new HashMap<>();
    private final Map<Expr, InListSet> inSets = new HashMap<>();
    /** A predicate's answer per entry of a dictionary (1 TRUE, 0 FALSE, 2 NULL), by predicate and dictionary. */
    private final Map<DictionaryMemoKey, byte[]> dictionaryAnswers = new HashMap<>();
    private static final int MAX_DICTIONARY_ANSWERS = 1024;

    private record DictionaryMemoKey(Expr predicate, StringDictionary dictionary) {
    }

    /**
     * A numeric column compared with a non-NULL constant, as a filter: narrows the selection in one
     * branch-free loop per operator, with no BOOLEAN vector in between. Returns the rows left, or
     * -1 when the predicate is not of that form (or the constant is a NaN).
     */
    private static int filterColumnAgainstConstant(Expr predicate, Input in, int[] sel, int n) {
        if (!(predicate instanceof Expr.Compare)) {
            return -1;
        }
        Expr.Compare c = (Expr.Compare) predicate;
        Expr left = c.left();
        Expr right = c.right();
        CmpOp op = c.op();
        if (left instanceof Expr.Literal) {
            Expr t = left;
            left = right;
            right = t;
            op = op.flip();
        }
        if (!(left instanceof Expr.ColumnRef) || !(right instanceof Expr.Literal) || ((Expr.Literal) right).isNull()) {
            return -1;
        }
        Object cst = ((Expr.Literal) right).value();
        Vec a = in.slot(((Expr.ColumnRef) left).slot());
        boolean[] nulls = a.nulls;
        if (a instanceof LongVec && cst instanceof Long) {
            return narrow(op, ((LongVec) a).values, (Long) cst, nulls, sel, n);
        }
        if (a instanceof DoubleVec && cst instanceof Double && !Double.isNaN((Double) cst)) {
            return narrow(op, ((DoubleVec) a).values, (Double) cst, nulls, sel, n);
        }
        return -1;
    }

    private static int narrow(CmpOp op, long[] a, long c, boolean[] nulls, int[] sel, int n) {
        int m = 0;
        if (nulls != null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                sel[m] = i;
                m += !nulls[i] && op.test(Long.compare(a[i], c)) ? 1 : 0;
            }
            return m;
        }
        switch (op) {
            case EQ:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] == c ? 1 : 0;
                }
                return m;
            case NE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] != c ? 1 : 0;
                }
                return m;
            case LT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] < c ? 1 : 0;
                }
                return m;
            case LE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] <= c ? 1 : 0;
                }
                return m;
            case GT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] > c ? 1 : 0;
                }
                return m;
            default:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] >= c ? 1 : 0;
                }
                return m;
        }
    }

    /** As {@link #narrow(CmpOp, long[], long, boolean[], int[], int)}; NaN values sort above c. */
    private static int narrow(CmpOp op, double[] a, double c, boolean[] nulls, int[] sel, int n) {
        int m = 0;
        if (nulls != null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                sel[m] = i;
                m += !nulls[i] && op.test(compareDoubles(a[i], c)) ? 1 : 0;
            }
            return m;
        }
        switch (op) {
            case EQ:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] == c ? 1 : 0;
                }
                return m;
            case NE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] != c ? 1 : 0;
                }
                return m;
            case LT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] < c ? 1 : 0;
                }
                return m;
            case LE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += a[i] <= c ? 1 : 0;
                }
                return m;
            case GT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += !(a[i] <= c) ? 1 : 0;
                }
                return m;
            default:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    sel[m] = i;
                    m += !(a[i] < c) ? 1 : 0;
                }
                return m;
        }
    }

    /**
     * The dictionary-encoded column a predicate tests, when it is one this evaluator answers per
     * dictionary entry: a column compared with a non-NULL literal, a column IN a list, a column
     * LIKE a pattern, where the column is held as codes in this batch. Null otherwise.
     */
    private static DictVec dictionaryColumn(Expr e, Input in) {
        Expr.ColumnRef column = testedColumn(e);
        Vec v = column == null ? null : in.slot(column.slot());
        return v instanceof DictVec ? (DictVec) v : null;
    }

    /** The column a comparison with a non-NULL literal, an IN list or a LIKE tests, or null. */
    private static Expr.ColumnRef testedColumn(Expr e) {
        Expr arg;
        if (e instanceof Expr.Compare) {
            Expr.Compare c = (Expr.Compare) e;
            if (c.right() instanceof Expr.Literal && !((Expr.Literal) c.right()).isNull()) {
                arg = c.left();
            } else if (c.left() instanceof Expr.Literal && !((Expr.Literal) c.left()).isNull()) {
                arg = c.right();
            } else {
                return null;
            }
        } else if (e instanceof Expr.InList) {
            arg = ((Expr.InList) e).arg();
        } else if (e instanceof Expr.Like) {
            arg = ((Expr.Like) e).arg();
        } else {
            return null;
        }
        return arg instanceof Expr.ColumnRef ? (Expr.ColumnRef) arg : null;
    }

    /**
     * The answer of {@code predicate} (see {@link #dictionaryColumn}) for every entry of {@code d}'s
     * dictionary, found by evaluating it once over the entries as a plain string column, and kept
     * per dictionary (which every block of its segment shares).
     */
    private byte[] dictionaryAnswers(Expr predicate, DictVec d) {
        DictionaryMemoKey key = new DictionaryMemoKey(predicate, d.dictionary);
        byte[] answers = dictionaryAnswers.get(key);
        if (answers == null) {
            if (dictionaryAnswers.size() >= MAX_DICTIONARY_ANSWERS) {
                dictionaryAnswers.clear();
            }
            byte[][] entries = d.dictionary.allBytes();
            int size = entries.length;
            int[] all = new int[size];
            for (int c = 0; c < size; c++) {
                all[c] = c;
            }
            int slot = testedColumn(predicate).slot();
            Vec entryColumn = new Vec.ArrayBytesVec(d.type, entries);
            Input entriesInput = new Input() {
                @Override
                public int rows() {
                    return size;
                }

                @Override
                public Vec slot(int s) {
                    if (s != slot) {
                        throw new IllegalStateException("predicate reads slot " + s + ", expected " + slot);
                    }
                    return entryColumn;
                }
            };
            BoolVec b = (BoolVec) evalPlain(predicate, entriesInput, all, size);
            answers = new byte[size];
            for (int c = 0; c < size; c++) {
                answers[c] = b.isNull(c) ? (byte) 2 : b.values[c] ? (byte) 1 : (byte) 0;
            }
            dictionaryAnswers.put(key, answers);
        }
        return answers;
    }

    /** A BOOLEAN vector of {@code answers} looked up by each selected row's code; NULL rows stay NULL. */
    private static BoolVec byCode(DictVec d, byte[] answers, int rows, int[] sel, int n) {
        BoolVec out = new BoolVec(rows);
        int[] codes = d.codes;
        boolean[] nulls = null;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (d.isNull(i)) {
                continue;
            }
            byte a = answers[codes[i]];
            if (a == 2) {
                if (nulls == null) {
                    nulls = d.nulls == null ? new boolean[rows] : d.nulls.clone();
                }
                nulls[i] = true;
            } else {
                out.values[i] = a == 1;
            }
        }
        out.nulls = nulls != null ? nulls : d.nulls;
        return out;
    }

    /**
     * Narrows {@code sel[0..n)} to the rows where {@code predicate} is TRUE, writing them to the
     * front of {@code sel}; returns how many remain.
     */
    int filter(Expr predicate, Input in, int[] sel, int n) {
        if (predicate instanceof Expr.And) {
            int m = filter(((Expr.And) predicate).left(), in, sel, n);
            return m == 0 ? 0 : filter(((Expr.And) predicate).right(), in, sel, m);
        }
        int narrowed = filterColumnAgainstConstant(predicate, in, sel, n);
        if (narrowed >= 0) {
            return narrowed;
        }
        DictVec coded = dictionaryColumn(predicate, in);
        if (coded != null) {
            // A predicate on one dictionary-encoded column: keep the rows whose code's answer is TRUE.
            byte[] answers = dictionaryAnswers(predicate, coded);
            int[] codes = coded.codes;
            boolean[] nulls = coded.nulls;
            int m = 0;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (answers[codes[i]] == 1 && (nulls == null || !nulls[i])) {
                    sel[m++] = i;
                }
            }
            return m;
        }
        BoolVec b = (BoolVec) eval(predicate, in, sel, n);
        int m = 0;
        if (b.nulls == null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (b.values[i]) {
                    sel[m++] = i;
                }
            }
        } else {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (b.values[i] && !b.nulls[i]) {
                    sel[m++] = i;
                }
            }
        }
        return m;
    }

    Vec eval(Expr e, Input in, int[] sel, int n) {
        DictVec coded = dictionaryColumn(e, in);
        if (coded != null) {
            return byCode(coded, dictionaryAnswers(e, coded), in.rows(), sel, n);
        }
        return evalPlain(e, in, sel, n);
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
            return and(eval(((Expr.And) e).left(), in, sel, n), eval(((Expr.And) e).right(), in, sel, n), in.rows(), sel, n);
        } else if (e instanceof Expr.Or) {
            return or(eval(((Expr.Or) e).left(), in, sel, n), eval(((Expr.Or) e).right(), in, sel, n), in.rows(), sel, n);
        } else if (e instanceof Expr.Not) {
            BoolVec a = (BoolVec) eval(((Expr.Not) e).arg(), in, sel, n);
            BoolVec out = new BoolVec(in.rows());
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = !a.values[i];
            }
            out.nulls = a.nulls;
            return out;
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
            return ArithmeticKernels.arith((Expr.Arith) e, eval(((Expr.Arith) e).left(), in, sel, n),
                    eval(((Expr.Arith) e).right(), in, sel, n), in.rows(), sel, n);
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
            BoolVec out = new BoolVec(rows);
            out.nulls = a.nulls;
            if (a instanceof LongVec) {
                compareConst(op, ((LongVec) a).values, (Long) lit.value(), out.values, sel, n);
            } else if (a instanceof DoubleVec) {
                double cst = (Double) lit.value();
                double[] av = ((DoubleVec) a).values;
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out.values[i] = op.test(compareDoubles(av[i], cst));
                }
            } else if (a instanceof BytesVec) {
                BytesVec bv = (BytesVec) a;
                byte[] cst = literalBytes(lit);
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    if (!bv.isNull(i)) {
                        bv.load(i);
                        out.values[i] = op.test(Arrays.compareUnsigned(bv.buf, bv.off, bv.off + bv.len, cst, 0, cst.length));
                    }
                }
            } else {
                boolean cst = (Boolean) lit.value();
                boolean[] av = ((BoolVec) a).values;
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out.values[i] = op.test(Boolean.compare(av[i], cst));
                }
            }
            return out;
        }
        Vec b = eval(right, in, sel, n);
        BoolVec out = new BoolVec(rows);
        out.nulls = orNulls(a.nulls, b.nulls, rows, sel, n);
        if (a instanceof LongVec) {
            long[] av = ((LongVec) a).values;
            long[] bv = ((LongVec) b).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(Long.compare(av[i], bv[i]));
            }
        } else if (a instanceof DoubleVec) {
            double[] av = ((DoubleVec) a).values;
            double[] bv = ((DoubleVec) b).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(compareDoubles(av[i], bv[i]));
            }
        } else if (a instanceof BytesVec) {
            BytesVec av = (BytesVec) a;
            BytesVec bv = (BytesVec) b;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                if (!av.isNull(i) && !bv.isNull(i)) {
                    av.load(i);
                    bv.load(i);
                    out.values[i] = op.test(Arrays.compareUnsigned(av.buf, av.off, av.off + av.len, bv.buf, bv.off, bv.off + bv.len));
                }
            }
        } else {
            boolean[] av = ((BoolVec) a).values;
            boolean[] bv = ((BoolVec) b).values;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = op.test(Boolean.compare(av[i], bv[i]));
            }
        }
        return out;
    }

    /** The hot filter kernel: one loop per operator so the JIT sees a plain compare. */
    private static void compareConst(CmpOp op, long[] a, long c, boolean[] out, int[] sel, int n) {
        switch (op) {
            case EQ:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] == c;
                }
                break;
            case NE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] != c;
                }
                break;
            case LT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] < c;
                }
                break;
            case LE:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] <= c;
                }
                break;
            case GT:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] > c;
                }
                break;
            default:
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    out[i] = a[i] >= c;
                }
        }
    }

    /** DuckDB's double order: -0.0 equals 0.0, NaN equals NaN and is above every other value. */
    static int compareDoubles(double a, double b) {
        if (a < b) {
            return -1;
        } else if (a > b) {
            return 1;
        } else if (a == b) {
            return 0;
        }
        return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
    }

    // ---- logic ----

    private static BoolVec and(Vec av, Vec bv, int rows, int[] sel, int n) {
        BoolVec a = (BoolVec) av;
        BoolVec b = (BoolVec) bv;
        BoolVec out = new BoolVec(rows);
        if (a.nulls == null && b.nulls == null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = a.values[i] & b.values[i];
            }
            return out;
        }
        boolean[] nulls = new boolean[rows];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            boolean an = a.isNull(i);
            boolean bn = b.isNull(i);
            boolean aFalse = !an && !a.values[i];
            boolean bFalse = !bn && !b.values[i];
            if (aFalse || bFalse) {
                out.values[i] = false;
            } else if (an || bn) {
                nulls[i] = true;
            } else {
                out.values[i] = true;
            }
        }
        out.nulls = nulls;
        return out;
    }

    private static BoolVec or(Vec av, Vec bv, int rows, int[] sel, int n) {
        BoolVec a = (BoolVec) av;
        BoolVec b = (BoolVec) bv;
        BoolVec out = new BoolVec(rows);
        if (a.nulls == null && b.nulls == null) {
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = a.values[i] | b.values[i];
            }
            return out;
        }
        boolean[] nulls = new boolean[rows];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            boolean an = a.isNull(i);
            boolean bn = b.isNull(i);
            boolean aTrue = !an && a.values[i];
            boolean bTrue = !bn && b.values[i];
            if (aTrue || bTrue) {
                out.values[i] = true;
            } else if (an || bn) {
                nulls[i] = true;
            }
        }
        out.nulls = nulls;
        return out;
    }

    static boolean[] orNulls(boolean[] a, boolean[] b, int rows, int[] sel, int n) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        boolean[] out = new boolean[rows];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            out[i] = a[i] | b[i];
        }
        return out;
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

    private Vec dateTrunc(Expr.DateTrunc e, Input in, int[] sel, int n) {
        LongVec a = (LongVec) eval(e.arg(), in, sel, n);
        LongVec out = new LongVec(ColumnType.TIMESTAMP, in.rows());
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
