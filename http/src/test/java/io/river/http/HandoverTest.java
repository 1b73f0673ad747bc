package io.river.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two halves of a graceful restart inside one JVM: a successor holds requests until its engine
 * is attached, and a stopping server still answers a request on a kept-alive connection (with
 * {@code Connection: close}) instead of 503.
 */
class HandoverTest {
    @TempDir
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void heldRequestsProceedOnceTheEngineIsAttached() throws Exception {
        RiverConfig config = RiverConfig.from(TestServer.config(dir));
        RiverServer server = new RiverServer(config)
                .holdUntilAttached(Duration.ofSeconds(30))
                .start();
        try {
            String base = "http://127.0.0.1:" + server.port();
            CompletableFuture<HttpResponse<String>> put = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/put?key=k"))
                            .POST(HttpRequest.BodyPublishers.ofString("v"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> get = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/get?key=absent")).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsHeld() == 2);
            assertFalse(put.isDone(), "a put waits for the engine");
            assertFalse(get.isDone(), "a get waits for the engine");
            assertEquals(
                    503,
                    client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode(),
                    "readiness is not held");

            try (RiverEngine engine = RiverEngine.open(config)) {
                server.attach(engine);
                assertEquals(
                        200,
                        put.get(10, TimeUnit.SECONDS).statusCode(),
                        put.get().body());
                assertEquals(404, get.get(10, TimeUnit.SECONDS).statusCode());
                server.stop();
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void heldRequestsGet503WhenTheHoldRunsOutOrTheServerStops() throws Exception {
        RiverConfig config = RiverConfig.from(TestServer.config(dir));
        RiverServer server = new RiverServer(config)
                .holdUntilAttached(Duration.ofMillis(300))
                .start();
        try {
            String base = "http://127.0.0.1:" + server.port();
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/get?key=k")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(250), "waited for the hold time");
        } finally {
            server.stop();
        }
        RiverServer unheld = new RiverServer(config).start();
        try {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unheld.port() + "/get?key=k"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), "without a hold, 503 at once");
        } finally {
            unheld.stop();
        }
    }

    @Test
    void aStoppingServerAnswersKeptAliveConnectionsWithConnectionClose() throws Exception {
        RiverConfig config = RiverConfig.from(TestServer.config(dir));
        RiverEngine engine = RiverEngine.open(config);
        RiverServer server = RiverServer.start(config, engine);
        int port = server.port();
        CompletableFuture<Void> stopped;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            String first = exchange(
                    s,
                    "POST /put?key=a HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: 1\r\n\r\n1");
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertFalse(first.toLowerCase().contains("connection: close"), first);

            stopped = CompletableFuture.runAsync(() -> server.stop(RiverServer.IDLE_DRAIN));
            awaitRefused(port);
            assertFalse(stopped.isDone(), "stop waits for the open connection");

            String second = exchange(s, "GET /get?key=a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(second.startsWith("HTTP/1.1 200"), second);
            assertTrue(second.toLowerCase().contains("connection: close"), second);
            assertEquals(-1, s.getInputStream().read(), "the server closes the connection after that answer");
        }
        stopped.get(10, TimeUnit.SECONDS);
        engine.close();
    }

    private static void awaitRefused(int port) {
        await("the listener is closed")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Socket probe = new Socket("127.0.0.1", port)) {
                        return false;
                    } catch (ConnectException e) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** Writes one request and reads one response with a Content-Length body. */
    private static String exchange(Socket s, String request) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed before a response: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
