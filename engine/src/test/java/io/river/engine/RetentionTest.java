package io.river.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.manifest.TableEntry;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.scan.Table;
import io.river.engine.testing.DataDirs;
import io.river.engine.testing.EngineTestUtils;
import io.river.engine.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention in the engine: expired rows leave every read path at once (SQL count/min/max, point
 * reads, range scans), whole segments leave the manifest and the disk by their zone maps, compaction
 * rewrites without expired rows, ALTER changes it at once, and nothing expired comes back across a
 * restart (WAL replay, checkpoint), a compaction or a raised retention. Time is a {@link TestClock}.
 */
class RetentionTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final TableRetention ONE_HOUR = new TableRetention(HOUR.toMillis(), null);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-06-01T12:00:00Z"));

    private RiverEngine open(String... overrides) throws IOException {
        Map<String, String> m = EngineTestUtils.smallConfig(dir);
        m.put("river.retention.check.interval.ms", "0");
        for (String kv : overrides) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return RiverEngine.open(RiverConfig.from(m), clock);
    }

    private static void append(RiverEngine e, String table, String prefix, int n, Instant ingestedAt)
            throws IOException {
        WriteBatch.Builder b = WriteBatch.builder();
        for (int i = 0; i < n; i++) {
            b.add(
                    table,
                    Row.builder(String.format("%s%05d", prefix, i))
                            .set("v", (long) i)
                            .set(SystemColumns.INGESTED_AT, ingestedAt)
                            .build());
        }
        e.write(b.build());
    }

    private static List<Object> sql(RiverEngine e, String query) {
        try (QueryEngine q = new QueryEngine(2)) {
            List<Object> out = new ArrayList<>();
            for (Object[] row : q.execute(query, new EngineCatalog(e)).rows()) {
                out.add(row.length == 1 ? row[0] : List.of(row));
            }
            return out;
        }
    }

    private static long count(RiverEngine e, String table) {
        return ((Number) sql(e, "SELECT count(*) FROM " + table).get(0)).longValue();
    }

    private List<Path> segmentFiles(String table) throws IOException {
        Path t = dir.resolve("tables").resolve(table);
        if (!Files.isDirectory(t)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(t)) {
            return s.filter(p -> p.toString().endsWith(".arrow")).sorted().toList();
        }
    }

    private static Map<String, Object> tableRetentionStats(RiverEngine e, String table) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tables = (List<Map<String, Object>>) e.stats().get("tables");
        for (Map<String, Object> t : tables) {
            if (t.get("name").equals(table)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) t.get("retention");
                return r;
            }
        }
        throw new AssertionError("no table " + table + " in /stats");
    }

    @Test
    void expiredRowsLeaveEveryReadPathAtOnceInMemtablesAndSegments() throws IOException {
        try (RiverEngine e = open()) {
            e.createTable("ev", TableMode.APPEND, ONE_HOUR);
            append(e, "ev", "old", 30, clock.ago(Duration.ofHours(2)));
            append(e, "ev", "new", 20, clock.ago(Duration.ofMinutes(10)));
            assertReadsShowOnlyNew(e);
            e.flush();
            assertReadsShowOnlyNew(e);
            clock.advance(HOUR); // the "new" rows are now 70 minutes old
            assertEquals(0, count(e, "ev"));
            assertTrue(e.table("ev").orElseThrow().get("new00000").isEmpty());
            assertEquals(List.of(), e.table("ev").orElseThrow().range(null, null, 100));
        }
    }

    private void assertReadsShowOnlyNew(RiverEngine e) {
        Table t = e.table("ev").orElseThrow();
        assertEquals(20, count(e, "ev"));
        assertEquals(List.of(List.of(0L, 19L)), sql(e, "SELECT min(v), max(v) FROM ev"));
        assertEquals(List.of(clock.ago(Duration.ofMinutes(10))), sql(e, "SELECT min(_ingested_at) FROM ev"));
        assertTrue(t.get("old00003").isEmpty(), "an expired row is not found by key");
        assertTrue(t.get("new00003").isPresent());
        List<Row> range = t.range(null, null, 1000);
        assertEquals(20, range.size());
        assertTrue(range.stream().allMatch(r -> r.pk().startsWith("new")), range.toString());
    }

    @Test
    void segmentsWhoseRowsAreAllExpiredAreDroppedByTheirZoneMaps() throws IOException {
        try (RiverEngine e = open()) {
            e.createTable("ev", TableMode.APPEND, ONE_HOUR);
            append(e, "ev", "old", 40, clock.ago(Duration.ofHours(3)));
            e.flush();
            append(e, "ev", "new", 25, clock.ago(Duration.ofMinutes(5)));
            e.flush();
            List<Path> before = segmentFiles("ev");
            assertEquals(2, before.size(), before.toString());

            assertEquals(1, e.enforceRetention());

            List<Path> after = segmentFiles("ev");
            assertEquals(1, after.size(), "the expired file left the disk: " + after);
            assertFalse(after.contains(before.get(0)) && after.contains(before.get(1)));
            TableEntry te = ManifestStore.open(dir).current().tables().get("ev");
            assertEquals(1, te.allFiles().size(), "the manifest lists only the live file");
            assertEquals(clock.ago(HOUR).toEpochMilli(), te.retentionCutoff());
            assertEquals(25, count(e, "ev"));
            Map<String, Object> stats = tableRetentionStats(e, "ev");
            assertEquals(1L, stats.get("segmentsDropped"));
            assertEquals(40L, stats.get("rowsDropped"));
            assertTrue((Long) stats.get("bytesDropped") > 0);
            assertEquals(clock.ago(HOUR).toEpochMilli(), stats.get("cutoffMillis"));
            assertEquals("1 hour", stats.get("retention"));
            assertEquals(1L, e.metrics().retentionSegmentsDropped.sum());
            assertEquals(0, e.enforceRetention(), "nothing more to drop");
        }
        try (RiverEngine e = open()) {
            assertEquals(25, count(e, "ev"));
        }
        DataDirs.assertNoOrphans(dir);
    }

    @Test
    void compactionRewritesSegmentsWithoutTheirExpiredRows() throws IOException {
        try (RiverEngine e = open("river.l0.compaction.trigger=100")) {
            e.createTable("ev", TableMode.APPEND, ONE_HOUR);
            for (int f = 0; f < 3; f++) {
                append(e, "ev", "old" + f + "_", 50, clock.ago(Duration.ofHours(5)));
                append(e, "ev", "new" + f + "_", 10, clock.ago(Duration.ofMinutes(1)));
                e.flush();
            }
            assertEquals(0, e.enforceRetention(), "every file holds live rows: none drops whole");
            assertEquals(30, count(e, "ev"));
            long rowsOnDisk = rowsOnDisk(e, "ev");
            assertEquals(180, rowsOnDisk);
        }
        try (RiverEngine e = open("river.l0.compaction.trigger=2")) {
            e.compact();
            assertEquals(30, rowsOnDisk(e, "ev"), "compaction wrote only the live rows");
            assertEquals(30, count(e, "ev"));
            assertEquals(150L, tableRetentionStats(e, "ev").get("rowsDropped"));
            assertEquals(150L, e.metrics().retentionRowsDropped.sum());
        }
        try (RiverEngine e = open()) {
            assertEquals(30, count(e, "ev"), "nothing came back after compaction and restart");
        }
    }

    private static long rowsOnDisk(RiverEngine e, String table) {
        long rows = 0;
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tables = (List<Map<String, Object>>) e.stats().get("tables");
        for (Map<String, Object> t : tables) {
            if (t.get("name").equals(table)) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> levels = (List<Map<String, Object>>) t.get("levels");
                for (Map<String, Object> l : levels) {
                    rows += ((Number) l.get("rows")).longValue();
                }
            }
        }
        return rows;
    }

    @Test
    void alterChangesRetentionAtOnceAndRaisingItNeverBringsRowsBack() throws IOException {
        try (RiverEngine e = open()) {
            e.createTable("ev", TableMode.APPEND, TableRetention.NONE);
            append(e, "ev", "a", 10, clock.ago(Duration.ofHours(2)));
            append(e, "ev", "b", 5, clock.ago(Duration.ofMinutes(30)));
            assertEquals(15, count(e, "ev"));

            assertTrue(e.setRetention("ev", ONE_HOUR));
            assertEquals(5, count(e, "ev"), "lowering the retention hides rows at once");

            assertTrue(
                    e.setRetention("ev", new TableRetention(Duration.ofDays(7).toMillis(), null)));
            assertEquals(5, count(e, "ev"), "raising it does not bring hidden rows back");
            assertTrue(e.setRetention("ev", TableRetention.NONE));
            assertEquals(5, count(e, "ev"), "nor does resetting it");
            assertFalse(e.setRetention("nope", ONE_HOUR));
        }
        try (RiverEngine e = open()) {
            assertEquals(5, count(e, "ev"), "the cutoff is in the manifest: the WAL replay hides the rows again");
            assertEquals(TableRetention.NONE, e.table("ev").orElseThrow().retentionSetting());
        }
    }

    @Test
    void aLongerEngineRetentionAfterACleanRestartReturnsNoHiddenRow() throws IOException {
        try (RiverEngine e = open("river.retention.ms=" + HOUR.toMillis())) {
            e.createTable("ev", TableMode.APPEND);
            append(e, "ev", "a", 10, clock.ago(Duration.ofHours(2)));
            append(e, "ev", "b", 4, clock.ago(Duration.ofMinutes(30)));
            assertEquals(4, count(e, "ev"));
        } // close records the cutoff
        try (RiverEngine e = open("river.retention.ms=" + Duration.ofDays(7).toMillis())) {
            assertEquals(4, count(e, "ev"), "rows hidden before the restart stay hidden");
            append(e, "ev", "c", 3, clock.ago(Duration.ofDays(2)));
            assertEquals(4, count(e, "ev"), "the cutoff does not move back for new rows either");
            assertEquals("7 days", tableRetentionStats(e, "ev").get("retention"));
        }
    }

    @Test
    void expiredRowsNeverComeBackAcrossWalReplayCheckpointAndRestart() throws IOException {
        try (RiverEngine e = open()) {
            e.createTable("ev", TableMode.APPEND, ONE_HOUR);
            append(e, "ev", "ckpt", 12, clock.ago(Duration.ofMinutes(50)));
            e.checkpoint();
            append(e, "ev", "wal", 8, clock.ago(Duration.ofMinutes(40)));
            append(e, "ev", "dead", 8, clock.ago(Duration.ofHours(9)));
            assertEquals(20, count(e, "ev"));
        }
        try (RiverEngine e = open()) {
            assertEquals(20, count(e, "ev"), "replayed rows older than the retention stay hidden");
            clock.advance(Duration.ofMinutes(15)); // the checkpointed rows are now 65 minutes old
            assertEquals(8, count(e, "ev"));
            e.flush();
            e.enforceRetention();
            assertEquals(8, count(e, "ev"));
        }
        try (RiverEngine e = open()) {
            assertEquals(8, count(e, "ev"));
            assertTrue(e.table("ev").orElseThrow().get("ckpt00001").isEmpty());
        }
    }

    @Test
    void upsertKeyWhoseNewestVersionExpiredIsGoneAndOlderVersionsStayHidden() throws IOException {
        try (RiverEngine e = open()) {
            e.createTable("kv", TableMode.UPSERT, new TableRetention(HOUR.toMillis(), "ts"));
            // ts is an ordinary column here: the newest version of k1 is old, an older one is fresh.
            e.write(WriteBatch.of(
                    "kv",
                    Row.builder("k1")
                            .set("_key", "k1")
                            .set("ts", clock.ago(Duration.ZERO))
                            .build()));
            e.flush();
            e.write(WriteBatch.of(
                    "kv",
                    Row.builder("k1")
                            .set("_key", "k1")
                            .set("ts", clock.ago(Duration.ofHours(2)))
                            .build()));
            e.write(WriteBatch.of(
                    "kv",
                    Row.builder("k2")
                            .set("_key", "k2")
                            .set("ts", clock.ago(Duration.ofMinutes(1)))
                            .build()));
            assertTrue(e.table("kv").orElseThrow().get("k1").isEmpty(), "the newest version decides");
            assertEquals(1, count(e, "kv"));
            e.flush();
            assertEquals(0, e.enforceRetention(), "an older, live version lies under the expired file");
            e.compact();
            assertTrue(e.table("kv").orElseThrow().get("k1").isEmpty(), "compaction does not resurrect k1");
            assertEquals(1, count(e, "kv"));
        }
    }

    @Test
    void declaredDateColumnAgesRowsAndEngineRetentionAppliesToTablesWithoutTheirOwn() throws IOException {
        try (RiverEngine e = open("river.retention.ms=" + Duration.ofDays(2).toMillis())) {
            e.createTable(new TableDefinition(
                    "daily",
                    List.of(new Column("day", ColumnType.DATE)),
                    TableConstraints.NONE,
                    new TableRetention(null, "day")));
            e.createTable("forever", TableMode.APPEND, new TableRetention(0L, null));
            LocalDate today = LocalDate.of(2026, 6, 1);
            WriteBatch.Builder b = WriteBatch.builder();
            for (int d = 0; d < 5; d++) {
                b.add(
                        "daily",
                        Row.builder("d" + d).set("day", today.minusDays(d)).build());
                b.add(
                        "forever",
                        Row.builder("f" + d)
                                .set("_ingested_at", clock.ago(Duration.ofDays(30)))
                                .build());
            }
            e.write(b.build());
            // cutoff 2026-05-30T12:00Z: days 06-01, 05-31 stay; 05-30 (midnight) is before the cutoff
            assertEquals(2, count(e, "daily"));
            assertEquals(5, count(e, "forever"), "retention 0 on the table keeps rows whatever the engine's");
            assertEquals(
                    Duration.ofDays(2).toMillis(),
                    tableRetentionStats(e, "daily").get("ms"));
            assertEquals("engine", tableRetentionStats(e, "daily").get("source"));
            assertThrows(
                    SchemaException.class,
                    () -> e.setRetention("forever", new TableRetention(1000L, "v")),
                    "a retention column must be a TIMESTAMP or DATE column");
        }
    }

    @Test
    void rowsWithoutATimeNeverExpire() throws IOException {
        try (RiverEngine e = open()) {
            e.createTable("ev", TableMode.APPEND, ONE_HOUR);
            e.write(WriteBatch.of("ev", Row.builder("x").set("v", 1L).build()));
            e.flush();
            clock.advance(Duration.ofDays(365));
            assertEquals(1, count(e, "ev"));
            assertEquals(0, e.enforceRetention());
            assertEquals(1, segmentFiles("ev").size());
        }
    }

    @Test
    void intervalsParseAsSqlWritesThem() {
        assertEquals(7 * 86_400_000L, TableRetention.parseInterval("7 days"));
        assertEquals(3_600_000L, TableRetention.parseInterval("1 hour"));
        assertEquals(90_000L, TableRetention.parseInterval("90 seconds"));
        assertEquals(5 * 60_000L, TableRetention.parseInterval("5 minutes"));
        assertEquals(2 * 7 * 86_400_000L, TableRetention.parseInterval("2 weeks"));
        assertEquals(1234L, TableRetention.parseInterval("1234"));
        assertEquals(1234L, TableRetention.parseInterval("1234 ms"));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> TableRetention.parseInterval("7 dayz"));
        assertTrue(bad.getMessage().contains("'7 dayz'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableRetention.parseInterval("-1 days"));
        assertThrows(IllegalArgumentException.class, () -> TableRetention.parseInterval("999999999999999999 weeks"));
        assertEquals("7 days", TableRetention.formatInterval(7 * 86_400_000L));
        assertEquals("1 hour", TableRetention.formatInterval(3_600_000L));
        assertEquals("1500 ms", TableRetention.formatInterval(1500L));
    }
}
