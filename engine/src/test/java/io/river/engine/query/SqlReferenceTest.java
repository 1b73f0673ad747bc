package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.query.TimeKernels.Part;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's SQL reference true: every row of its function table is run in River and in
 * DuckDB (once per alias in River) and both must give the result the README shows; every aggregate
 * and every {@code date_part} part River knows is listed, and every listed aggregate is one River
 * binds. A change to the binder that the README does not follow fails here.
 */
class SqlReferenceTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern CALL_NAME = Pattern.compile("^([a-z_]+)\\(");

    private static DifferentialFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = DifferentialFixture.open(3L, 1, 1, b -> b);
    }

    @AfterAll
    static void close() throws Exception {
        fixture.close();
    }

    /** One row of the function table: the names (first one and aliases), the example and its result. */
    record Entry(List<String> names, String example, String result) {}

    @Test
    void everyFunctionExampleInTheReadmeGivesTheResultShownInRiverAndInDuckDb() throws Exception {
        List<Entry> entries = functionTable();
        assertTrue(entries.size() >= 20, "the README's function table has " + entries.size() + " rows");
        List<String> wrong = new ArrayList<>();
        for (Entry e : entries) {
            String duckValue = duckValue(e.example());
            if (!duckValue.equals(e.result())) {
                wrong.add(e.example() + ": README says " + e.result() + ", DuckDB gives " + duckValue);
            }
            for (String example : withEachAlias(e)) {
                String riverValue = riverValue(example);
                if (!riverValue.equals(e.result())) {
                    wrong.add(example + ": README says " + e.result() + ", River gives " + riverValue);
                }
            }
        }
        assertTrue(wrong.isEmpty(), "README SQL reference out of date:\n" + String.join("\n", wrong));
    }

    @Test
    void theReadmeListsExactlyTheAggregatesRiverBinds() throws IOException {
        Set<String> listed = new LinkedHashSet<>();
        for (String code : codes(section("sql-aggregates"))) {
            Matcher m = CALL_NAME.matcher(code);
            assertTrue(m.find(), "not a call: " + code);
            listed.add(m.group(1));
        }
        assertEquals(new LinkedHashSet<>(ExpressionBinder.AGGREGATES), listed);
    }

    @Test
    void theReadmeListsEveryDatePartRiverKnows() throws IOException {
        String text = readme();
        int from = text.indexOf("Parts for `date_part`");
        assertTrue(from >= 0, "the README lost its list of date parts");
        String parts = text.substring(from, text.indexOf("Units for", from));
        for (Part p : Part.values()) {
            assertTrue(
                    Pattern.compile("\\b" + p.name().toLowerCase(Locale.ROOT) + "\\b")
                            .matcher(parts)
                            .find(),
                    "date part " + p + " is missing from the README");
        }
    }

    @Test
    void everyScalarKernelIsReachableThroughADocumentedName() throws Exception {
        Set<String> documented = new LinkedHashSet<>();
        for (Entry e : functionTable()) {
            documented.addAll(e.names());
        }
        for (ScalarFunction fn : ScalarFunction.values()) {
            String name = fn.name().toLowerCase(Locale.ROOT);
            boolean internal = fn == ScalarFunction.CONCAT_OPERATOR || fn == ScalarFunction.ADD_MONTHS;
            assertTrue(internal || documented.contains(name), "function " + name + " is not in the README");
        }
        assertFalse(documented.isEmpty());
    }

    // ---- reading the README ----

    private static String readme() throws IOException {
        return Files.readString(README, StandardCharsets.UTF_8);
    }

    private static String section(String marker) throws IOException {
        String text = readme();
        int from = text.indexOf("<!-- " + marker + ":begin -->");
        int to = text.indexOf("<!-- " + marker + ":end -->");
        assertTrue(from >= 0 && to > from, "README section " + marker + " is missing");
        return text.substring(from, to);
    }

    private static List<String> codes(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The rows of the function table; a cell's {@code \|} is a literal bar. */
    static List<Entry> functionTable() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : section("sql-functions").split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.replace("\\|", "\u0001").split("\\|");
            List<String> names = new ArrayList<>();
            for (String code : codes(cells[1].replace('\u0001', '|'))) {
                Matcher m = CALL_NAME.matcher(code);
                if (m.find()) {
                    names.add(m.group(1));
                } else if (code.matches("[a-z_]+")) {
                    names.add(code);
                }
            }
            String example = codes(cells[2]).get(0).replace('\u0001', '|');
            String result = codes(cells[3]).get(0);
            out.add(new Entry(names, example, result));
        }
        return out;
    }

    /**
     * The example as written, then once per alias with the first name replaced by it (a niladic call such
     * as {@code now()} by the bare keyword, as {@code current_timestamp} is written).
     */
    private static List<String> withEachAlias(Entry e) {
        List<String> out = new ArrayList<>(List.of(e.example()));
        if (e.names().size() > 1) {
            String first = e.names().get(0);
            for (String alias : e.names().subList(1, e.names().size())) {
                String niladic = first + "()";
                out.add(
                        e.example().contains(niladic)
                                ? e.example().replace(niladic, alias)
                                : e.example().replaceFirst("(?i)\\b" + first + "\\b", alias));
            }
        }
        return out;
    }

    // ---- running an example ----

    private static String riverValue(String example) {
        try {
            List<Object[]> rows = fixture.engine
                    .execute("SELECT " + example + " FROM t", fixture.catalog)
                    .rows();
            return render(rows.get(0)[0]);
        } catch (RuntimeException e) {
            return "error " + e.getMessage();
        }
    }

    private static String duckValue(String example) {
        try (Statement st = fixture.duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + example + " FROM t")) {
            List<Object[]> rows = DuckDbDifferentialTest.readDuck(rs);
            Object v = rows.get(0)[0];
            boolean timestamp = rs.getMetaData().getColumnTypeName(1).equals("TIMESTAMP");
            return v != null && timestamp ? Instant.ofEpochMilli((Long) v).toString() : render(v);
        } catch (SQLException e) {
            return "error " + e.getMessage().split("\n")[0];
        }
    }

    /** A value as the README writes it: NULL, numbers without trailing zeros, instants in ISO-8601. */
    private static String render(Object v) {
        Object n = DuckDbDifferentialTest.normalize(v);
        if (n == null) {
            return "NULL";
        }
        if (v instanceof Instant) {
            return v.toString();
        }
        if (n instanceof Double || n instanceof Long) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }
}
