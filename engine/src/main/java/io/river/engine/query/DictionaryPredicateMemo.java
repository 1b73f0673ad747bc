package io.river.engine.query;

import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.DictVec;
import io.river.engine.scan.StringDictionary;
import java.util.HashMap;
import java.util.Map;

/**
 * Answers predicates on one dictionary-encoded column once per dictionary entry instead of once per
 * row: a column compared with a non-NULL literal, a column IN a list, a column LIKE a pattern. The
 * answer of each entry (TRUE, FALSE or NULL) is computed by evaluating the predicate over the
 * entries as a plain string column, kept per predicate and dictionary (which every block of a
 * segment shares), and then looked up by each row's code. At most {@value #MAX_ENTRIES} answers
 * are kept; past that the memo starts over. Not thread-safe: one per evaluator.
 */
final class DictionaryPredicateMemo {
    static final byte FALSE = 0;
    static final byte TRUE = 1;
    static final byte NULL = 2;
    private static final int MAX_ENTRIES = 1024;

    /** Evaluates an expression without the per-dictionary-entry shortcut. */
    interface PlainEvaluator {
        Vec evalPlain(Expr e, Input in, int[] sel, int n);
    }

    private record Key(Expr predicate, StringDictionary dictionary) {
    }

    private final Map<Key, byte[]> answers = new HashMap<>();

    /**
     * The dictionary-encoded column {@code e} tests, when it is a predicate this memo answers and
     * the column is held as codes in this batch; null otherwise.
     */
    static DictVec dictionaryColumn(Expr e, Input in) {
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
     * The answer ({@link #TRUE}, {@link #FALSE} or {@link #NULL}) of {@code predicate} (one that
     * {@link #dictionaryColumn} accepts) for every entry of {@code d}'s dictionary, by code.
     */
    byte[] answers(Expr predicate, DictVec d, PlainEvaluator evaluator) {
        Key key = new Key(predicate, d.dictionary);
        byte[] found = answers.get(key);
        if (found == null) {
            if (answers.size() >= MAX_ENTRIES) {
                answers.clear();
            }
            found = evaluateEntries(predicate, d, evaluator);
            answers.put(key, found);
        }
        return found;
    }

    private static byte[] evaluateEntries(Expr predicate, DictVec d, PlainEvaluator evaluator) {
        Input entries = entriesInput(d, testedColumn(predicate).slot());
        int size = entries.rows();
        int[] all = new int[size];
        for (int c = 0; c < size; c++) {
            all[c] = c;
        }
        BoolVec b = (BoolVec) evaluator.evalPlain(predicate, entries, all, size);
        byte[] out = new byte[size];
        for (int c = 0; c < size; c++) {
            out[c] = b.isNull(c) ? NULL : b.values[c] ? TRUE : FALSE;
        }
        return out;
    }

    /** The dictionary's entries as a plain string column at {@code slot}, one row per code. */
    static Input entriesInput(DictVec d, int slot) {
        byte[][] entries = d.dictionary.allBytes();
        Vec entryColumn = new Vec.ArrayBytesVec(d.type, entries);
        return new Input() {
            @Override
            public int rows() {
                return entries.length;
            }

            @Override
            public Vec slot(int s) {
                if (s != slot) {
                    throw new IllegalStateException("expression reads slot " + s + ", expected " + slot);
                }
                return entryColumn;
            }
        };
    }

    /** A BOOLEAN vector of {@code answers} looked up by each selected row's code; NULL rows stay NULL. */
    static BoolVec byCode(DictVec d, byte[] answers, int rows, int[] sel, int n) {
        BoolVec out = new BoolVec(rows);
        int[] codes = d.codes;
        boolean[] nulls = null;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (d.isNull(i)) {
                continue;
            }
            byte a = answers[codes[i]];
            if (a == NULL) {
                if (nulls == null) {
                    nulls = d.nulls == null ? new boolean[rows] : d.nulls.clone();
                }
                nulls[i] = true;
            } else {
                out.values[i] = a == TRUE;
            }
        }
        out.nulls = nulls != null ? nulls : d.nulls;
        return out;
    }
}
