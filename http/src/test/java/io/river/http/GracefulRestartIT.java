package io.river.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful restart end to end, through the {@code ./river} launcher: a server runs, several
 * clients (java.net.http, one connection each, no retries: the JDK client's own connect retry is
 * switched off too) put and read back their keys without pause, while {@code ./river restart}
 * replaces the server three times and {@code kill -USR1} once more. Every request must succeed and
 * every acknowledged put must be readable afterwards with its last value.
 *
 * <p>Connections waiting in the old listener's accept queue at the switch survive only with
 * {@code net.ipv4.tcp_migrate_req=1}; the test sets it (and restores it) when it can. If it
 * cannot, failed requests are tolerated only when they are connection resets, and counted.
 */
class GracefulRestartIT {
    static {
        // Make the JDK client fail instead of silently re-connecting (it retries a refused connect once).
        System.setProperty("jdk.httpclient.disableRetryConnect", "true");
    }

    private static final int CLIENTS = 4;
    /** Clients that open a new connection for every request (as curl in a loop): they exercise the accept queue. */
    private static final int CONNECTION_PER_REQUEST_CLIENTS = 2;

    private static final int RESTARTS = 3;

    @TempDir
    Path dir;

    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    @Test
    void restartsDropNoRequestAndLoseNoWrite() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path launcher = repo.resolve("river");
        assertTrue(Files.isExecutable(launcher), "launcher at " + launcher);
        Path data = dir.resolve("data");
        int port = freePort();
        List<String> serveArgs = List.of(
                "--data-dir",
                data.toString(),
                "--port",
                Integer.toString(port),
                "--host",
                "127.0.0.1",
                "--river.wal.sync=batch");
        String before = readMigrate();
        // -Driver.it.keepMigrate=true leaves the kernel setting alone (to see what happens without it).
        boolean migrate = Boolean.getBoolean("river.it.keepMigrate") ? "1".equals(before) : setMigrate("1");
        Process first = null;
        try {
            List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "serve"));
            cmd.addAll(serveArgs);
            first = launch(cmd, dir.resolve("serve.log"));
            PidFile serving = awaitPid(data, first.pid(), first, dir.resolve("serve.log"));
            assertEquals(port, serving.port());

            Clients clients = new Clients(port);
            clients.start();
            awaitOps(clients, 200);

            long current = serving.pid();
            for (int round = 0; round < RESTARTS; round++) {
                int i = round;
                List<String> restart = new ArrayList<>(List.of(launcher.toString(), "restart"));
                restart.addAll(serveArgs);
                Path out = dir.resolve("restart-" + i + ".log");
                Process p = launch(restart, out);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "restart " + i + " returns");
                assertEquals(
                        0,
                        p.exitValue(),
                        () -> "restart " + i + ":\n" + read(out) + "\n" + read(data.resolve("river.log")));
                long next = PidFile.read(data).orElseThrow().pid();
                pids.add(next);
                assertNotEquals(current, next);
                awaitExit(current);
                current = next;
                awaitOps(clients, clients.ops.get() + 200);
            }

            // The signal path: SIGUSR1 makes the server start its own successor.
            Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(current))
                    .inheritIO()
                    .start();
            assertEquals(0, kill.waitFor());
            long signalled = current;
            long next = awaitNewPid(data, signalled);
            awaitExit(signalled);
            awaitOps(clients, clients.ops.get() + 200);

            clients.stop();
            List<String> failures = new ArrayList<>(clients.failures);
            String report = clients.ops.get() + " requests, " + failures.size() + " failed, slowest answer "
                    + clients.maxMillis.get() + " ms, tcp_migrate_req "
                    + (migrate ? "on" : "off") + ":\n" + String.join("\n", failures);
            System.out.println("GracefulRestartIT: " + report);
            if (migrate) {
                assertEquals(List.of(), failures, report);
            } else {
                assertTrue(failures.stream().allMatch(f -> f.contains("reset")), report);
            }

            // Every acknowledged put is there, with its last value, on the last server.
            HttpClient reader =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (Map.Entry<String, byte[]> e : clients.acked.entrySet()) {
                HttpResponse<byte[]> r = reader.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/get?key=" + e.getKey()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode(), e.getKey());
                assertArrayEquals(e.getValue(), r.body(), e.getKey());
            }
            assertTrue(clients.acked.size() > 100, "keys written: " + clients.acked.size());

            new ProcessBuilder("kill", "-TERM", Long.toString(next))
                    .inheritIO()
                    .start()
                    .waitFor();
            awaitExit(next);
            assertFalse(Files.exists(PidFile.path(data)), "the last server removed its pid file");
        } finally {
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (first != null) {
                first.destroyForcibly();
            }
            if (before != null) {
                setMigrate(before);
            }
        }
    }

    /**
     * Client threads, each with its own HttpClient (one kept-alive connection), putting and reading back its own keys.
     */
    static final class Clients {
        final Map<String, byte[]> acked = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong ops = new AtomicLong();
        final AtomicLong maxMillis = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();
        final int port;

        Clients(int port) {
            this.port = port;
        }

        void start() {
            for (int t = 0; t < CLIENTS + CONNECTION_PER_REQUEST_CLIENTS; t++) {
                int id = t;
                Thread th = new Thread(() -> loop(id), "client-" + id);
                threads.add(th);
                th.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }

        private void loop(int id) {
            HttpClient client = id < CLIENTS
                    ? HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build()
                    : null;
            Random rnd = new Random(id);
            List<String> mine = new ArrayList<>();
            for (int i = 0; running.get(); i++) {
                String key = "c" + id + "-" + (i % 500); // keys are overwritten: the last value must win
                byte[] value = ("v" + i + "-" + rnd.nextLong()).getBytes(StandardCharsets.UTF_8);
                HttpResponse<byte[]> put = send(
                        client,
                        HttpRequest.newBuilder(uri("/put?key=" + key))
                                .header("Content-Type", "application/octet-stream")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(value)),
                        "put " + key);
                if (put == null) {
                    continue;
                }
                acked.put(key, value);
                if (!mine.contains(key)) {
                    mine.add(key);
                }
                String probe = mine.get(rnd.nextInt(mine.size()));
                HttpResponse<byte[]> get = send(
                        client, HttpRequest.newBuilder(uri("/get?key=" + probe)).GET(), "get " + probe);
                if (get != null && !java.util.Arrays.equals(acked.get(probe), get.body())) {
                    failures.add("get " + probe + ": stale or wrong value "
                            + new String(get.body(), StandardCharsets.UTF_8));
                }
            }
        }

        private URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + port + pathAndQuery);
        }

        /**
         * One attempt; a non-200 answer or an exception is a failure (returns null). Without an
         * HttpClient, one fresh connection for this request ({@code Connection: close}).
         */
        private HttpResponse<byte[]> send(HttpClient client, HttpRequest.Builder b, String what) {
            long t0 = System.nanoTime();
            try {
                HttpRequest request = b.timeout(Duration.ofSeconds(90)).build();
                Answer r = client != null
                        ? new Answer(client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                        : OneShot.send(request);
                ops.incrementAndGet();
                maxMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
                if (r.status() != 200) {
                    failures.add(what + ": HTTP " + r.status() + " " + new String(r.body(), StandardCharsets.UTF_8));
                    return null;
                }
                return r.response();
            } catch (IOException e) {
                ops.incrementAndGet();
                failures.add(what + ": " + e + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms"
                        + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** A status and body, from HttpClient or from {@link OneShot}. */
    record Answer(int status, byte[] body, HttpResponse<byte[]> response) {
        Answer(HttpResponse<byte[]> r) {
            this(r.statusCode(), r.body(), r);
        }
    }

    /** HTTP/1.1 over a new socket per request, {@code Connection: close}; no retry of any kind. */
    static final class OneShot {
        static Answer send(HttpRequest request) throws IOException {
            byte[] body = request.bodyPublisher().map(OneShot::bytes).orElse(new byte[0]);
            URI u = request.uri();
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 10_000);
                s.setSoTimeout(90_000);
                String head = request.method() + " " + u.getRawPath() + "?" + u.getRawQuery() + " HTTP/1.1\r\nHost: "
                        + u.getHost() + "\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n";
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
                s.getOutputStream().flush();
                byte[] all = s.getInputStream().readAllBytes();
                String text = new String(all, StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                    throw new IOException("no HTTP response (" + all.length + " bytes)");
                }
                byte[] payload = java.util.Arrays.copyOfRange(all, end + 4, all.length);
                return new Answer(Integer.parseInt(text.substring(9, 12)), payload, new Fixed(request, payload));
            }
        }

        private static byte[] bytes(HttpRequest.BodyPublisher p) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            p.subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(java.nio.ByteBuffer b) {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    out.writeBytes(a);
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    done.complete(null);
                }
            });
            done.join();
            return out.toByteArray();
        }
    }

    /** The body of a {@link OneShot} answer in HttpResponse's shape (only body() is used). */
    record Fixed(HttpRequest request, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    private Process launch(List<String> cmd, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("RIVER_NO_BUILD", "1");
        pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        Process p = pb.start();
        pids.add(p.pid());
        return p;
    }

    private static PidFile awaitPid(Path data, long pid, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<PidFile> f = PidFile.read(data);
            if (f.isPresent() && f.get().pid() == pid) {
                return f.get();
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("river serve did not become ready:\n" + read(log));
    }

    private long awaitNewPid(Path data, long old) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Optional<PidFile> f = PidFile.read(data);
            if (f.isPresent() && f.get().pid() != old) {
                pids.add(f.get().pid());
                return f.get().pid();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no successor after SIGUSR1:\n" + read(data.resolve("river.log")));
    }

    private static void awaitExit(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            h.get().onExit().get(60, TimeUnit.SECONDS);
        }
    }

    private static void awaitOps(Clients clients, long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (clients.ops.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(clients.ops.get() >= target, "clients made progress: " + clients.ops.get() + " < " + target);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String readMigrate() {
        try {
            return Files.readString(Successor.MIGRATE_REQ).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Sets net.ipv4.tcp_migrate_req (root only); true if it now reads 1. */
    private static boolean setMigrate(String value) {
        try {
            Files.writeString(Successor.MIGRATE_REQ, value);
        } catch (IOException | UnsupportedOperationException e) {
            System.out.println("GracefulRestartIT: cannot set tcp_migrate_req: " + e);
        }
        return "1".equals(readMigrate());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no " + p + ")";
        }
    }
}
