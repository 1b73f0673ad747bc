package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineRegistryTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        RecordingServerHook.STARTS.set(0);
        RecordingServerHook.STOPS.set(0);
    }

    private RiverConfig config(Path dataDir, int port) {
        return RiverConfig.from(Map.of("river.data.dir", dataDir.toString(), "river.http.port", String.valueOf(port)));
    }

    @Test
    void firstAcquireOpensLastReleaseClosesAndTheServerFollowsTheEngine() throws IOException {
        EngineRegistry.Lease a = EngineRegistry.acquire(config(dir, 0));
        EngineRegistry.Lease b =
                EngineRegistry.acquire(config(dir.resolve(".").resolve("x").resolve(".."), 0));
        assertSame(a.engine(), b.engine(), "one engine per data directory, however the path is spelled");
        assertEquals(1, RecordingServerHook.STARTS.get());
        assertSame(a.engine(), RecordingServerHook.lastEngine);

        a.close();
        a.close(); // idempotent: must not release b's share
        assertTrue(EngineRegistry.isOpen(dir));
        assertTrue(b.engine().isReady());
        assertEquals(0, RecordingServerHook.STOPS.get());

        b.close();
        assertFalse(EngineRegistry.isOpen(dir));
        assertFalse(b.engine().isReady());
        assertEquals(1, RecordingServerHook.STOPS.get());

        try (EngineRegistry.Lease again = EngineRegistry.acquire(config(dir, 0))) {
            assertNotSame(a.engine(), again.engine(), "a released directory is opened afresh");
        }
    }

    @Test
    void portMinusOneStartsNoServer() throws IOException {
        try (EngineRegistry.Lease lease = EngineRegistry.acquire(config(dir, -1))) {
            assertTrue(lease.engine().isReady());
        }
        assertEquals(0, RecordingServerHook.STARTS.get());
    }

    @Test
    void aServerThatCannotStartClosesTheEngineAndSaysWhy() throws IOException {
        IOException e = assertThrows(IOException.class, () -> EngineRegistry.acquire(config(dir, 1)));
        assertTrue(e.getMessage().contains("river.http.port=1"), e.getMessage());
        assertTrue(e.getMessage().contains("port 1 is taken"), e.getMessage());
        assertFalse(EngineRegistry.isOpen(dir));
        // The engine was closed and its LOCK released: the directory opens again.
        try (EngineRegistry.Lease lease = EngineRegistry.acquire(config(dir, -1))) {
            assertTrue(lease.engine().isReady());
        }
    }
}
