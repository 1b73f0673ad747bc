package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.StringDictionary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernels that work on dictionary codes (filters answered once per entry, group ids looked up
 * once per code, hashes of several keys per entry) give exactly what the plain-bytes kernels give
 * on the same strings: each check runs both over random data with NULLs, several dictionaries (as
 * blocks of different segments) and partial selections.
 */
class DictionaryKernelsTest {
    private static final String[] VALUES = {
        "Paris", "Berlin", "Rome", "", "a", "b", "é", "日本", "Zürich", "paris", "\uD83D\uDE42x", "Q"
    };
    private final Random random = new Random(42);

    /** One batch's column twice: as codes into {@code dict} and as plain bytes. */
    private record Column(Vec.DictVec coded, Vec.ArrayBytesVec plain) {}

    private Column column(StringDictionary dict, int rows) {
        int[] codes = new int[rows];
        byte[][] plain = new byte[rows][];
        boolean[] nulls = new boolean[rows];
        boolean anyNull = false;
        for (int i = 0; i < rows; i++) {
            if (random.nextInt(8) == 0) {
                nulls[i] = true;
                anyNull = true;
                continue;
            }
            codes[i] = random.nextInt(dict.size());
            plain[i] = dict.bytes(codes[i]).clone();
        }
        Vec.DictVec d = new Vec.DictVec(ColumnType.STRING, codes, dict);
        d.nulls = anyNull ? nulls : null;
        return new Column(d, new Vec.ArrayBytesVec(ColumnType.STRING, plain));
    }

    private StringDictionary randomDictionary() {
        List<String> values = new ArrayList<>();
        for (String v : VALUES) {
            if (random.nextInt(3) > 0) {
                values.add(v);
            }
        }
        values.add("only-" + random.nextInt(5));
        return StringDictionary.of(values);
    }

