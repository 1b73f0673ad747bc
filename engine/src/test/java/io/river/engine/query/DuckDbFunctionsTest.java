package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed queries over the differential table {@code t} (see {@link DifferentialData}), each run in
 * River and in DuckDB: equal answers (as in {@link DuckDbDifferentialTest}), or both fail. Covers
 * the scalar functions, CASE/COALESCE/NULLIF, EXTRACT/date_part/date_trunc, INTERVAL arithmetic
 * and CAST, including on the dictionary-encoded string column {@code s}.
 */
class DuckDbFunctionsTest {
    private static DifferentialFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = DifferentialFixture.open(
                7L,
                1500,
                3,
                b -> b.blockRows(211).splits(3).deadRowEvery(7).noStatsEvery(4).seed(7L));
    }

    @AfterAll
    static void close() throws Exception {
        fixture.close();
    }

    /** Runs each query in both engines; returns the mismatches. */
    static List<String> mismatches(List<String> queries, boolean bothMayFail) {
        List<String> out = new ArrayList<>();
        for (String sql : queries) {
            List<Object[]> expected = null;
            String duckError = null;
            try (Statement st = fixture.duck.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                expected = DuckDbDifferentialTest.readDuck(rs);
            } catch (SQLException e) {
                duckError = e.getMessage().split("\n")[0];
            }
            List<Object[]> actual = null;
            String riverError = null;
            try {
                actual = DuckDbDifferentialTest.normalizeRiver(
                        fixture.engine.execute(sql, fixture.catalog).rows());
            } catch (QueryException e) {
                riverError = e.code() + ": " + e.getMessage();
            } catch (RuntimeException e) {
                riverError = "CRASH " + e;
            }
            if (duckError != null || riverError != null) {
                if (duckError == null || riverError == null || riverError.startsWith("CRASH") || !bothMayFail) {
                    out.add(sql + "\n  DuckDB: " + (duckError == null ? "ok" : duckError) + "\n  River: "
                            + (riverError == null ? "ok" : riverError));
                }
                continue;
            }
            boolean ordered = sql.contains("ORDER BY");
            String diff = DuckDbDifferentialTest.compare(expected, actual, ordered, Set.of());
            if (diff != null) {
                out.add(sql + "\n  " + diff);
            }
        }
        return out;
    }

    private static void assertSame(List<String> queries, boolean bothMayFail) {
        List<String> bad = mismatches(queries, bothMayFail);
        assertTrue(bad.isEmpty(), bad.size() + " mismatches:\n" + String.join("\n", bad));
    }

    @Test
    void conditionalAndMathFunctionsMatchDuckDb() {
        assertSame(
                List.of(
                        "SELECT id, CASE WHEN i > 50 THEN 'hi' WHEN i < -50 THEN 'lo' ELSE 'mid' END FROM t",
                        "SELECT id, CASE s WHEN 'Paris' THEN 1 WHEN 'Rome' THEN 2 ELSE 0 END FROM t",
                        "SELECT id, coalesce(late, l, i), coalesce(s, h, 'none') FROM t",
                        "SELECT id, nullif(i, 0), nullif(s, 'Paris'), nullif(d, 1.5) FROM t",
                        "SELECT id, abs(i), abs(l), abs(d), abs(late) FROM t",
                        "SELECT id, round(d), round(d, 1), round(d, -2), round(i, -1), round(l, -3), round(i) FROM t",
                        "SELECT id, round(d / 7, 3), round(i * 1.5), round(-2.5), round(2.5), round(i, 2) FROM t",
                        "SELECT id, floor(d), ceil(d), ceiling(i), floor(l), ceil(d / 3) FROM t",
                        "SELECT round(i, -1) AS r, count(*) FROM t GROUP BY 1 ORDER BY 1 NULLS FIRST",
                        "SELECT id FROM t WHERE abs(d) < 100 AND round(i, -1) = 50",
                        "SELECT abs(-2147483648)",
                        "SELECT round(2147483647, -1)",
                        "SELECT sum(abs(i)), max(floor(d)), min(ceil(d)), avg(round(d, 1)) FROM t"),
                true);
    }

    @Test
    void stringFunctionsMatchDuckDb() {
        assertSame(
                List.of(
                        "SELECT id, length(s), length(h), strlen(h), lower(h), upper(h), lower(s), upper(s) FROM t",
                        "SELECT id, substring(h, 2, 3), substr(h, -3), substring(h, 0, 2), substring(h, -2, 5), "
                                + "substring(h, 3, -2), substring(s, i % 5), substring(h, 2) FROM t",
                        "SELECT id, concat(s, '-', h), concat(s, i, f), s || '/' || h, s || i, concat(NULL, s) FROM t",
                        "SELECT id, replace(h, 'a', 'XY'), replace(s, 'ar', ''), trim(h), ltrim(h), rtrim(h), "
                                + "trim(h, 'ab'), rtrim(s, 'is') FROM t",
                        "SELECT id, starts_with(s, 'Pa'), contains(h, 'a'), starts_with(h, ''), contains(s, 'er') "
                                + "FROM t",
                        "SELECT id, regexp_matches(h, '[a-c]+\\d'), regexp_matches(s, '^p', 'i'), "
                                + "regexp_replace(h, '([a-z])([0-9])', '\\2\\1'), regexp_replace(h, '[aeiou]', '_', "
                                + "'g'), "
                                + "regexp_replace(s, 'r', 'R') FROM t",
                        "SELECT id FROM t WHERE lower(s) = 'paris' ORDER BY id",
                        "SELECT id FROM t WHERE upper(s) LIKE 'P%' AND length(s) > 4 ORDER BY id",
                        "SELECT id FROM t WHERE starts_with(s, 'Ber') OR contains(s, 'ü') ORDER BY id",
                        "SELECT id FROM t WHERE regexp_matches(s, 'r.s') ORDER BY id",
                        "SELECT id FROM t WHERE NOT regexp_matches(s, '^[A-Z]') ORDER BY id",
                        "SELECT lower(s), count(*) FROM t GROUP BY lower(s) ORDER BY 1 NULLS LAST",
                        "SELECT upper(s) AS u, length(s) AS n, count(*) FROM t GROUP BY u, n ORDER BY u, n",
                        "SELECT substring(s, 1, 2) AS p, count(*), min(id) FROM t GROUP BY 1 ORDER BY 1",
                        "SELECT regexp_replace(s, 'a', 'A', 'g') AS r, count(*) FROM t GROUP BY r ORDER BY r",
                        "SELECT DISTINCT upper(s) FROM t",
                        "SELECT count(*) FROM t WHERE length(h) BETWEEN 3 AND 6",
                        "SELECT max(length(h)), min(upper(s)), count(DISTINCT lower(s)) FROM t",
                        "SELECT s || h AS x, count(*) FROM t GROUP BY x HAVING count(*) > 1 ORDER BY x",
                        "SELECT regexp_matches(s, '(') FROM t",
                        "SELECT regexp_replace(s, 'a', '\\9') FROM t",
                        "SELECT regexp_replace(s, 'a', 'b', 'z') FROM t"),
                true);
    }

    @Test
    void timeFunctionsMatchDuckDb() {
        assertSame(
                List.of(
                        "SELECT id, extract(year FROM ts), extract(quarter FROM ts), extract(month FROM ts), "
                                + "extract(day FROM ts), extract(hour FROM ts), extract(minute FROM ts), "
                                + "extract(second FROM ts), extract(millisecond FROM ts), extract(milliseconds FROM "
                                + "ts) FROM t",
                        "SELECT id, extract(epoch FROM ts), extract(dow FROM ts), extract(doy FROM ts), "
                                + "extract(week FROM ts), date_part('hour', ts), date_part('epoch', ts), "
                                + "date_part('isodow', ts) FROM t",
                        "SELECT id, date_trunc('month', ts), date_trunc('quarter', ts), date_trunc('year', ts), "
                                + "date_trunc('week', ts), date_trunc('day', ts), date_trunc('second', ts) FROM t",
                        "SELECT extract(hour FROM ts) AS h, count(*) FROM t GROUP BY 1 ORDER BY 1 NULLS FIRST",
                        "SELECT date_trunc('month', ts) AS m, count(*), max(i) FROM t GROUP BY m ORDER BY m",
                        "SELECT id, ts + INTERVAL 5 MINUTE, ts - INTERVAL '5 minutes', ts + INTERVAL '1' DAY, "
                                + "ts + INTERVAL 1 MONTH, ts - INTERVAL '1 year', ts + INTERVAL '2 hours' FROM t",
                        "SELECT id FROM t WHERE ts + INTERVAL '1' HOUR > TIMESTAMP '2024-01-01 12:00:00' ORDER BY id",
                        "SELECT TIMESTAMP '2024-01-31 10:00:00' + INTERVAL 1 MONTH, TIMESTAMP '2024-03-31 00:00:00'"
                                + " - INTERVAL '1 month'",
                        "SELECT date_part('year', TIMESTAMP '1969-12-31 23:59:59.5'), "
                                + "extract(second FROM TIMESTAMP '1969-12-31 23:59:59.5'), "
                                + "extract(millisecond FROM TIMESTAMP '1969-12-31 23:59:59.5'), "
                                + "extract(epoch FROM TIMESTAMP '1969-12-31 23:59:59.5')",
                        "SELECT id, CAST(ts AS VARCHAR), CAST(i AS VARCHAR), CAST(d AS INTEGER), CAST(f AS INTEGER), "
                                + "i::BIGINT, CAST((s = 'Paris') AS VARCHAR) FROM t",
                        "SELECT CAST('2024-01-02 03:04:05' AS TIMESTAMP), CAST('42' AS INTEGER), '1.5'::DOUBLE, "
                                + "CAST('true' AS BOOLEAN), CAST(1 AS BOOLEAN), CAST(' 7 ' AS BIGINT)",
                        "SELECT CAST(s AS INTEGER) FROM t WHERE s = 'Paris'",
                        "SELECT id, CAST(d AS VARCHAR), CAST(d / 7 AS VARCHAR), CAST(d * 1e12 AS VARCHAR), "
                                + "CAST(d / 1e9 AS VARCHAR), d::TEXT || '!', CAST(d AS BOOLEAN) FROM t",
                        "SELECT CAST(1e16 AS VARCHAR), CAST(1e15 AS VARCHAR), CAST(1e-5 AS VARCHAR), CAST(0.0001 AS "
                                + "VARCHAR), "
                                + "CAST(-1e-7 AS VARCHAR), CAST(1.7976931348623157e308 AS VARCHAR), CAST(5e-324 AS "
                                + "VARCHAR), "
                                + "CAST(CAST('nan' AS DOUBLE) AS VARCHAR), CAST(CAST('-inf' AS DOUBLE) AS VARCHAR)",
                        "SELECT '2.5'::INTEGER, '-2.5'::INTEGER, '3.5'::BIGINT, ' 7 '::INTEGER, '1_000'::INTEGER, "
                                + "'.5'::INTEGER, '5.'::INTEGER, '1e3'::INTEGER, '0x10'::INTEGER, '+5'::BIGINT",
                        "SELECT 'nan'::DOUBLE, 'Infinity'::DOUBLE, '-inf'::DOUBLE, '1_000.5'::DOUBLE, ' 2e3 '::DOUBLE",
                        "SELECT 'yes'::BOOLEAN, 'T'::BOOLEAN, 'no'::BOOLEAN, 'y'::BOOLEAN, 'N'::BOOLEAN, "
                                + "'TRUE'::BOOLEAN",
                        "SELECT '1.5d'::DOUBLE",
                        "SELECT '1e999999999'::INTEGER",
                        "SELECT 'off'::BOOLEAN",
                        "SELECT '99999999999'::INTEGER",
                        "SELECT CAST(ts AS BIGINT) FROM t",
                        "SELECT CAST('abc' AS TIMESTAMP)",
                        "SELECT date_part('fortnight', ts) FROM t"),
                true);
    }

    @Test
    void sumsOfColumnsShiftedByConstantsMatchDuckDb() {
        assertSame(
                List.of(
                        "SELECT sum(i), sum(i + 1), sum(i - 2), sum(3 - i), sum(4 + i), sum(l + 7), sum(i + 1) FROM t",
                        "SELECT s, sum(i + 10) AS a, sum(late - 1), count(*) FROM t GROUP BY s ORDER BY s NULLS FIRST",
                        "SELECT sum(late + 1), sum(i + 1) FROM t WHERE late IS NULL",
                        "SELECT sum(i + 1) FROM t WHERE id < 0",
                        "SELECT sum(i + 2147483600), sum(2147483600 + i) FROM t",
                        "SELECT s, sum(i + 1) FROM t GROUP BY s HAVING sum(i + 1) > 0 ORDER BY sum(i - 1) DESC, s",
                        "SELECT sum(d + 1), sum(i + 1.5), sum(i + i), sum(i * 2 + 1) FROM t"),
                false);
    }

    @Test
    void dateTruncAndExtractOnDatesMatchDuckDb() {
        assertSame(
                List.of(
                        "SELECT date_trunc('month', DATE '2024-02-15'), date_trunc('day', DATE '2024-02-15'), "
                                + "date_trunc('minute', DATE '2024-02-15'), date_trunc('week', DATE '2024-02-15'), "
                                + "date_trunc('year', DATE '2024-02-15'), date_trunc('hour', DATE '2024-02-15'), "
                                + "date_trunc('second', DATE '2024-02-15'), date_trunc('quarter', DATE '2024-02-15')",
                        "SELECT extract(year FROM DATE '2024-02-15'), extract(minute FROM DATE '2024-02-15'), "
                                + "extract(dow FROM DATE '2024-02-15'), extract(epoch FROM DATE '2024-02-15'), "
                                + "date_part('doy', DATE '2024-02-15'), extract(second FROM DATE '2024-02-15'), "
                                + "extract(week FROM DATE '2024-02-15'), extract(quarter FROM DATE '2024-02-15'), "
                                + "extract(isodow FROM DATE '1969-12-28'), extract(day FROM DATE '2024-02-29')",
                        "SELECT id, CAST(ts AS DATE), date_trunc('month', CAST(ts AS DATE)), "
                                + "date_trunc('week', ts::DATE), date_trunc('minute', ts::DATE), "
                                + "extract(month FROM CAST(ts AS DATE)), extract(hour FROM ts::DATE), "
                                + "extract(epoch FROM ts::DATE), date_part('dow', ts::DATE) FROM t",
                        "SELECT date_trunc('day', ts::DATE) AS d, count(*) FROM t GROUP BY 1 ORDER BY 1 NULLS FIRST",
                        "SELECT extract(day FROM ts::DATE) AS dy, count(*) FROM t GROUP BY dy ORDER BY dy NULLS LAST",
                        "SELECT id FROM t WHERE date_trunc('month', ts::DATE) = TIMESTAMP '2024-01-01 00:00:00' "
                                + "AND extract(day FROM ts::DATE) < 3 ORDER BY id",
                        "SELECT id, CAST(ts::DATE AS VARCHAR), CAST(ts::DATE AS TIMESTAMP), ts::DATE::TIMESTAMP <= ts "
                                + "FROM t",
                        "SELECT id, ts::DATE + INTERVAL 1 DAY, ts::DATE - INTERVAL '5 minutes', "
                                + "ts::DATE + INTERVAL 1 MONTH FROM t WHERE ts::DATE + INTERVAL 1 DAY > ts",
                        "SELECT CAST('2024-01-02 03:04:05' AS DATE), CAST(' 2024-1-2 ' AS DATE), "
                                + "CAST(TIMESTAMP '1969-12-31 23:00:00' AS DATE), CAST(CAST('1969-12-31' AS DATE) AS "
                                + "TIMESTAMP)"),
                false);
        assertSame(List.of("SELECT CAST('x' AS DATE)", "SELECT CAST(5 AS DATE)"), true);
    }

    @Test
    void queriesOverQueriesMatchDuckDb() {
        assertSame(
                List.of(
                        "SELECT x, count(*) FROM (SELECT i % 3 AS x FROM t WHERE i IS NOT NULL) AS q GROUP BY x ORDER "
                                + "BY x",
                        "SELECT q.s, q.c FROM (SELECT s, count(*) AS c FROM t GROUP BY s) q WHERE q.c > 10 "
                                + "ORDER BY q.c DESC, 1",
                        "SELECT * FROM (SELECT id, d FROM t ORDER BY d DESC NULLS LAST, id LIMIT 20) AS top ORDER BY "
                                + "id",
                        "SELECT max(n), min(n), avg(n) FROM (SELECT length(h) AS n FROM t)",
                        "WITH c AS (SELECT s, sum(i) AS total FROM t GROUP BY s) SELECT s, total FROM c WHERE total > "
                                + "0 "
                                + "ORDER BY total, s",
                        "WITH a AS (SELECT id, i FROM t WHERE i > 50), b AS (SELECT i % 10 AS k FROM a) "
                                + "SELECT k, count(*) FROM b GROUP BY 1 ORDER BY 1",
                        "WITH a AS (SELECT id FROM t WHERE f) SELECT count(*) FROM a",
                        "WITH a(x, y) AS (SELECT id, s FROM t) SELECT y, count(x) FROM a GROUP BY y ORDER BY y NULLS "
                                + "FIRST",
                        "SELECT id, s FROM t WHERE id < 5 UNION ALL SELECT id, h FROM t WHERE id > 1495",
                        "SELECT i FROM t WHERE id < 10 UNION ALL SELECT l FROM t WHERE id < 10 UNION ALL SELECT d "
                                + "FROM t "
                                + "WHERE id < 10",
                        "SELECT s AS name, count(*) AS c FROM t GROUP BY s UNION ALL SELECT 'all', count(*) FROM t "
                                + "ORDER BY c DESC, name LIMIT 5",
                        "SELECT id FROM t WHERE id < 3 UNION ALL SELECT id FROM t WHERE id < 2 ORDER BY 1 DESC",
                        "SELECT count(*), sum(v) FROM (SELECT i AS v FROM t UNION ALL SELECT CAST(l % 100 AS INTEGER) "
                                + "FROM t)",
                        "WITH u AS (SELECT s FROM t WHERE i > 0 UNION ALL SELECT s FROM t WHERE i < 0) "
                                + "SELECT s, count(*) FROM u GROUP BY s ORDER BY 2 DESC, 1",
                        "SELECT s, count(*) AS n FROM t GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3",
                        "SELECT upper(s) AS u, count(*) FROM t GROUP BY u ORDER BY 2, u",
                        "SELECT id FROM t WHERE id < 3 UNION ALL SELECT id, s FROM t"),
                true);
    }
}
