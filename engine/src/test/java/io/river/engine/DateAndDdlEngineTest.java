package io.river.engine;

import static io.river.engine.testing.EngineTestUtils.openSmall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableExistsException;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanMetrics;
import io.river.engine.scan.ScanRequest;
import io.river.engine.scan.ScanSplit;
import io.river.engine.scan.Table;
import io.river.engine.scan.TableSnapshot;
import io.river.engine.wal.WriteBatchCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.vector.DateDayVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATE values through every storage path (WAL, memtable, flush, compaction, checkpoint, replay,
 * zone maps) and declared tables (types from the start, NOT NULL, key column in the manifest),
 * DROP TABLE and its crash story.
 */
class DateAndDdlEngineTest {
    private static final LocalDate DAY0 = LocalDate.of(2024, 1, 1);
    private static final int ROWS = 3000;

    private static TableDefinition events() {
        return new TableDefinition(
                "ev",
                List.of(
                        new Column("id", ColumnType.INT64),
                        new Column("day", ColumnType.DATE),
                        new Column("n", ColumnType.INT32)),
                new TableConstraints("id", List.of("id", "day")));
    }

    private static void write(RiverEngine e, int from, int to) throws IOException {
        WriteBatch.Builder b = WriteBatch.builder();
        for (int i = from; i < to; i++) {
            b.add("ev", Row.of(String.format("%06d", i), Map.of("id", (long) i, "day", DAY0.plusDays(i), "n", i)));
        }
        e.write(b.build());
    }

