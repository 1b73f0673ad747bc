package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryException;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL fuzzing through {@link QueryEngine} over a real engine table (rows in segments and in the
 * memtable, every column type, nulls): valid seed queries, then seeded token- and character-level
 * mutations of them and random token soup. Every query must either answer or throw a {@link
 * QueryException} with one of the documented codes (which the HTTP layer maps to 400/413) within
 * its time limit; any other exception (a 5xx over HTTP) or a hang fails the test, which lists the
 * distinct failures with the query that caused them. The seeds themselves must all answer. Queries:
 * {@code -Driver.sqlfuzz.queries} (default 4000); seed: {@code -Driver.sqlfuzz.seed}.
 */
class SqlFuzzTest {
    private static final int QUERIES = Integer.getInteger("river.sqlfuzz.queries", 4000);
    private static final long SEED = Long.getLong("river.sqlfuzz.seed", 4242L);
    private static final long QUERY_TIMEOUT_SECONDS = 20;
    private static final Set<String> CODES = Set.of(
            QueryException.SYNTAX_ERROR,
            QueryException.UNKNOWN_TABLE,
            QueryException.UNKNOWN_COLUMN,
            QueryException.UNSUPPORTED,
            QueryException.TYPE_MISMATCH,
            QueryException.INVALID_QUERY,
            QueryException.OUT_OF_RANGE,
            QueryException.RESULT_TOO_LARGE);

    static final List<String> SEEDS = List.of(
            "SELECT * FROM ev",
            "SELECT id, n, x, city, ok, ts, raw FROM ev WHERE id < 50 ORDER BY id",
            "SELECT count(*) FROM ev",
            "SELECT count(*), count(n), count(DISTINCT city), sum(n), min(x), max(x), avg(x) FROM ev",
            "SELECT approx_count_distinct(city) FROM ev",
            "SELECT city, count(*) AS c, sum(id) FROM ev GROUP BY city ORDER BY c DESC, city LIMIT 5",
            "SELECT city, avg(x) FROM ev WHERE ok GROUP BY city HAVING count(*) > 3 ORDER BY city",
            "SELECT date_trunc('hour', ts) AS h, count(*) FROM ev GROUP BY date_trunc('hour', ts) ORDER BY h",
            "SELECT date_trunc('day', ts), max(n) FROM ev GROUP BY 1 ORDER BY 1",
            "SELECT date_trunc('minute', ts) AS m, min(city) FROM ev GROUP BY m ORDER BY m LIMIT 10 OFFSET 2",
            "SELECT id FROM ev WHERE city LIKE 'c_t%' AND n BETWEEN 3 AND 70 ORDER BY id",
            "SELECT id FROM ev WHERE city NOT LIKE '%1%' OR x IS NULL ORDER BY id LIMIT 20",
            "SELECT id, n * 2 + 1, x / 3.0, -id, id % 7 FROM ev WHERE n IN (1, 2, 3, 5, 8) ORDER BY id",
            "SELECT id FROM ev WHERE NOT (n > 10 AND x < 100.5) AND ts >= TIMESTAMP '2024-01-01 00:00:00' ORDER BY id",
            "SELECT CASE WHEN n > 50 THEN 'big' WHEN n > 10 THEN 'mid' ELSE 'small' END AS size, count(*) FROM ev "
                    + "GROUP BY size ORDER BY size",
            "SELECT CASE city WHEN 'city1' THEN 1 ELSE 0 END, coalesce(n, -1), coalesce(x, 0.0) FROM ev ORDER BY id "
                    + "LIMIT 9",
            "SELECT CAST(n AS BIGINT), CAST(x AS INTEGER), CAST(id AS VARCHAR), n::DOUBLE FROM ev WHERE x < 1000 "
                    + "ORDER BY id LIMIT 30",
            "SELECT e.id, e.city FROM ev AS e WHERE e.ok = true ORDER BY e.id DESC LIMIT 3",
            "SELECT _key, id FROM ev ORDER BY _key LIMIT 5",
            "SELECT ok, count(*) FROM ev GROUP BY ok ORDER BY ok",
            "SELECT 1 + 2, 'a', NULL, 3.5 * 2",
            "SELECT id FROM ev WHERE raw IS NOT NULL ORDER BY id LIMIT 4",
            "SELECT min(ts), max(ts), count(ts) FROM ev",
            "SELECT city FROM ev WHERE city IN ('city1', 'city2') AND id <> 4 ORDER BY id",
            "SELECT count(*) FROM ev WHERE x BETWEEN -1e9 AND 1e9 AND NOT ok");

