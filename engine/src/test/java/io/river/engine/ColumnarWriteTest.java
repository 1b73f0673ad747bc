package io.river.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.scan.Table;
import io.river.engine.testing.EngineTestUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Differential test of the write path: the same random rows (new columns appearing, numbers widening
 * from INT32 to INT64 to FLOAT64, NULLs, missing fields, overwrites and deletes, every column type)
 * written to three engines — one row per batch, row batches of random sizes, and column batches
 * ({@link TableColumns}) of the same sizes — give the same schema, the same scan, the same point reads
 * and the model's rows, before and after a reopen (WAL replay), on upsert and append tables.
 */
class ColumnarWriteTest {
    private static final String T = "t";
    private static final String[] CONFIG = {"river.memtable.max.bytes=64k", "river.checkpoint.interval.ms=0"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TableMode.class)
    void rowAndColumnBatchesGiveTheSameTable(TableMode mode) throws IOException {
        List<List<Row>> batches = randomBatches(new Random(20261205L + mode.ordinal()), mode);
        RiverEngine single = open("single", mode);
        RiverEngine rows = open("rows", mode);
        RiverEngine columns = open("columns", mode);
        try {
            long positions = 0;
            for (List<Row> batch : batches) {
                positions += batch.size();
                for (Row r : batch) {
                    single.write(WriteBatch.of(T, r));
                }
                WriteBatch.Builder b = WriteBatch.builder();
                batch.forEach(r -> b.add(T, r));
                rows.write(b.position(new SourcePartition("s", 0), positions).build());
                columns.write(WriteBatch.builder()
                        .add(TableColumns.of(T, batch))
                        .position(new SourcePartition("s", 0), positions)
                        .build());
            }
            Map<String, Row> model = model(batches, mode);
            assertSame(model, single, rows, columns);
            assertEquals(Map.of(new SourcePartition("s", 0), positions), columns.positions());
            columns.flush();
            rows.checkpoint();
        } finally {
            single.close();
            rows.close();
            columns.close();
        }
        try (RiverEngine a = open("single", mode);
                RiverEngine b = open("rows", mode);
                RiverEngine c = open("columns", mode)) {
            assertSame(model(batches, mode), a, b, c);
            assertEquals(a.positions().isEmpty(), true);
            assertEquals(b.positions(), c.positions());
        }
    }

    @Test
    void aRefusedRowIsNamedByItsPlaceInTheBatchAndNothingIsWritten() throws IOException {
        try (RiverEngine e = open("refused", TableMode.UPSERT)) {
            e.write(WriteBatch.of(
                    T, Row.builder("a").set("_key", "a").set("n", 1).build()));
            TableColumns.Builder cols = new TableColumns.Builder(T);
            cols.put("m", 2L);
            cols.endRow("b", false);
            cols.put("n", "text");
            cols.endRow("c", false);
            RowRejectedException refused = assertThrows(
                    RowRejectedException.class,
                    () -> e.write(WriteBatch.builder()
                            .add(T, Row.builder("z").set("n", 3).build())
                            .add(cols.build())
                            .build()));
            assertEquals(2, refused.index(), refused.getMessage());
            assertTrue(refused.getMessage().contains("'c'"), refused.getMessage());
            assertEquals(
                    io.river.engine.model.ColumnType.INT32,
                    e.table(T).orElseThrow().schema().column("n").type());
            assertEquals(List.of(List.of("a", 1)), sql(e, "SELECT _key, n FROM t ORDER BY _key"));
        }
    }

    @Test
    void aDeleteInAnAppendTableAndAMissingNotNullColumnAreRefused() throws IOException {
        try (RiverEngine e = open("append", TableMode.APPEND)) {
            TableColumns.Builder cols = new TableColumns.Builder(T);
            cols.put("v", 1);
            cols.endRow("a", false);
            cols.endRow("b", true);
            RowRejectedException refused =
                    assertThrows(RowRejectedException.class, () -> e.write(WriteBatch.of(cols.build())));
            assertEquals(1, refused.index());
            assertEquals(0L, ((Number) sql(e, "SELECT count(*) FROM t").get(0)).longValue());
        }
    }

    // ---------------------------------------------------------------- the rows and the model