    private int[] selection(int rows) {
        int[] sel = new int[rows];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (random.nextInt(4) > 0) {
                sel[n++] = i;
            }
        }
        return Arrays.copyOf(sel, n);
    }

    private static Expr.Literal lit(String s) {
        return new Expr.Literal(s, ColumnType.STRING);
    }

    private List<Expr> predicates() {
        Expr col = new Expr.ColumnRef(0, "city", ColumnType.STRING);
        List<Expr> out = new ArrayList<>();
        for (Expr.CmpOp op : Expr.CmpOp.values()) {
            for (String v : new String[] {"Paris", "M", "", "zzz", "日本"}) {
                out.add(new Expr.Compare(op, col, lit(v)));
                out.add(new Expr.Compare(op, lit(v), col));
            }
        }
        out.add(new Expr.InList(col, List.of(lit("Rome"), lit("a"), lit("nope")), false));
        out.add(new Expr.InList(col, List.of(lit("Rome"), lit("a")), true));
        out.add(new Expr.InList(col, List.of(lit("Rome"), new Expr.Literal(null, ColumnType.STRING)), false));
        out.add(new Expr.InList(col, List.of(lit("Rome"), new Expr.Literal(null, ColumnType.STRING)), true));
        for (String p : new String[] {"P%", "%a%", "_", "", "%", "Z_rich"}) {
            out.add(new Expr.Like(col, p, '\\', false));
            out.add(new Expr.Like(col, p, '\\', true));
        }
        out.add(new Expr.Not(new Expr.Compare(Expr.CmpOp.EQ, col, lit("Berlin"))));
        out.add(new Expr.Compare(Expr.CmpOp.EQ, call(ScalarFunction.LOWER, ColumnType.STRING, col), lit("paris")));
        out.add(new Expr.Compare(
                Expr.CmpOp.GT,
                call(ScalarFunction.LENGTH, ColumnType.INT64, col),
                new Expr.Literal(2L, ColumnType.INT64)));
        out.add(call(ScalarFunction.STARTS_WITH, ColumnType.BOOLEAN, col, lit("P")));
        out.add(new Expr.Not(call(ScalarFunction.REGEXP_MATCHES, ColumnType.BOOLEAN, col, lit("^[a-z]"))));
        out.add(new Expr.Like(call(ScalarFunction.UPPER, ColumnType.STRING, col), "%R%", '\\', false));
        return out;
    }

    private static Expr call(ScalarFunction fn, ColumnType type, Expr... args) {
        return new Expr.Call(fn, List.of(args), type);
    }

    /** Functions of the column alone: VARCHAR results stay dictionary-encoded, others are gathered by code. */
    private List<Expr> functions() {
        Expr col = new Expr.ColumnRef(0, "city", ColumnType.STRING);
        return List.of(
                call(ScalarFunction.LOWER, ColumnType.STRING, col),
                call(ScalarFunction.UPPER, ColumnType.STRING, call(ScalarFunction.TRIM, ColumnType.STRING, col)),
                call(
                        ScalarFunction.SUBSTRING,
                        ColumnType.STRING,
                        col,
                        new Expr.Literal(1L, ColumnType.INT64),
                        new Expr.Literal(2L, ColumnType.INT64)),
                call(ScalarFunction.REGEXP_REPLACE, ColumnType.STRING, col, lit("[ae]"), lit("_"), lit("g")),
                call(ScalarFunction.CONCAT_OPERATOR, ColumnType.STRING, col, lit("!")),
                call(ScalarFunction.LENGTH, ColumnType.INT64, col),
                call(ScalarFunction.STRLEN, ColumnType.INT64, col));
    }

    @Test
    void functionsOnCodesEqualFunctionsOnBytes() {
        VectorEvaluator coded = new VectorEvaluator();
        VectorEvaluator plain = new VectorEvaluator();
        for (int batch = 0; batch < 20; batch++) {
            StringDictionary dict = batch % 3 == 0 ? randomDictionary() : StringDictionary.of(List.of(VALUES));
            int rows = 1 + random.nextInt(300);
            Column c = column(dict, rows);
            int[] sel = selection(rows);
            for (Expr f : functions()) {
                Vec a = coded.eval(f, Input.of(rows, new Vec[] {c.coded()}), sel, sel.length);
                Vec b = plain.eval(f, Input.of(rows, new Vec[] {c.plain()}), sel, sel.length);
                if (f.type() == ColumnType.STRING) {
                    assertEquals(Vec.DictVec.class, a.getClass(), f + " stays dictionary-encoded");
                }
                for (int i : sel) {
                    assertEquals(
                            b.get(i),
                            a.get(i),
                            f + " row " + i + " value " + c.plain().get(i));
                }
            }
        }
    }

    @Test
    void filtersOnCodesEqualFiltersOnBytes() {
        VectorEvaluator coded = new VectorEvaluator();
        VectorEvaluator plain = new VectorEvaluator();
        int checked = 0;
        for (int batch = 0; batch < 30; batch++) {
            StringDictionary dict = batch % 3 == 0 ? randomDictionary() : StringDictionary.of(List.of(VALUES));
            int rows = 1 + random.nextInt(300);
            Column c = column(dict, rows);
            int[] sel = selection(rows);
            for (Expr p : predicates()) {
                Vec a = coded.eval(p, Input.of(rows, new Vec[] {c.coded()}), sel, sel.length);
                Vec b = plain.eval(p, Input.of(rows, new Vec[] {c.plain()}), sel, sel.length);
                for (int i : sel) {
                    assertEquals(
                            b.get(i),
                            a.get(i),
                            p + " row " + i + " value " + c.plain().get(i));
                    checked++;
                }
                int[] s1 = sel.clone();
                int[] s2 = sel.clone();
                int n1 = coded.filter(p, Input.of(rows, new Vec[] {c.coded()}), s1, s1.length);
                int n2 = plain.filter(p, Input.of(rows, new Vec[] {c.plain()}), s2, s2.length);
                assertArrayEquals(Arrays.copyOf(s2, n2), Arrays.copyOf(s1, n1), p.toString());
            }
        }
        assertEquals(true, checked > 10_000, "checked " + checked);
    }

    @Test
    void groupIdsOnCodesEqualGroupIdsOnBytes() {
        for (int keys = 1; keys <= 2; keys++) {
            ColumnType[] types = new ColumnType[keys];
            Arrays.fill(types, ColumnType.STRING);
            GroupTable coded = new GroupTable(types);
            GroupTable plain = new GroupTable(types);
            for (int batch = 0; batch < 40; batch++) {
                int rows = 1 + random.nextInt(500);
                Vec[] codedKeys = new Vec[keys];
                Vec[] plainKeys = new Vec[keys];
                for (int k = 0; k < keys; k++) {
                    Column c = column(batch % 4 == 0 ? randomDictionary() : StringDictionary.of(List.of(VALUES)), rows);
                    codedKeys[k] = c.coded();
                    plainKeys[k] = c.plain();
                }
                int[] sel = selection(rows);
                int[] g1 = coded.groupIds(codedKeys, sel, sel.length, new int[sel.length]);
                int[] g2 = plain.groupIds(plainKeys, sel, sel.length, new int[sel.length]);
                assertArrayEquals(g2, g1, "batch " + batch + " with " + keys + " key(s)");
            }
            assertEquals(plain.size(), coded.size());
            Vec[] a = coded.keyVectors();
            Vec[] b = plain.keyVectors();
            for (int g = 0; g < plain.size(); g++) {
                for (int k = 0; k < keys; k++) {
                    assertEquals(b[k].get(g), a[k].get(g));
                }
            }
        }
    }

    @Test
    void aCodeOutsideItsDictionaryIsRefused() {
        StringDictionary dict = StringDictionary.of(List.of("a", "b"));
        try (org.apache.arrow.memory.BufferAllocator al = new org.apache.arrow.memory.RootAllocator();
                org.apache.arrow.vector.IntVector codes = new org.apache.arrow.vector.IntVector("c", al)) {
            codes.allocateNew(3);
            codes.set(0, 1);
            codes.setNull(1);
            codes.set(2, 2);
            codes.setValueCount(3);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalStateException.class,
                    () -> ArrowColumnReader.readCodes(codes, dict, ColumnType.STRING, 3, null));
            org.junit.jupiter.api.Assertions.assertTrue(
                    e.getMessage().contains("outside its dictionary"), e.getMessage());
            codes.set(2, 0);
            Vec v = ArrowColumnReader.readCodes(codes, dict, ColumnType.STRING, 3, null);
            assertEquals(Arrays.asList("b", null, "a"), Arrays.asList(v.get(0), v.get(1), v.get(2)));
            assertEquals("b", new String(((Vec.BytesVec) v).copy(0), StandardCharsets.UTF_8));
        }
    }
}