    /** day per key, read through a full scan; also checks the DATE zone maps of every block read. */
    private static Map<String, LocalDate> scanDays(Table t, List<ColumnStats> zoneMaps) {
        Map<String, LocalDate> out = new TreeMap<>();
        try (TableSnapshot s = t.snapshot()) {
            ScanRequest req = new ScanRequest(List.of("id", "day"), stats -> {
                ColumnStats c = stats.column("day");
                if (c != null) {
                    zoneMaps.add(c);
                }
                return true;
            });
            for (ScanSplit split : s.splits(req, new ScanMetrics())) {
                try (split) {
                    ScanBatch b;
                    while ((b = split.next()) != null) {
                        try (ScanBatch batch = b) {
                            collect(batch, out);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void collect(ScanBatch b, Map<String, LocalDate> out) {
        DateDayVector days = (DateDayVector) b.root().getVector(1);
        for (int r = 0; r < b.root().getRowCount(); r++) {
            if (b.selection() != null && Arrays.binarySearch(b.selection(), r) < 0) {
                continue;
            }
            String pk = String.format("%06d", (Long) b.root().getVector(0).getObject(r));
            out.put(pk, days.isNull(r) ? null : LocalDate.ofEpochDay(days.get(r)));
        }
    }

    private static void assertAllDays(Table t, int rows) {
        List<ColumnStats> zoneMaps = new ArrayList<>();
        Map<String, LocalDate> days = scanDays(t, zoneMaps);
        assertEquals(rows, days.size());
        for (int i = 0; i < rows; i++) {
            assertEquals(DAY0.plusDays(i), days.get(String.format("%06d", i)), "row " + i);
            assertEquals(
                    DAY0.plusDays(i),
                    t.get(String.format("%06d", i)).orElseThrow().get("day"));
        }
        for (ColumnStats z : zoneMaps) {
            int min = (Integer) z.min();
            int max = (Integer) z.max();
            assertTrue(min <= max && min >= DAY0.toEpochDay() && max < DAY0.toEpochDay() + rows, z.toString());
        }
    }

    @Test
    void dateSurvivesFlushCompactionCheckpointAndReplay(@TempDir Path dir) throws Exception {
        try (RiverEngine e = openSmall(dir)) {
            Table t = e.createTable(events());
            assertEquals(ColumnType.DATE, t.schema().column("day").type());
            assertEquals(ColumnType.INT32, t.schema().column("n").type());
            write(e, 0, 1000);
            e.flush();
            write(e, 1000, 2000);
            e.flush();
            e.compact();
            write(e, 2000, 2500);
            e.checkpoint();
            write(e, 2500, ROWS);
            assertAllDays(t, ROWS);
            List<ColumnStats> zoneMaps = new ArrayList<>();
            scanDays(t, zoneMaps);
            assertFalse(zoneMaps.isEmpty(), "segments carry DATE zone maps");
        }
        try (RiverEngine e = openSmall(dir)) {
            Table t = e.table("ev").orElseThrow();
            assertEquals(ColumnType.DATE, t.schema().column("day").type());
            assertEquals("id", t.constraints().keyColumn());
            assertEquals(List.of("id", "day"), t.constraints().notNull());
            assertAllDays(t, ROWS);
            e.flush();
            e.compact();
            assertAllDays(t, ROWS);
        }
    }

    @Test
    void dateRoundTripsTheWalCodecAndNeverWidens() throws IOException {
        WriteBatch b = WriteBatch.of(
                "t", Row.of("k", Map.of("d", LocalDate.of(1969, 12, 31), "far", LocalDate.of(9999, 12, 31))));
        assertEquals(
                b.mutations().get(0).row().values(),
                WriteBatchCodec.decode(WriteBatchCodec.encode(b))
                        .mutations()
                        .get(0)
                        .row()
                        .values());
        assertEquals(null, ColumnType.DATE.widen(ColumnType.TIMESTAMP));
        assertEquals(null, ColumnType.INT64.widen(ColumnType.DATE));
        assertEquals(ColumnType.DATE, ColumnType.of(LocalDate.EPOCH));
    }

    @Test
    void declaredTableEnforcesNotNullAndRefusesASecondCreate(@TempDir Path dir) throws Exception {
        try (RiverEngine e = openSmall(dir)) {
            e.createTable(events());
            RowRejectedException refused = assertThrows(
                    RowRejectedException.class,
                    () -> e.write(WriteBatch.of("ev", Row.of("1", Map.of("id", 1L, "n", 3)))));
            assertEquals("day", refused.column());
            assertEquals(0, refused.index());
            assertThrows(TableExistsException.class, () -> e.createTable(events()));
            assertEquals(TableMode.UPSERT, e.table("ev").orElseThrow().mode());
        }
    }

    @Test
    void droppedTableLeavesNothingAndItsWalNeverComesBack(@TempDir Path dir) throws Exception {
        try (RiverEngine e = openSmall(dir)) {
            e.createTable(events());
            write(e, 0, 500);
            e.flush();
            write(e, 500, 700);
            e.checkpoint();
            write(e, 700, 800);
            assertTrue(e.dropTable("ev"));
            assertFalse(e.dropTable("ev"));
            assertFalse(e.table("ev").isPresent());
            assertEquals(0, segmentFiles(dir).size());
            assertThrows(IllegalArgumentException.class, () -> write(e, 800, 801));
            assertThrows(IllegalArgumentException.class, () -> e.dropTable(RiverEngine.DEFAULT_TABLE));
        }
        try (RiverEngine e = openSmall(dir)) {
            assertFalse(e.table("ev").isPresent());
            e.createTable(events());
            write(e, 5000, 5001);
        }
        try (RiverEngine e = openSmall(dir)) {
            Table t = e.table("ev").orElseThrow();
            assertEquals(1, scanDays(t, new ArrayList<>()).size(), "only the new table's row");
            assertTrue(t.get("005000").isPresent());
            assertFalse(t.get("000001").isPresent());
        }
    }

    @Test
    void dropWhileFlushesAndCompactionsRunLeavesNoFileAndNoLeak(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 3; round++) {
            try (RiverEngine e = openSmall(dir, "river.memtable.max.bytes=64k")) {
                e.createTable(events());
                for (int i = 0; i < 40; i++) {
                    write(e, i * 100, i * 100 + 100);
                }
                assertTrue(e.dropTable("ev"));
            }
            assertEquals(List.of(), segmentFiles(dir), "round " + round);
        }
        try (RiverEngine e = openSmall(dir)) {
            assertFalse(e.table("ev").isPresent());
        }
    }

    @Test
    void crashBetweenManifestEditAndFileDeletionLeavesOrphansThatStartUpRemoves(@TempDir Path dir, @TempDir Path aside)
            throws Exception {
        List<Path> files;
        try (RiverEngine e = openSmall(dir)) {
            e.createTable(events());
            write(e, 0, 600);
            e.flush();
            write(e, 600, 700);
            files = segmentFiles(dir);
            assertFalse(files.isEmpty());
            for (Path f : files) {
                Files.copy(f, aside.resolve(f.getFileName()));
            }
            assertTrue(e.dropTable("ev"));
        }
        // The crash: the manifest no longer lists the table, but its files are still there.
        for (Path f : files) {
            Files.createDirectories(f.getParent());
            Files.copy(aside.resolve(f.getFileName()), f, StandardCopyOption.REPLACE_EXISTING);
        }
        try (RiverEngine e = openSmall(dir)) {
            assertFalse(e.table("ev").isPresent());
            assertEquals(0, segmentFiles(dir).size(), "orphans removed at start-up");
            e.createTable(events());
            assertEquals(
                    0, scanDays(e.table("ev").orElseThrow(), new ArrayList<>()).size());
        }
        try (RiverEngine e = openSmall(dir)) {
            assertNotNull(e.table("ev").orElseThrow());
            assertEquals(
                    0, scanDays(e.table("ev").orElseThrow(), new ArrayList<>()).size());
        }
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        Path tables = dir.resolve("tables");
        if (!Files.isDirectory(tables)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(tables)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> p.toString().contains("/ev/"))
                    .toList();
        }
    }
}
