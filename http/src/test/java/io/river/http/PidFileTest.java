package io.river.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** river.pid: round trip, removal only by its owner, refusal of foreign or damaged files, liveness. */
class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripAndOwnerOnlyRemoval() throws IOException {
        assertEquals(Optional.empty(), PidFile.read(dir));
        new PidFile(4242, "127.0.0.1", 8123).write(dir);
        assertEquals(Optional.of(new PidFile(4242, "127.0.0.1", 8123)), PidFile.read(dir));
        PidFile.removeIfOwned(dir, 4243);
        assertTrue(Files.exists(PidFile.path(dir)), "a successor's file stays");
        PidFile.removeIfOwned(dir, 4242);
        assertFalse(Files.exists(PidFile.path(dir)));
    }

    @Test
    void foreignOrDamagedFilesAreRefused() throws IOException {
        Files.writeString(PidFile.path(dir), "12345\n");
        assertThrows(IOException.class, () -> PidFile.read(dir));
        Files.writeString(PidFile.path(dir), "format=river-pid\nversion=1\npid=x\nhost=h\nport=1\n");
        assertThrows(IOException.class, () -> PidFile.read(dir));
        Files.writeString(PidFile.path(dir), "format=river-pid\nversion=2\npid=1\nhost=h\nport=1\n");
        assertThrows(IOException.class, () -> PidFile.read(dir));
    }

    @Test
    void onlyALiveRiverProcessCounts() throws Exception {
        // This test JVM runs, but it is not a River server.
        assertFalse(new PidFile(ProcessHandle.current().pid(), "h", 1).alive());
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertFalse(PidFile.isRiver(sleeper.pid()), "another program under a reused pid is never signalled");
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        assertFalse(PidFile.isRiver(sleeper.pid()), "a dead pid");
    }
}
