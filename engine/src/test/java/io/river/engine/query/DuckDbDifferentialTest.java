package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.testing.InMemoryTableSnapshot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * River against DuckDB as the oracle: the same seeded random rows in both (River's copy cut into
 * blocks with zone maps, some without stats, dead rows hidden by selection vectors, several
 * splits), thousands of generated queries from the whole subset, every answer equal: floats within
 * a relative 1e-9, unordered answers as multisets, APPROX_COUNT_DISTINCT within 5% of the exact
 * count, and a query that fails in one engine must fail in the other. {@code -Driver.diff.queries}
 * (default 2000) and {@code -Driver.diff.seed} run more or other queries.
 */
class DuckDbDifferentialTest {
    static final int QUERIES = Integer.getInteger("river.diff.queries", 2000);
    static final long SEED = Long.getLong("river.diff.seed", 20240101L);
    static final int ROWS = Integer.getInteger("river.diff.rows", 2000);

    @Test
    void riverAnswersEveryGeneratedQueryLikeDuckDb() throws Exception {
        DifferentialData data = new DifferentialData(SEED, ROWS);
        Summary summary;
        try (RootAllocator allocator = new RootAllocator();
                QueryEngine engine = new QueryEngine(4);
                Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            data.loadInto(duck);
            InMemoryTableSnapshot snapshot = InMemoryTableSnapshot.builder("t", DifferentialData.COLUMNS, allocator)
                    .rows(data.rows())
                    .blockRows(173)
                    .splits(4)
                    .deadRowEvery(6)
                    .noStatsEvery(5)
                    .seed(SEED)
                    .build();
            Catalog catalog = new TestCatalog().with(snapshot);
            summary = run(engine, catalog, duck, new RandomQueryGenerator(SEED, data, true), QUERIES);
        }
        System.out.println("differential: " + summary);
        assertTrue(
                summary.failures.isEmpty(),
                summary.failures.size() + " mismatches (seed " + SEED + "):\n" + String.join("\n", summary.failures));
        assertTrue(
                summary.bothFailed < QUERIES / 20,
                "too many generated queries fail in both engines: " + summary.bothFailed);
        assertTrue(summary.blocksSkipped > QUERIES / 10, "zone maps were hardly exercised: " + summary.blocksSkipped);
        assertTrue(summary.nonEmpty > QUERIES / 2, "too few generated queries return rows: " + summary.nonEmpty);
    }

    /** What a differential run saw. */
    static final class Summary {
        final List<String> failures = new ArrayList<>();
        int queries;
        int bothFailed;
        int nonEmpty;
        long rowsCompared;
        long blocksSkipped;
        long riverNanos;
        long duckNanos;

        @Override
        public String toString() {
            return String.format(
                    "%d queries (%d with rows, %d rows compared), %d failed in both engines,"
                            + " %d blocks skipped by zone maps, DuckDB %d ms, River %d ms, %d mismatches",
                    queries,
                    nonEmpty,
                    rowsCompared,
                    bothFailed,
                    blocksSkipped,
                    duckNanos / 1_000_000,
                    riverNanos / 1_000_000,
                    failures.size());
        }
    }

    /** Runs {@code count} generated queries on both engines and compares every answer (stops after 10 mismatches). */
    static Summary run(QueryEngine engine, Catalog catalog, Connection duck, RandomQueryGenerator gen, int count) {
        Summary sum = new Summary();
        for (int q = 0; q < count && sum.failures.size() < 10; q++, sum.queries++) {
            RandomQueryGenerator.Generated g = gen.next();
            List<Object[]> expected = null;
            String duckError = null;
            long t0 = System.nanoTime();
            try (Statement st = duck.createStatement();
                    ResultSet rs = st.executeQuery(g.duck())) {
                expected = readDuck(rs);
            } catch (SQLException e) {
                duckError = e.getMessage().split("\n")[0];
            }
            long t1 = System.nanoTime();
            List<Object[]> actual = null;
            String riverError = null;
            try {
                QueryResult result = engine.execute(g.river(), catalog);
                sum.blocksSkipped += result.stats().blocksSkipped();
                actual = normalizeRiver(result.rows());
            } catch (QueryException e) {
                riverError = e.code() + ": " + e.getMessage();
            } catch (RuntimeException e) {
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                sum.failures.add("#" + q + " " + g.river() + "\n  River crashed: " + trace);
                continue;
            }
            long t2 = System.nanoTime();
            sum.duckNanos += t1 - t0;
            sum.riverNanos += t2 - t1;
            if (duckError != null || riverError != null) {
                if (duckError == null || riverError == null) {
                    sum.failures.add("#" + q + " " + g.river() + "\n  DuckDB: " + (duckError == null ? "ok" : duckError)
                            + "\n  River: " + (riverError == null ? "ok" : riverError));
                } else {
                    sum.bothFailed++;
                }
                continue;
            }
            if (g.countOnly()) {
                if (expected.size() != actual.size()) {
                    sum.failures.add("#" + q + " " + g.river() + "\n  row count: DuckDB " + expected.size() + ", River "
                            + actual.size());
                }
                continue;
            }
            sum.nonEmpty += expected.isEmpty() ? 0 : 1;
            sum.rowsCompared += expected.size();
            String diff = compare(expected, actual, g.ordered(), g.approxColumns());
            if (diff != null) {
                sum.failures.add("#" + q + " " + g.river() + "\n  " + diff);
            }
        }
        return sum;
    }

