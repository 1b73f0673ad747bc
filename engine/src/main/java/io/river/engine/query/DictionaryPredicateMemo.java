package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.DictVec;
import io.river.engine.query.Vec.LongVec;
import io.river.engine.scan.StringDictionary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates expressions of one dictionary-encoded string column once per dictionary entry instead
 * of once per row, then looks each row's answer up by its code. Such an expression (see {@link
 * #entryWiseColumn}) reads exactly one column, is NULL exactly when that column is, and cannot fail
 * on any value: a comparison of it with a non-NULL literal, IN, LIKE, NOT, or a string function of
 * it with literal arguments ({@link ScalarFunction#isStrictAndTotal}), nested freely. The values per
 * entry are kept per expression and dictionary (which every block of a segment shares): BOOLEAN
 * answers select rows or become a BOOLEAN vector, VARCHAR results become a new dictionary (so a
 * GROUP BY on {@code lower(s)} still finds groups once per code), other results are gathered by
 * code. At most {@value #MAX_ENTRIES} expressions' values are kept; past that the memo starts over.
 * Not thread-safe: one per evaluator.
 */
final class DictionaryPredicateMemo {
    static final byte FALSE = 0;
    static final byte TRUE = 1;
    static final byte NULL = 2;
    private static final int MAX_ENTRIES = 1024;
    private static final Expr.ColumnRef NONE = new Expr.ColumnRef(-1, "", ColumnType.STRING);

    /** Evaluates an expression without the per-dictionary-entry shortcut. */
    interface PlainEvaluator {
        Vec evalPlain(Expr e, Input in, int[] sel, int n);
    }

    private record Key(Expr expr, StringDictionary dictionary) {}

    /** An expression's value for every entry of one dictionary, in the forms its uses need. */
    private static final class EntryValues {
        final Vec values;
        byte[] answers;
        int[] codeMap;
        StringDictionary mapped;

        EntryValues(Vec values) {
            this.values = values;
        }
    }

    private final Map<Key, EntryValues> memo = new HashMap<>();
    private final Map<Expr, Expr.ColumnRef> columns = new IdentityHashMap<>();

    /**
     * The dictionary-encoded column {@code e} reads, when {@code e} is an expression this memo
     * answers per entry and the column is held as codes in this batch; null otherwise.
     */
    DictVec dictionaryColumn(Expr e, Input in) {
        if (e instanceof Expr.ColumnRef || e instanceof Expr.Literal) {
            return null;
        }
        Expr.ColumnRef column = columns.get(e);
        if (column == null) {
            if (columns.size() >= MAX_ENTRIES) {
                columns.clear();
            }
            column = entryWiseColumn(e);
            columns.put(e, column == null ? NONE : column);
        }
        if (column == null || column == NONE) {
            return null;
        }
        Vec v = in.slot(column.slot());
        return v instanceof DictVec ? (DictVec) v : null;
    }

    /**
     * The one VARCHAR column {@code e} reads when {@code e} can be evaluated per dictionary entry
     * (see the class comment), or null.
     */
    static Expr.ColumnRef entryWiseColumn(Expr e) {
        if (e instanceof Expr.ColumnRef) {
            return e.type() == ColumnType.STRING ? (Expr.ColumnRef) e : null;
        } else if (e instanceof Expr.Compare) {
            Expr.Compare c = (Expr.Compare) e;
            if (isConstant(c.right())) {
                return entryWiseColumn(c.left());
            }
            return isConstant(c.left()) ? entryWiseColumn(c.right()) : null;
        } else if (e instanceof Expr.InList) {
            return entryWiseColumn(((Expr.InList) e).arg());
        } else if (e instanceof Expr.Like) {
            return entryWiseColumn(((Expr.Like) e).arg());
        } else if (e instanceof Expr.Not) {
            return entryWiseColumn(((Expr.Not) e).arg());
        } else if (e instanceof Expr.Call && ((Expr.Call) e).function().isStrictAndTotal()) {
            Expr.ColumnRef found = null;
            for (Expr a : ((Expr.Call) e).args()) {
                if (isConstant(a)) {
                    continue;
                }
                if (found != null) {
                    return null;
                }
                found = entryWiseColumn(a);
                if (found == null) {
                    return null;
                }
            }
            return found;
        }
        return null;
    }

    private static boolean isConstant(Expr e) {
        return e instanceof Expr.Literal && !((Expr.Literal) e).isNull();
    }

    private EntryValues entryValues(Expr e, DictVec d, PlainEvaluator evaluator) {
        Key key = new Key(e, d.dictionary);
        EntryValues found = memo.get(key);
        if (found == null) {
            if (memo.size() >= MAX_ENTRIES) {
                memo.clear();
            }
            Input entries = entriesInput(d, entryWiseColumn(e).slot());
            int size = entries.rows();
            int[] all = new int[size];
            for (int c = 0; c < size; c++) {
                all[c] = c;
            }
            found = new EntryValues(evaluator.evalPlain(e, entries, all, size));
            memo.put(key, found);
        }
        return found;
    }

    /**
     * The answer ({@link #TRUE}, {@link #FALSE} or {@link #NULL}) of BOOLEAN expression {@code e}
     * (one {@link #dictionaryColumn} accepts) for every entry of {@code d}'s dictionary, by code.
     */
    byte[] answers(Expr e, DictVec d, PlainEvaluator evaluator) {
        EntryValues v = entryValues(e, d, evaluator);
        if (v.answers == null) {
            BoolVec b = (BoolVec) v.values;
            int size = d.dictionary.size();
            byte[] out = new byte[size];
            for (int c = 0; c < size; c++) {
                out[c] = b.isNull(c) ? NULL : b.values[c] ? TRUE : FALSE;
            }
            v.answers = out;
        }
        return v.answers;
    }

    /** The value of {@code e} (one {@link #dictionaryColumn} accepts) for the selected rows. */
    Vec eval(Expr e, DictVec d, int rows, int[] sel, int n, PlainEvaluator evaluator) {
        if (e.type() == ColumnType.BOOLEAN) {
            return byCode(d, answers(e, d, evaluator), rows, sel, n);
        }
        EntryValues v = entryValues(e, d, evaluator);
        if (e.type() == ColumnType.STRING && v.values.nulls == null) {
            return remapped(d, v, rows, sel, n);
        }
        return gathered(d, v.values, e.type(), rows, sel, n);
    }

    /** VARCHAR results per entry as codes into a dictionary of the distinct results. */
    private static Vec remapped(DictVec d, EntryValues v, int rows, int[] sel, int n) {
        if (v.mapped == null) {
            int size = d.dictionary.size();
            List<String> results = new ArrayList<>(size);
            for (int c = 0; c < size; c++) {
                results.add((String) v.values.get(c));
            }
            StringDictionary mapped = StringDictionary.of(results);
            Map<String, Integer> codeOf = new HashMap<>();
            for (int c = 0; c < mapped.size(); c++) {
                codeOf.put(mapped.string(c), c);
            }
            int[] codeMap = new int[size];
            for (int c = 0; c < size; c++) {
                codeMap[c] = codeOf.get(results.get(c));
            }
            v.codeMap = codeMap;
            v.mapped = mapped;
        }
        int[] codes = new int[rows];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (!d.isNull(i)) {
                codes[i] = v.codeMap[d.codes[i]];
            }
        }
        DictVec out = new DictVec(ColumnType.STRING, codes, v.mapped);
        out.nulls = d.nulls;
        return out;
    }

    /** Results per entry copied to each selected row by its code; NULL rows stay NULL. */
    private static Vec gathered(DictVec d, Vec entries, ColumnType type, int rows, int[] sel, int n) {
        Vec out = ResultVectors.create(type, rows);
        boolean[] nulls = d.nulls == null ? null : d.nulls.clone();
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (d.isNull(i)) {
                continue;
            }
            int c = d.codes[i];
            if (entries.isNull(c)) {
                if (nulls == null) {
                    nulls = new boolean[rows];
                }
                nulls[i] = true;
            } else if (out instanceof LongVec) {
                ((LongVec) out).values[i] = ((LongVec) entries).values[c];
            } else if (out instanceof Vec.DoubleVec) {
                ((Vec.DoubleVec) out).values[i] = ((Vec.DoubleVec) entries).values[c];
            } else {
                ((Vec.ArrayBytesVec) out).values[i] = ((Vec.BytesVec) entries).copy(c);
            }
        }
        out.nulls = nulls;
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