    private static final String[] VOCABULARY = {
        "SELECT",
        "FROM",
        "WHERE",
        "GROUP",
        "BY",
        "ORDER",
        "HAVING",
        "LIMIT",
        "OFFSET",
        "AND",
        "OR",
        "NOT",
        "IN",
        "BETWEEN",
        "LIKE",
        "IS",
        "NULL",
        "TRUE",
        "FALSE",
        "CASE",
        "WHEN",
        "THEN",
        "ELSE",
        "END",
        "AS",
        "ASC",
        "DESC",
        "DISTINCT",
        "CAST",
        "COUNT",
        "SUM",
        "MIN",
        "MAX",
        "AVG",
        "approx_count_distinct",
        "coalesce",
        "date_trunc",
        "ev",
        "id",
        "n",
        "x",
        "city",
        "ok",
        "ts",
        "raw",
        "_key",
        "*",
        "+",
        "-",
        "/",
        "%",
        "=",
        "<",
        ">",
        "<=",
        ">=",
        "<>",
        "!=",
        "(",
        ")",
        ",",
        ".",
        "::",
        ";",
        "'",
        "\"",
        "0",
        "1",
        "-1",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "-9223372036854775808",
        "99999999999999999999",
        "1e308",
        "1e309",
        "-0.0",
        "NaN",
        "'city1'",
        "'%'",
        "'_'",
        "'\\'",
        "'day'",
        "'week'",
        "''",
        "'2024-01-01'",
        "TIMESTAMP",
        "INTEGER",
        "BIGINT",
        "DOUBLE",
        "VARCHAR",
        "BOOLEAN",
        "DATE",
        "FILTER",
        "OVER",
        "JOIN",
        "UNION",
        "WITH",
        "INTERVAL",
        "$1",
        "?",
        "--",
        "/*",
        "\u00e9",
        "\uD83D\uDE00",
        "\u0000"
    };
    private static final Pattern TOKENS = Pattern.compile(
            "'(?:[^']|'')*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*|\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|::|<=|>=|<>|!=|\\s+|"
                    + ".");