    static List<Object[]> readDuck(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Object[]> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] row = new Object[n];
            for (int c = 0; c < n; c++) {
                String type = md.getColumnTypeName(c + 1);
                Object v;
                if (type.equals("TIMESTAMP")) {
                    LocalDateTime t = rs.getObject(c + 1, LocalDateTime.class);
                    v = t == null ? null : t.toInstant(ZoneOffset.UTC).toEpochMilli();
                } else if (type.equals("BLOB")) {
                    byte[] b = rs.getBytes(c + 1);
                    v = b == null ? null : "0x" + HexFormat.of().formatHex(b);
                } else {
                    v = normalize(rs.getObject(c + 1));
                }
                row[c] = v;
            }
            rows.add(row);
        }
        return rows;
    }

    static List<Object[]> normalizeRiver(List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>();
        for (Object[] row : rows) {
            Object[] r = new Object[row.length];
            for (int c = 0; c < row.length; c++) {
                r[c] = normalize(row[c]);
            }
            out.add(r);
        }
        return out;
    }

    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        } else if (v instanceof BigInteger) {
            return ((BigInteger) v).longValueExact();
        } else if (v instanceof BigDecimal) {
            return ((BigDecimal) v).doubleValue();
        } else if (v instanceof Float) {
            return ((Float) v).doubleValue();
        } else if (v instanceof Instant) {
            return ((Instant) v).toEpochMilli();
        } else if (v instanceof byte[]) {
            return "0x" + HexFormat.of().formatHex((byte[]) v);
        }
        return v;
    }

    static String compare(List<Object[]> expected, List<Object[]> actual, boolean ordered, Set<Integer> approx) {
        if (expected.size() != actual.size()) {
            return "row count: DuckDB " + expected.size() + ", River " + actual.size() + "\n  DuckDB: " + show(expected)
                    + "\n  River:  " + show(actual);
        }
        if (!expected.isEmpty() && expected.get(0).length != actual.get(0).length) {
            return "column count: DuckDB " + expected.get(0).length + ", River " + actual.get(0).length;
        }
        List<Object[]> e = expected;
        List<Object[]> a = actual;
        if (!ordered) {
            Comparator<Object[]> cmp = rowOrder(approx);
            e = new ArrayList<>(expected);
            a = new ArrayList<>(actual);
            e.sort(cmp);
            a.sort(cmp);
        }
        for (int r = 0; r < e.size(); r++) {
            for (int c = 0; c < e.get(r).length; c++) {
                if (!same(e.get(r)[c], a.get(r)[c], approx.contains(c))) {
                    return "row " + r + " column " + c + ": DuckDB " + Arrays.toString(e.get(r)) + ", River "
                            + Arrays.toString(a.get(r));
                }
            }
        }
        return null;
    }

    private static String show(List<Object[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(5, rows.size()); i++) {
            sb.append(Arrays.toString(rows.get(i))).append(' ');
        }
        return sb.append(rows.size() > 5 ? "..." : "").toString();
    }

    static boolean same(Object x, Object y, boolean approx) {
        if (x == null || y == null) {
            return x == y;
        }
        if (approx) {
            long ex = ((Number) x).longValue();
            long ac = ((Number) y).longValue();
            return Math.abs(ex - ac) <= Math.max(1, ex / 20);
        }
        if (x instanceof Double || y instanceof Double) {
            double a = ((Number) x).doubleValue();
            double b = ((Number) y).doubleValue();
            if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
                return Double.compare(a, b) == 0;
            }
            return Math.abs(a - b) <= 1e-9 * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
        }
        if (x instanceof Number && y instanceof Number) {
            return ((Number) x).longValue() == ((Number) y).longValue();
        }
        return x.equals(y);
    }

    static Comparator<Object[]> rowOrder(Set<Integer> skip) {
        return (r1, r2) -> {
            for (int c = 0; c < r1.length; c++) {
                if (skip.contains(c)) {
                    continue;
                }
                int k = compareValues(r1[c], r2[c]);
                if (k != 0) {
                    return k;
                }
            }
            return 0;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        if (a instanceof Long && b instanceof Long) {
            return Long.compare((Long) a, (Long) b);
        }
        if (a instanceof Number && b instanceof Number) {
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        if (a.getClass() != b.getClass()) {
            return a.getClass().getName().compareTo(b.getClass().getName());
        }
        return ((Comparable) a).compareTo(b);
    }
}
