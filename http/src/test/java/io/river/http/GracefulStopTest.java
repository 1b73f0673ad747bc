package io.river.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stop() stops accepting at once but lets a request in flight finish, then the engine closes cleanly. */
class GracefulStopTest {
    @TempDir
    Path dir;

    @Test
    void inFlightRequestCompletesAndNewConnectionsAreRefused() throws Exception {
        RiverConfig config = RiverConfig.from(TestServer.config(dir));
        RiverEngine engine = RiverEngine.open(config);
        RiverServer server = RiverServer.start(config, engine);
        int port = server.port();
        byte[] value = "slow body!".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Void> stopped;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /put?key=slow HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: "
                            + value.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(value, 0, 4);
            out.flush();
            // The handler is now blocked reading the rest of the body.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsInFlight() == 1);

            stopped = CompletableFuture.runAsync(server::stop);
            await("new connections are refused once stopping")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> refused(port));
            assertFalse(stopped.isDone(), "stop waits for the request in flight");

            out.write(value, 4, value.length - 4);
            out.flush();
            String response = readAll(s.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("\"lsn\""), response);
        }
        stopped.get(30, TimeUnit.SECONDS);
        engine.close();

        // The acknowledged put is there after reopening.
        try (RiverEngine reopened = RiverEngine.open(config)) {
            byte[] stored = (byte[]) reopened.table("default")
                    .orElseThrow()
                    .get("slow")
                    .orElseThrow()
                    .get("_value");
            assertArrayEquals(value, stored);
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        assertEquals(false, server.isReady());
    }

    private static boolean refused(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }
}