    /** Batches of 1-60 rows over 80 keys; columns come and go, numbers widen, values are NULL or missing. */
    private static List<List<Row>> randomBatches(Random rnd, TableMode mode) {
        List<List<Row>> batches = new ArrayList<>();
        long offset = 0;
        for (int b = 0; b < 120; b++) {
            int n = 1 + rnd.nextInt(60);
            List<Row> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String key = mode == TableMode.UPSERT ? "k" + rnd.nextInt(80) : "o" + String.format("%08d", offset);
                offset++;
                if (mode == TableMode.UPSERT && rnd.nextInt(10) == 0) {
                    batch.add(Row.tombstone(key));
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("_key", key);
                values.put("n", number(rnd, b));
                if (rnd.nextBoolean()) {
                    values.put("s", rnd.nextInt(5) == 0 ? null : "s" + rnd.nextInt(1000) + "é");
                }
                if (b > 20 && rnd.nextInt(3) == 0) {
                    values.put("late_" + rnd.nextInt(3), rnd.nextInt(4) == 0 ? null : rnd.nextBoolean());
                }
                if (rnd.nextInt(4) == 0) {
                    values.put("ts", Instant.ofEpochMilli(1_700_000_000_000L + rnd.nextInt(1_000_000)));
                    values.put("d", LocalDate.ofEpochDay(19_000 + rnd.nextInt(500)));
                    values.put("bin", new byte[] {(byte) rnd.nextInt(), 1, 2});
                }
                if (rnd.nextInt(7) == 0) {
                    values.put("only_null", null);
                }
                batch.add(Row.of(key, values));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** INT32 early, then INT64, then FLOAT64 values: the column widens twice. */
    private static Object number(Random rnd, int batch) {
        if (rnd.nextInt(8) == 0) {
            return null;
        }
        if (batch < 40) {
            return rnd.nextInt(1000);
        }
        return batch < 80 ? (Object) (long) rnd.nextInt(1_000_000) : (Object) (rnd.nextInt(1000) / 4.0);
    }

    /** The newest version of every key (deletes remove it): what the table must show. */
    private static Map<String, Row> model(List<List<Row>> batches, TableMode mode) {
        Map<String, Row> model = new TreeMap<>();
        for (List<Row> batch : batches) {
            for (Row r : batch) {
                if (r.isTombstone()) {
                    model.remove(r.pk());
                } else {
                    model.put(r.pk(), r);
                }
            }
        }
        return model;
    }

    // ---------------------------------------------------------------- comparing

    private static void assertSame(Map<String, Row> model, RiverEngine... engines) {
        Table first = engines[0].table(T).orElseThrow();
        List<Object> firstScan = scan(engines[0]);
        assertEquals(model.size(), firstScan.size());
        for (RiverEngine e : engines) {
            Table t = e.table(T).orElseThrow();
            assertEquals(first.schema().columns(), t.schema().columns());
            assertEquals(firstScan, scan(e));
            for (Map.Entry<String, Row> m : model.entrySet()) {
                Row got = t.get(m.getKey()).orElseThrow();
                for (Map.Entry<String, Object> v : m.getValue().values().entrySet()) {
                    assertValue(v.getValue(), got.get(v.getKey()), m.getKey() + "." + v.getKey());
                }
            }
        }
    }

    private static void assertValue(Object expected, Object actual, String what) {
        if (expected instanceof byte[]) {
            assertTrue(Arrays.equals((byte[]) expected, (byte[]) actual), what);
        } else if (expected instanceof Number && actual instanceof Number) {
            assertEquals(((Number) expected).doubleValue(), ((Number) actual).doubleValue(), what);
        } else {
            assertEquals(expected, actual, what);
        }
    }

    private static List<Object> scan(RiverEngine e) {
        StringBuilder cols = new StringBuilder("_key");
        for (var c : e.table(T).orElseThrow().schema().columns()) {
            if (!c.name().startsWith("_") && !c.name().equals("bin")) {
                cols.append(", ").append(c.name());
            }
        }
        return sql(e, "SELECT " + cols + " FROM t ORDER BY _key");
    }

    private static List<Object> sql(RiverEngine e, String query) {
        try (QueryEngine q = new QueryEngine(1)) {
            List<Object> out = new ArrayList<>();
            for (Object[] row : q.execute(query, new EngineCatalog(e)).rows()) {
                out.add(row.length == 1 ? row[0] : Arrays.asList(row));
            }
            return out;
        }
    }

    private RiverEngine open(String name, TableMode mode) throws IOException {
        RiverEngine e = EngineTestUtils.openSmall(dir.resolve(name), CONFIG);
        e.createTable(T, mode);
        return e;
    }
}
