package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.testing.InMemoryTableSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End-to-end behaviour of each operator on a small hand-made table. */
class QueryEngineTest {
    static final List<Column> COLUMNS = List.of(
            new Column("id", ColumnType.INT64),
            new Column("city", ColumnType.STRING),
            new Column("n", ColumnType.INT32),
            new Column("amount", ColumnType.FLOAT64),
            new Column("ok", ColumnType.BOOLEAN),
            new Column("ts", ColumnType.TIMESTAMP),
            new Column("raw", ColumnType.BYTES));

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    BufferAllocator allocator;
    QueryEngine engine;
    TestCatalog catalog;
    InMemoryTableSnapshot events;

    static Object[] row(long id, String city, Integer n, Double amount, Boolean ok, Instant ts, byte[] raw) {
        return new Object[] {id, city, n, amount, ok, ts, raw};
    }

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
        engine = new QueryEngine(3);
        List<Object[]> rows = new ArrayList<>();
        rows.add(row(1, "Paris", 10, 1.5, true, T0, new byte[] {1}));
        rows.add(row(2, "Berlin", 20, 2.5, false, T0.plusSeconds(90), new byte[] {2}));
        rows.add(row(3, "Paris", null, 3.0, null, T0.plusSeconds(3600), null));
        rows.add(row(4, null, 40, null, true, T0.plusSeconds(7200), new byte[] {3}));
        rows.add(row(5, "Rome", -5, -1.0, false, null, new byte[] {1}));
        rows.add(row(6, "Paris", 7, 10.0, true, T0.plusSeconds(86_400), new byte[] {(byte) 0xff}));
        events = InMemoryTableSnapshot.builder("events", COLUMNS, allocator)
                .rows(rows)
                .blockRows(2)
                .splits(2)
                .deadRowEvery(2)
                .wildDeadRows(true)
                .build();
        catalog = new TestCatalog().with(events);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        allocator.close();
    }

    QueryResult q(String sql) {
        return engine.execute(sql, catalog);
    }

    static List<List<Object>> rows(QueryResult r) {
        List<List<Object>> out = new ArrayList<>();
        for (Object[] row : r.rows()) {
            out.add(Arrays.asList(row));
        }
        return out;
    }

    @Test
    void projectsColumnsAndAliases() {
        QueryResult r = q("SELECT id, city AS town, n + 1 FROM events WHERE id <= 2 ORDER BY id");
        assertEquals(
                List.of("id", "town", "n + 1"),
                r.columns().stream().map(ResultColumn::name).toList());
        assertEquals(
                List.of(ColumnType.INT64, ColumnType.STRING, ColumnType.INT32),
                r.columns().stream().map(ResultColumn::type).toList());
        assertEquals(List.of(List.of(1L, "Paris", 11), List.of(2L, "Berlin", 21)), rows(r));
        assertEquals(1, events.closeCount(), "snapshot closed once per query");
    }

    @Test
    void selectStarExpandsSchemaColumns() {
        QueryResult r = q("SELECT * FROM events WHERE id = 1");
        assertEquals(COLUMNS.size(), r.columns().size());
        Object[] row = r.rows().get(0);
        assertEquals(1L, row[0]);
        assertEquals(T0, row[5]);
        assertArrayEquals(new byte[] {1}, (byte[]) row[6]);
    }

    @Test
    void countsAndSums() {
        QueryResult r =
                q("SELECT count(*), count(n), count(DISTINCT city), sum(n), sum(amount), avg(n), min(city), max(ts) "
                        + "FROM events");
        assertEquals(List.of(Arrays.asList(6L, 5L, 3L, 72L, 16.0, 14.4, "Berlin", T0.plusSeconds(86_400))), rows(r));
    }

    @Test
    void groupByWithHavingAndOrder() {
        QueryResult r =
                q("SELECT city, count(*) AS c, sum(amount) FROM events GROUP BY city HAVING count(*) >= 1 ORDER BY c "
                        + "DESC, city");
        assertEquals(
                List.of(
                        Arrays.asList("Paris", 3L, 14.5),
                        Arrays.asList("Berlin", 1L, 2.5),
                        Arrays.asList("Rome", 1L, -1.0),
                        Arrays.asList(null, 1L, null)),
                rows(r));
    }

    @Test
    void nullsSortLastForAscAndDesc() {
        assertEquals(
                Arrays.asList(-5, 7, 10, 20, 40, null),
                rows(q("SELECT n FROM events ORDER BY n")).stream()
                        .map(l -> l.get(0))
                        .toList());
        assertEquals(
                Arrays.asList(40, 20, 10, 7, -5, null),
                rows(q("SELECT n FROM events ORDER BY n DESC")).stream()
                        .map(l -> l.get(0))
                        .toList());
        assertEquals(
                Arrays.asList(null, -5, 7),
                rows(q("SELECT n FROM events ORDER BY n NULLS FIRST LIMIT 3")).stream()
                        .map(l -> l.get(0))
                        .toList());
    }

    @Test
    void threeValuedLogic() {
        // ok is NULL for id 3: NOT ok is NULL there, so neither filter keeps it
        assertEquals(
                List.of(List.of(1L), List.of(4L), List.of(6L)), rows(q("SELECT id FROM events WHERE ok ORDER BY id")));
        assertEquals(List.of(List.of(2L), List.of(5L)), rows(q("SELECT id FROM events WHERE NOT ok ORDER BY id")));
        assertEquals(List.of(List.of(3L)), rows(q("SELECT id FROM events WHERE ok IS NULL")));
        // NULL AND false is false (so NOT of it keeps every row); NULL OR false stays NULL
        assertEquals(6, q("SELECT id FROM events WHERE NOT (ok AND false)").rowCount());
        assertEquals(
                List.of(List.of(2L), List.of(5L)),
                rows(q("SELECT id FROM events WHERE NOT (ok OR false) ORDER BY id")));
        assertEquals(List.of(List.of(3L)), rows(q("SELECT id FROM events WHERE (ok OR true) AND ok IS NULL")));
        assertEquals(List.of(), rows(q("SELECT id FROM events WHERE n NOT IN (1, NULL)")));
    }

    @Test
    void filtersWithInBetweenLike() {
        assertEquals(
                List.of(List.of(1L), List.of(3L), List.of(6L)),
                rows(q("SELECT id FROM events WHERE city LIKE 'P%' ORDER BY id")));
        assertEquals(
                List.of(List.of(2L), List.of(5L)),
                rows(q("SELECT id FROM events WHERE city LIKE '_e%' OR city LIKE '%om_' ORDER BY id")));
        assertEquals(
                List.of(List.of(1L), List.of(2L)),
                rows(q("SELECT id FROM events WHERE n BETWEEN 10 AND 20 ORDER BY id")));
        assertEquals(
                List.of(List.of(2L), List.of(5L)),
                rows(q("SELECT id FROM events WHERE city IN ('Rome', 'Berlin') ORDER BY id")));
        assertEquals(
                List.of(List.of(4L), List.of(6L)),
                rows(q("SELECT id FROM events WHERE ts >= '2024-01-01 02:00:00' ORDER BY id")));
        assertEquals(List.of(List.of(6L)), rows(q("SELECT id FROM events WHERE ts > TIMESTAMP '2024-01-01 02:00:00'")));
    }

    @Test
    void dateTruncGroups() {
        QueryResult r = q(
                "SELECT date_trunc('hour', ts) AS h, count(*) FROM events WHERE ts IS NOT NULL GROUP BY h ORDER BY h");
        assertEquals(ColumnType.TIMESTAMP, r.columns().get(0).type());
        assertEquals(
                List.of(
                        List.of(T0, 2L),
                        List.of(T0.plusSeconds(3600), 1L),
                        List.of(T0.plusSeconds(7200), 1L),
                        List.of(T0.plusSeconds(86_400), 1L)),
                rows(r));
    }

    @Test
    void integerDivisionIsDouble() {
        QueryResult r = q("SELECT n / 4, n % 3, -n, amount * 2 FROM events WHERE id = 1");
        assertEquals(List.of(List.of(2.5, 1, -10, 3.0)), rows(r));
        assertEquals(ColumnType.FLOAT64, r.columns().get(0).type());
    }

    @Test
    void limitOffsetAndTopN() {
        assertEquals(
                List.of(List.of(5L), List.of(4L)), rows(q("SELECT id FROM events ORDER BY id DESC LIMIT 2 OFFSET 1")));
        assertEquals(3, q("SELECT id FROM events LIMIT 3").rowCount());
        assertEquals(0, q("SELECT id FROM events LIMIT 0").rowCount());
        assertEquals(6, q("SELECT id FROM events LIMIT ALL").rowCount());
        assertEquals(6, q("SELECT id FROM events LIMIT NULL").rowCount());
        assertEquals(List.of(List.of(2L)), rows(q("SELECT ((id)) FROM events WHERE (((id = 2)))")));
    }

    @Test
    void distinctAndNoFrom() {
        assertEquals(
                List.of(Arrays.asList((Object) null), List.of("Berlin"), List.of("Paris"), List.of("Rome"))
                        .size(),
                q("SELECT DISTINCT city FROM events").rowCount());
        assertEquals(List.of(List.of(2, 0.5, "x")), rows(q("SELECT 1 + 1, 1 / 2, 'x'")));
    }

    @Test
    void emptyResultAggregates() {
        QueryResult r = q("SELECT count(*), sum(n), max(city) FROM events WHERE id > 100");
        assertEquals(1, r.rowCount());
        assertEquals(0L, r.rows().get(0)[0]);
        assertNull(r.rows().get(0)[1]);
        assertEquals(
                0,
                q("SELECT city, count(*) FROM events WHERE id > 100 GROUP BY city")
                        .rowCount());
    }

    @Test
    void zoneMapsSkipBlocks() {
        QueryResult r = q("SELECT count(*) FROM events WHERE id >= 5");
        assertEquals(2L, r.rows().get(0)[0]);
        assertTrue(r.stats().blocksSkipped() >= 2, "blocks with max(id) < 5 are skipped: " + r.stats());
        assertTrue(r.stats().rowsScanned() < 10, r.stats().toString());
    }

    @Test
    void scanRequestsOnlyTheColumnsTheQueryReads() {
        List<List<String>> requested = new ArrayList<>();
        io.river.engine.scan.TableSnapshot recording = new io.river.engine.scan.TableSnapshot() {
            public String table() {
                return "events";
            }

            public io.river.engine.model.TableSchema schema() {
                return events.schema();
            }

            public io.river.engine.model.TableMode mode() {
                return events.mode();
            }

            public long estimatedRows() {
                return events.estimatedRows();
            }

            public List<io.river.engine.scan.ScanSplit> splits(
                    io.river.engine.scan.ScanRequest r, io.river.engine.scan.ScanMetrics m) {
                requested.add(r.columns());
                return events.splits(r, m);
            }

            public void close() {}
        };
        TestCatalog c = new TestCatalog().with(recording);
        assertEquals(6L, engine.execute("SELECT count(*) FROM events", c).rows().get(0)[0]);
        engine.execute("SELECT sum(amount) FROM events WHERE city = 'Paris' GROUP BY ok ORDER BY ok", c);
        engine.execute("SELECT id FROM events ORDER BY ts DESC", c);
        assertEquals(List.of(List.of(), List.of("city", "ok", "amount"), List.of("id", "ts")), requested);
    }

    @Test
    void groupByAndOrderByPositionsAndAliases() {
        assertEquals(
                List.of(List.of("Rome", 1L), List.of("Paris", 3L)),
                rows(q("SELECT city AS c, count(*) FROM events WHERE city > 'C' GROUP BY 1 ORDER BY c DESC")));
        // an alias wins over a column of the same name in ORDER BY (DuckDB)
        assertEquals(List.of(List.of(6L), List.of(5L)), rows(q("SELECT id AS n FROM events ORDER BY n DESC LIMIT 2")));
        // GROUP BY an expression, then use it inside a bigger expression
        assertEquals(
                List.of(List.of(1L, 4L), List.of(2L, 4L)),
                rows(q("SELECT id % 2 + 1, count(*) + 1 FROM events GROUP BY id % 2 ORDER BY 1")));
    }

    @Test
    void havingWithoutGroupByAndAggregatesWithoutFrom() {
        assertEquals(1, q("SELECT count(*) FROM events HAVING count(*) > 5").rowCount());
        assertEquals(0, q("SELECT count(*) FROM events HAVING count(*) > 6").rowCount());
        assertEquals(List.of(List.of(1L, 3L)), rows(q("SELECT count(*), sum(1 + 2)")));
    }

    @Test
    void weekTruncationStartsOnMonday() {
        // 2024-01-03 is a Wednesday; its week starts on Monday 2024-01-01
        assertEquals(
                List.of(List.of(Instant.parse("2024-01-01T00:00:00Z"))),
                rows(q("SELECT date_trunc('week', TIMESTAMP '2024-01-03 10:00:00')")));
        assertEquals(
                List.of(List.of(Instant.parse("2023-12-25T00:00:00Z"))),
                rows(q("SELECT date_trunc('weeks', '2023-12-31 23:59:59')")));
    }

    @Test
    void bytesCompareWithStringLiteralsAndGroup() {
        assertEquals(
                List.of(List.of(1L), List.of(5L)), rows(q("SELECT id FROM events WHERE raw = '\\x01' ORDER BY id")));
        QueryResult r = q("SELECT raw, count(*) FROM events GROUP BY raw ORDER BY raw");
        assertArrayEquals(new byte[] {1}, (byte[]) r.rows().get(0)[0]);
        assertEquals(2L, r.rows().get(0)[1]);
        assertNull(r.rows().get(r.rowCount() - 1)[0]);
    }

    @Test
    void likeWithEscapeAndNotLike() {
        assertEquals(
                List.of(List.of(2L), List.of(5L)),
                rows(q("SELECT id FROM events WHERE city NOT LIKE 'P%' ORDER BY id")));
        assertEquals(
                0, q("SELECT id FROM events WHERE city LIKE 'P!%' ESCAPE '!'").rowCount());
    }

    @Test
    void nowAndIntervalArithmetic() {
        assertEquals(
                List.of(List.of(T0.plusSeconds(5400), T0.minusSeconds(7200), T0.plusSeconds(86_400))),
                rows(q("SELECT ts + INTERVAL '90 minutes', ts - INTERVAL 2 HOUR, INTERVAL '1' DAY + ts FROM "
                        + "events WHERE id = 1")));
        assertEquals(
                List.of(List.of(true, true)),
                rows(q("SELECT now() > TIMESTAMP '2020-01-01 00:00:00', "
                        + "CURRENT_TIMESTAMP - INTERVAL '1 day' < now()")));
        // a constant bound folds to a literal, so zone maps still prune
        QueryResult r =
                q("SELECT count(*) FROM events WHERE ts >= TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '2 hours'");
        assertEquals(2L, r.rows().get(0)[0]);
        QueryException e = org.junit.jupiter.api.Assertions.assertThrows(
                QueryException.class, () -> q("SELECT ts + INTERVAL '1 fortnight' FROM events"));
        assertEquals(QueryException.UNSUPPORTED, e.code());
        e = org.junit.jupiter.api.Assertions.assertThrows(
                QueryException.class, () -> q("SELECT n + INTERVAL '1 day' FROM events"));
        assertEquals(QueryException.TYPE_MISMATCH, e.code());
    }

    @Test
    void caseAndCoalesce() {
        QueryResult r = q("SELECT id, CASE WHEN n > 10 THEN 'big' WHEN n > 0 THEN 'small' END, coalesce(city, 'none'),"
                + " CASE city WHEN 'Paris' THEN 1 ELSE amount END, coalesce(n, id) FROM events ORDER BY id");
        assertEquals(
                List.of(ColumnType.INT64, ColumnType.STRING, ColumnType.STRING, ColumnType.FLOAT64, ColumnType.INT64),
                r.columns().stream().map(ResultColumn::type).toList());
        assertEquals(
                List.of(
                        Arrays.asList(1L, "small", "Paris", 1.0, 10L),
                        Arrays.asList(2L, "big", "Berlin", 2.5, 20L),
                        Arrays.asList(3L, null, "Paris", 1.0, 3L),
                        Arrays.asList(4L, "big", "none", null, 40L),
                        Arrays.asList(5L, null, "Rome", -1.0, -5L),
                        Arrays.asList(6L, "small", "Paris", 1.0, 7L)),
                rows(r));
        assertEquals(
                List.of(List.of(3L, 4L)),
                rows(q("SELECT sum(CASE WHEN ok THEN 1 ELSE 0 END), count(CASE WHEN n > 0 THEN n END) FROM events")));
    }

    @Test
    void castsFollowDuckDb() {
        QueryResult r =
                q("SELECT CAST(amount AS INTEGER), CAST(n AS VARCHAR), CAST(ts AS VARCHAR), CAST('42' AS BIGINT),"
                        + " '2.5'::DOUBLE, CAST(ok AS INTEGER), CAST('2024-01-01 00:00:00.120' AS TIMESTAMP) FROM "
                        + "events WHERE id = 2");
        assertEquals(List.of(Arrays.asList(2, "20", "2024-01-01 00:01:30", 42L, 2.5, 0, T0.plusMillis(120))), rows(r));
        assertEquals(
                List.of(
                        ColumnType.INT32,
                        ColumnType.STRING,
                        ColumnType.STRING,
                        ColumnType.INT64,
                        ColumnType.FLOAT64,
                        ColumnType.INT32,
                        ColumnType.TIMESTAMP),
                r.columns().stream().map(ResultColumn::type).toList());
        // half to even, as DuckDB rounds a DOUBLE
        assertEquals(
                List.of(List.of(2, -2, 4)),
                rows(q("SELECT CAST(2.5 AS INTEGER), CAST(-2.5 AS INTEGER), CAST(3.5 AS INTEGER)")));
        QueryException e = org.junit.jupiter.api.Assertions.assertThrows(
                QueryException.class, () -> q("SELECT CAST(city AS INTEGER) FROM events"));
        assertEquals(QueryException.TYPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("Could not convert string"), e.getMessage());
        assertEquals(
                List.of(List.of("1.5", "1e+16", "0.0001", "1e-05")),
                rows(q("SELECT CAST(1.5 AS VARCHAR), CAST(1e16 AS VARCHAR), CAST(0.0001 AS VARCHAR), 1e-5::TEXT")));
        e = org.junit.jupiter.api.Assertions.assertThrows(
                QueryException.class, () -> q("SELECT CAST(3000000000 AS INTEGER)"));
        assertEquals(QueryException.OUT_OF_RANGE, e.code());
    }

    @Test
    void nowIsOneInstantAcrossSubqueriesAndCtes() {
        assertEquals(
                List.of(List.of(true, true)),
                rows(q("WITH a AS (SELECT now() AS t) SELECT t = now(), t = CURRENT_TIMESTAMP FROM a")));
        assertEquals(
                List.of(List.of(true)), rows(q("SELECT t = now() FROM (SELECT now() AS t FROM events LIMIT 1) s")));
    }
}
