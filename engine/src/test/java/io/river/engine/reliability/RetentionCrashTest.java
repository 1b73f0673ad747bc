package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.manifest.TableEntry;
import io.river.engine.testing.CrashHarness;
import io.river.engine.testing.DataDirs;
import io.river.engine.testing.EngineTestUtils;
import io.river.engine.testing.RetentionCrashWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention kill point: {@link RetentionCrashWriter} is killed with {@code kill -9} right after a
 * retention drop edit is durable and before the dropped files are deleted. The reopened directory
 * must hold exactly the acknowledged state of the other table, no file the manifest does not list
 * (the dropped files are deleted as orphans), and none of the expired rows, whether they were in the
 * dropped files, in later segments or only in the WAL. Two rounds on one directory, each continuing
 * where the last one ended.
 */
class RetentionCrashTest {
    private static final long WAIT_MILLIS = 60_000;

    @Test
    void killNineBetweenTheDropEditAndFileDeletionLeavesNoFileAndNoExpiredRow(@TempDir Path dir) throws Exception {
        long nextSeq = 0;
        for (int round = 0; round < 2; round++) {
            CrashHarness.Run run = CrashHarness.run(
                    RetentionCrashWriter.class,
                    dir,
                    nextSeq,
                    round == 0 ? "leveled" : "size-tiered",
                    line -> line.equals("PHASE retention-drop"),
                    WAIT_MILLIS);
            assertTrue(run.killedAtLine(), "the writer never reached its retention drop");
            assertFalse(unlistedFiles(dir).isEmpty(), "the kill left the dropped files on disk (the crash window)");

            long durable = CrashHarness.verify(dir, run.lastAck());
            nextSeq = durable + 1;
            try (RiverEngine e = EngineTestUtils.openSmall(dir)) {
                assertEquals(
                        0,
                        e.table(RetentionCrashWriter.EXPIRED)
                                .orElseThrow()
                                .range(null, null, 10)
                                .size());
                assertTrue(e.table(RetentionCrashWriter.EXPIRED)
                        .orElseThrow()
                        .get("000000000001/001")
                        .isEmpty());
            }
            DataDirs.assertNoOrphans(dir);
        }
    }

    /** Segment files of the expired table on disk that the manifest does not list. */
    private static List<Path> unlistedFiles(Path dir) throws Exception {
        TableEntry te = ManifestStore.open(dir).current().tables().get(RetentionCrashWriter.EXPIRED);
        Set<String> listed = new HashSet<>();
        for (FileEntry f : te.allFiles()) {
            listed.add(f.file());
        }
        try (Stream<Path> s = Files.list(dir.resolve("tables").resolve(RetentionCrashWriter.EXPIRED))) {
            return s.filter(p -> p.toString().endsWith(".arrow"))
                    .filter(p -> !listed.contains(p.getFileName().toString()))
                    .toList();
        }
    }
}
