package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.testing.EngineTestUtils;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SQL over a real {@link RiverEngine} upsert table whose rows live partly in segments (small
 * memtables, 64-row blocks) and partly in the memtable, with superseded versions and deletes in
 * both, compared with DuckDB holding only the final rows.
 */
class RiverEngineQueryTest {
    static final long SEED = 77;

    static Row row(String key, Object[] values) {
        Map<String, Object> m = new HashMap<>();
        m.put("_key", key);
        for (int c = 0; c < values.length; c++) {
            if (values[c] != null) {
                m.put(DifferentialData.COLUMNS.get(c).name(), values[c]);
            }
        }
        return Row.of(key, m);
    }

    static void write(RiverEngine e, List<Row> rows) throws Exception {
        for (int from = 0; from < rows.size(); from += 100) {
            WriteBatch.Builder b = WriteBatch.builder();
            for (Row r : rows.subList(from, Math.min(rows.size(), from + 100))) {
                b.add("t", r);
            }
            e.write(b.build());
        }
    }

    @Test
    void selectStarHidesSystemColumnsThatCanStillBeNamed(@TempDir Path dir) throws Exception {
        try (RiverEngine e = EngineTestUtils.openSmall(dir);
                QueryEngine engine = new QueryEngine(2)) {
            e.createTable("t", TableMode.UPSERT);
            Map<String, Object> m = new HashMap<>();
            m.put("_key", "k1");
            m.put("city", "Oslo");
            m.put("n", 7L);
            write(e, List.of(Row.of("k1", m)));
            EngineCatalog catalog = new EngineCatalog(e);
            QueryResult star = engine.execute("SELECT * FROM t", catalog);
            assertEquals(
                    List.of("city", "n"),
                    star.columns().stream().map(ResultColumn::name).sorted().toList());
            QueryResult named = engine.execute("SELECT _key, * FROM t", catalog);
            assertEquals("_key", named.columns().get(0).name());
            assertEquals("k1", named.rows().get(0)[0]);
            QueryResult nested = engine.execute("SELECT * FROM (SELECT _key, n FROM t) AS q", catalog);
            assertEquals(
                    List.of("_key", "n"),
                    nested.columns().stream().map(ResultColumn::name).toList());
        }
    }

    /** Segments narrowed ({@code auto}, the default: scans read narrow stored integers) and plain ({@code none}). */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "none"})
    void generatedQueriesOverMemtableAndSegmentsMatchDuckDb(String encoding, @TempDir Path dir) throws Exception {
        DifferentialData data = new DifferentialData(SEED, 2000);
        List<Object[]> rows = data.rows();
        Random r = new Random(SEED);
        try (RiverEngine e = EngineTestUtils.openSmall(dir, "river.segment.encoding=" + encoding);
                QueryEngine engine = new QueryEngine(2);
                Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            e.createTable("t", TableMode.UPSERT);
            // stale versions (values of other rows, same types), and rows that will be deleted
            List<Row> stale = new ArrayList<>();
            for (int id = 0; id < rows.size(); id++) {
                if (r.nextInt(3) == 0) {
                    Object[] other = rows.get(r.nextInt(rows.size())).clone();
                    other[0] = (long) id;
                    stale.add(row("k" + id, other));
                }
                if (r.nextInt(10) == 0) {
                    stale.add(row("gone" + id, rows.get(r.nextInt(rows.size()))));
                }
            }
            write(e, stale);
            e.flush();
            List<Row> deletes = new ArrayList<>();
            for (Row s : stale) {
                if (s.pk().startsWith("gone") && r.nextBoolean()) {
                    deletes.add(Row.tombstone(s.pk()));
                }
            }
            // final versions: the first 60% reach segments, the rest stay in the memtable
            List<Row> fin = new ArrayList<>();
            for (int id = 0; id < rows.size(); id++) {
                fin.add(row("k" + id, rows.get(id)));
            }
            int cut = rows.size() * 3 / 5;
            write(e, fin.subList(0, cut));
            write(e, deletes);
            e.flush();
            write(e, fin.subList(cut, fin.size()));
            List<Row> lateDeletes = new ArrayList<>();
            for (Row s : stale) {
                if (s.pk().startsWith("gone")) {
                    lateDeletes.add(Row.tombstone(s.pk()));
                }
            }
            write(e, lateDeletes);

            long files = 0;
            for (Object level : (List<?>) e.stats().get("levels")) {
                files += ((Number) ((Map<?, ?>) level).get("files")).longValue();
            }
            assertTrue(files > 0, "part of the table is in segments");
            assertTrue(
                    io.river.engine.testing.DataDirs.dictionaryColumns(dir) > 0,
                    "the skewed string column is dictionary-encoded in segments");
            assertEquals(
                    encoding.equals("auto"),
                    io.river.engine.testing.DataDirs.narrowedColumns(dir) > 0,
                    "numeric columns narrowed in segments with encoding " + encoding);

            data.loadInto(duck);
            Catalog catalog = new EngineCatalog(e);
            QueryResult count =
                    engine.execute("SELECT count(*), count(DISTINCT _key), min(id), max(id) FROM t", catalog);
            assertEquals(
                    List.of((long) rows.size(), (long) rows.size(), 0L, rows.size() - 1L),
                    List.of(count.rows().get(0)));
            QueryException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                    QueryException.class, () -> engine.execute("SELECT count(*) FROM nope", catalog));
            assertEquals(QueryException.UNKNOWN_TABLE, unknown.code());
            DuckDbDifferentialTest.Summary summary = DuckDbDifferentialTest.run(
                    engine,
                    catalog,
                    duck,
                    new RandomQueryGenerator(SEED, data, false),
                    Integer.getInteger("river.engine.queries", 400));
            System.out.println("engine differential: " + summary);
            assertTrue(summary.failures.isEmpty(), String.join("\n", summary.failures));
            assertTrue(summary.nonEmpty > summary.queries / 2, summary.toString());
        }
    }
}
