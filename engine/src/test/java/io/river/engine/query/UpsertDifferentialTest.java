package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.WriteBatch;
import io.river.engine.testing.EngineTestUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test over real engine tables: an upsert table {@code t} reaches the
 * differential rows through overwrites (30% of keys first hold another row's values), deletes (5%
 * more keys are written and deleted, some real keys deleted and written again), flushes,
 * compactions and reopens, so its scans read superseded and deleted rows in memtables and
 * segments; an append table {@code t} in a second engine holds just the final rows. The same
 * generated queries run on both and on DuckDB, and every answer must agree.
 */
class UpsertDifferentialTest {
    private static final int QUERIES = Integer.getInteger("river.diff.upsert.queries", 600);
    private static final String[] SMALL = {
        "river.memtable.max.bytes=96k",
        "river.segment.block.rows=64",
        "river.l0.compaction.trigger=3",
        "river.level.base.bytes=192k",
        "river.segment.target.bytes=64k"
    };

    @Test
    void upsertTableWithOverwritesDeletesFlushesAndReopensAnswersLikeTheAppendTableAndDuckDb(
            @TempDir Path upsertDir, @TempDir Path appendDir) throws Exception {
        long seed = DuckDbDifferentialTest.SEED;
        DifferentialData data = new DifferentialData(seed, DuckDbDifferentialTest.ROWS);
        RiverEngine upsert = EngineTestUtils.openSmall(upsertDir, SMALL);
        try (RiverEngine append = EngineTestUtils.openSmall(appendDir, SMALL);
                Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            upsert.createTable(definition(TableConstraints.of("id", List.of("id"))));
            append.createTable(definition(TableConstraints.NONE));
            upsert = writeWithHistory(upsert, upsertDir, data, new Random(seed));
            for (int i = 0; i < data.size(); i += 97) {
                append.write(batch(data.rows().subList(i, Math.min(data.size(), i + 97))));
            }
            append.flush();
            assertEquals(data.size(), upsert.table("t").get().estimatedRows(), "live keys of the upsert table");
            data.loadInto(duck);
            try (QueryEngine engine = new QueryEngine(4)) {
                DuckDbDifferentialTest.Summary upsertRun = DuckDbDifferentialTest.run(
                        engine, new EngineCatalog(upsert), duck, new RandomQueryGenerator(seed, data, false), QUERIES);
                DuckDbDifferentialTest.Summary appendRun = DuckDbDifferentialTest.run(
                        engine, new EngineCatalog(append), duck, new RandomQueryGenerator(seed, data, false), QUERIES);
                System.out.println("upsert differential: " + upsertRun + "; append: " + appendRun);
                assertTrue(upsertRun.failures.isEmpty(), "upsert table: " + String.join("\n", upsertRun.failures));
                assertTrue(appendRun.failures.isEmpty(), "append table: " + String.join("\n", appendRun.failures));
                assertEquals(appendRun.rowsCompared, upsertRun.rowsCompared, "both tables returned as many rows");
                assertTrue(upsertRun.nonEmpty > QUERIES / 2, "too few generated queries return rows");
            }
        } finally {
            upsert.close();
        }
    }

    private static TableDefinition definition(TableConstraints constraints) {
        return new TableDefinition("t", DifferentialData.COLUMNS, constraints);
    }

    /**
     * Writes every final row once in random order, after a history: 30% of keys first hold another
     * row's values, 5% extra keys are written and deleted, 3% of keys are deleted before their final
     * write; flushes, compactions and a reopen are spread over the stream. Returns the engine (a new
     * one after each reopen).
     */
    private static RiverEngine writeWithHistory(RiverEngine engine, Path dir, DifferentialData data, Random rnd)
            throws IOException {
        int n = data.size();
        List<Row> stream = new ArrayList<>();
        List<Row> finals = new ArrayList<>();
        for (Object[] row : data.rows()) {
            finals.add(row(row));
        }
        Collections.shuffle(finals, rnd);
        for (int i = 0; i < finals.size(); i++) {
            Row last = finals.get(i);
            if (rnd.nextInt(100) < 30) {
                Object[] other = data.rows().get(rnd.nextInt(n)).clone();
                other[0] = last.get("id");
                stream.add(row(other));
            }
            if (rnd.nextInt(100) < 3) {
                stream.add(Row.tombstone(last.pk()));
            }
            if (rnd.nextInt(100) < 5) {
                Object[] extra = data.rows().get(rnd.nextInt(n)).clone();
                extra[0] = (long) (n + i);
                stream.add(row(extra));
                stream.add(Row.tombstone(String.valueOf(n + i)));
            }
        }
        // each final write comes after its key's history, interleaved with other keys' histories
        List<Row> ordered = interleave(stream, finals, rnd);
        for (int i = 0; i < ordered.size(); i += 37) {
            engine.write(batchOf(ordered.subList(i, Math.min(ordered.size(), i + 37))));
            int op = rnd.nextInt(100);
            if (op < 8) {
                engine.flush();
            } else if (op < 11) {
                engine.compact();
            } else if (op < 12) {
                engine.close();
                engine = EngineTestUtils.openSmall(dir, SMALL);
            }
        }
        return engine;
    }

    /** History rows first for each key: a key's final row is placed after every history row of it. */
    private static List<Row> interleave(List<Row> history, List<Row> finals, Random rnd) {
        Map<String, Integer> lastHistory = new LinkedHashMap<>();
        for (int i = 0; i < history.size(); i++) {
            lastHistory.put(history.get(i).pk(), i);
        }
        List<List<Row>> after = new ArrayList<>();
        for (int i = 0; i <= history.size(); i++) {
            after.add(new ArrayList<>());
        }
        for (Row f : finals) {
            int earliest = lastHistory.getOrDefault(f.pk(), -1) + 1;
            after.get(earliest + rnd.nextInt(history.size() + 1 - earliest)).add(f);
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i <= history.size(); i++) {
            out.addAll(after.get(i));
            if (i < history.size()) {
                out.add(history.get(i));
            }
        }
        return out;
    }

    private static WriteBatch batch(List<Object[]> rows) {
        List<Row> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(row(r));
        }
        return batchOf(out);
    }

    private static WriteBatch batchOf(List<Row> rows) {
        WriteBatch.Builder b = WriteBatch.builder();
        for (Row r : rows) {
            b.add("t", r);
        }
        return b.build();
    }

    private static Row row(Object[] values) {
        Row.Builder b = Row.builder(String.valueOf(values[0]));
        for (int c = 0; c < values.length; c++) {
            if (values[c] != null) {
                b.set(DifferentialData.COLUMNS.get(c).name(), values[c]);
            }
        }
        return b.build();
    }
}