    @Test
    void mutatedAndRandomQueriesAnswerOrFailCleanly(@TempDir Path dir) throws Exception {
        Random rnd = new Random(SEED);
        Map<String, String> failures = new LinkedHashMap<>();
        int answered = 0;
        int rejected = 0;
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sql-fuzz");
            t.setDaemon(true);
            return t;
        });
        try (RiverEngine e = EngineTestUtils.openSmall(dir);
                QueryEngine queries = new QueryEngine(2)) {
            load(e);
            EngineCatalog catalog = new EngineCatalog(e);
            for (String seed : SEEDS) {
                try {
                    queries.execute(seed, catalog);
                } catch (RuntimeException ex) {
                    failures.put("seed", seed + " -> " + ex);
                }
            }
            for (int i = 0; i < QUERIES; i++) {
                String sql = rnd.nextInt(10) == 0 ? soup(rnd) : mutate(rnd, SEEDS.get(rnd.nextInt(SEEDS.size())));
                Future<?> f = runner.submit(() -> queries.execute(sql, catalog));
                try {
                    f.get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    answered++;
                } catch (TimeoutException ex) {
                    f.cancel(true);
                    throw new AssertionError("query ran over " + QUERY_TIMEOUT_SECONDS + " s (hang): " + sql);
                } catch (ExecutionException ex) {
                    Throwable c = ex.getCause();
                    if (c instanceof QueryException qe && CODES.contains(qe.code())) {
                        rejected++;
                    } else {
                        String kind = c.getClass().getName() + " at "
                                + (c.getStackTrace().length > 0 ? c.getStackTrace()[0] : "?");
                        failures.putIfAbsent(kind, sql + " -> " + c);
                    }
                }
            }
        } finally {
            runner.shutdownNow();
        }
        System.out.println("sql fuzz: " + QUERIES + " queries (seed " + SEED + "), " + answered + " answered, "
                + rejected + " rejected with a 4xx-class QueryException, " + failures.size() + " distinct failures");
        assertTrue(failures.isEmpty(), () -> {
            StringBuilder sb = new StringBuilder("queries that failed with something other than a QueryException:");
            failures.forEach(
                    (k, v) -> sb.append("\n  ").append(k).append("\n      ").append(v));
            return sb.toString();
        });
    }

    /** Rows of every column type, some null, part in segments and part in the memtable. */
    private static void load(RiverEngine e) throws Exception {
        e.createTable("ev", TableMode.UPSERT);
        Random r = new Random(SEED);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        for (int batch = 0; batch < 20; batch++) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (int i = 0; i < 100; i++) {
                long id = batch * 100L + i;
                Row.Builder row = Row.builder("k" + id).set("_key", "k" + id).set("id", id);
                if (r.nextInt(10) > 0) {
                    row.set("n", r.nextInt(100));
                }
                if (r.nextInt(10) > 0) {
                    row.set("x", r.nextGaussian() * 1000);
                }
                if (r.nextInt(10) > 0) {
                    row.set("city", "city" + r.nextInt(12));
                }
                row.set("ok", r.nextBoolean());
                row.set("ts", t0.plusSeconds(r.nextInt(3 * 86400)));
                if (r.nextInt(3) == 0) {
                    row.set("raw", new byte[] {(byte) i, 1, 2});
                }
                b.add("ev", row.build());
            }
            e.write(b.build());
            if (batch == 12) {
                e.flush();
            }
        }
    }

    /** One to three token- or character-level mutations of a valid query. */
    static String mutate(Random r, String sql) {
        String s = sql;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            s = r.nextInt(4) == 0 ? mutateChar(r, s) : mutateToken(r, s);
        }
        return s;
    }

    private static String mutateToken(Random r, String s) {
        List<String> t = tokens(s);
        if (t.isEmpty()) {
            return s;
        }
        int at = r.nextInt(t.size());
        switch (r.nextInt(5)) {
            case 0 -> t.remove(at);
            case 1 -> t.add(at, t.get(at));
            case 2 -> {
                int other = r.nextInt(t.size());
                String tmp = t.get(at);
                t.set(at, t.get(other));
                t.set(other, tmp);
            }
            case 3 -> t.set(at, VOCABULARY[r.nextInt(VOCABULARY.length)]);
            default -> t.add(at, " " + VOCABULARY[r.nextInt(VOCABULARY.length)] + " ");
        }
        return String.join("", t);
    }

    private static String mutateChar(Random r, String s) {
        if (s.isEmpty()) {
            return "x";
        }
        int at = r.nextInt(s.length());
        char[] odd = {'\'', '"', '(', ')', ';', '\\', '\0', '\n', '%', '_', '-', '/', '*', ':', '\u2028', '\uFFFF'};
        return switch (r.nextInt(3)) {
            case 0 -> s.substring(0, at) + s.substring(at + 1);
            case 1 -> s.substring(0, at) + odd[r.nextInt(odd.length)] + s.substring(at);
            default -> s.substring(0, at) + (char) (32 + r.nextInt(95)) + s.substring(at + 1);
        };
    }

    private static String soup(Random r) {
        StringBuilder sb = new StringBuilder(r.nextBoolean() ? "SELECT " : "");
        int n = 1 + r.nextInt(20);
        for (int i = 0; i < n; i++) {
            sb.append(VOCABULARY[r.nextInt(VOCABULARY.length)]).append(' ');
        }
        return sb.toString();
    }

    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKENS.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
