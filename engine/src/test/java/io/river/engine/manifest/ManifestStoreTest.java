package io.river.engine.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestStoreTest {

    @Test
    void roundTripsTablesFilesAndPositions(@TempDir Path dir) throws IOException {
        ManifestStore store = ManifestStore.open(dir);
        FileEntry fe = new FileEntry(
                "000000000001.arrow",
                1,
                0,
                1234,
                10,
                1,
                "a",
                "z",
                99,
                7,
                Map.of("n", new FileEntry.ColumnStatsEntry(1, 9, 0)));
        store.update(m -> {
            TableEntry t = TableEntry.create("orders", TableMode.UPSERT, TableSchema.initial());
            List<List<FileEntry>> levels = new java.util.ArrayList<>(t.levels());
            levels.set(0, List.of(fe));
            return m.withTable(t.withLevels(levels, 7))
                    .withPositions(List.of(new Manifest.PositionEntry("topic", 3, 42)))
                    .withCheckpoint(new Manifest.CheckpointRef("checkpoint-1.ckpt", 5));
        });
        Manifest back = ManifestStore.open(dir).current();
        assertEquals(store.current(), back);
        assertEquals(1, back.generation());
        assertEquals(7, back.tables().get("orders").flushedLsn());
        assertEquals("a", back.tables().get("orders").levels().get(0).get(0).minKey());
        assertEquals(42, back.positions().get(0).next());
    }

    @Test
    void crashBetweenTempAndRenameLeavesTheOldManifest(@TempDir Path dir) throws IOException {
        ManifestStore store = ManifestStore.open(dir);
        store.update(m -> m.withTable(TableEntry.create("a", TableMode.APPEND, TableSchema.initial())));
        byte[] before = Files.readAllBytes(dir.resolve(ManifestStore.FILE_NAME));
        // A crash after the temp file was written but before the rename: a half-written temp is left.
        Files.write(dir.resolve(ManifestStore.FILE_NAME + ".tmp"), "{\"formatVersion\":1,\"tabl".getBytes());
        Manifest reopened = ManifestStore.open(dir).current();
        assertTrue(reopened.tables().containsKey("a"));
        assertEquals(new String(before), new String(Files.readAllBytes(dir.resolve(ManifestStore.FILE_NAME))));
    }

    @Test
    void refusesAnUnreadableManifestNamingIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(ManifestStore.FILE_NAME), "{not json");
        IOException e = assertThrows(IOException.class, () -> ManifestStore.open(dir));
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
    }
}
