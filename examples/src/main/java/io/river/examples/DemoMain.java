package io.river.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code river demo}: the whole pipeline in one process, no Docker. A single-node KRaft broker
 * ({@link EmbeddedKafka}), a stock standalone Connect worker ({@link EmbeddedConnect}) that loads
 * River from its plugin archive and runs {@code config/connectors/orders-embedded.json} (embedded
 * mode) with River's REST API and console on {@code --port}, and {@link SampleProducer} writing
 * orders to {@code orders}.
 * Prints where to look once the {@code orders} table answers. SIGINT/SIGTERM run the shutdown hook:
 * generator, then worker (sink tasks close River's engine: WAL synced, LOCK released), then broker;
 * the exit code is the JVM's (130/143). Everything lives under {@code --data-dir}, so a second run
 * continues where the first stopped. Not thread-safe; runs once, from main.
 */
public final class DemoMain implements AutoCloseable {
    static final String TOPIC = "orders";
    static final String DLQ_TOPIC = "orders-dlq";
    /** The orders connector of docker-compose.yml in embedded mode: one worker, River inside it. */
    static final String CONNECTOR_FILE = "orders-embedded.json";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final DemoOptions options;
    private final PrintStream out;
    private EmbeddedKafka kafka;
    private EmbeddedConnect connect;
    private SampleProducer producer;
    private Thread producerThread;
    private String connectorName;
    private boolean closed;

    DemoMain(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("river.home", "."));
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, home.resolve("demo-data"));
        } catch (DemoOptions.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(DemoOptions.USAGE);
            return;
        }
        DemoMain demo = new DemoMain(options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "river-demo-stop"));
        try {
            demo.start();
        } catch (Exception e) {
            System.err.println("river demo: " + e.getMessage());
            demo.close();
            System.exit(1);
        }
    }

    void start() throws Exception {
        long t0 = System.nanoTime();
        Path dir = options.dataDir();
        Files.createDirectories(dir);
        if (!isFree(options.port())) {
            throw new IllegalStateException("port " + options.port() + " is in use (another river demo or server?); "
                    + "choose another with --port N");
        }
        Path zip = PluginArchive.find();
        Path plugins = PluginArchive.unpack(zip, dir.resolve("plugins"));
        int kafkaPort = isFree(options.kafkaPort()) ? options.kafkaPort() : freePort();
        out.printf("river demo: starting Kafka (KRaft) on 127.0.0.1:%d ...%n", kafkaPort);
        synchronized (this) {
            checkNotClosed();
            // The controller's port must differ from the ports chosen but not yet bound: the OS may hand
            // out a port again as soon as the probe that found it free has closed.
            kafka = new EmbeddedKafka(dir.resolve("kafka"), kafkaPort, freePortOtherThan(kafkaPort, options.port()))
                    .start();
        }
        kafka.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1), new NewTopic(DLQ_TOPIC, 1, (short) 1)));

        out.printf("river demo: starting Kafka Connect with the River plugin from %s ...%n", zip.getFileName());
        Files.createDirectories(dir.resolve("connect"));
        Map<String, String> worker = EmbeddedConnect.workerProperties(
                kafka.bootstrapServers(),
                plugins,
                dir.resolve("connect").resolve("standalone.offsets"),
                isFree(8083) && options.port() != 8083 ? 8083 : freePortOtherThan(options.port()));
        synchronized (this) {
            checkNotClosed();
            connect = EmbeddedConnect.start(worker);
        }
        // This machine's data directory and port; a small memtable so that flushes and compactions
        // (the console's LSM picture) happen within seconds rather than minutes.
        ConnectorConfigs.Definition orders = ConnectorConfigs.load(CONNECTOR_FILE)
                .with(Map.of(
                        "river.data.dir", dir.resolve("river").toString(),
                        "river.http.port", Integer.toString(options.port()),
                        "river.memtable.max.bytes", "8m"));
        connectorName = orders.name();
        connect.putConnector(orders.name(), orders.config());

        if (options.rate() > 0) {
            synchronized (this) {
                checkNotClosed();
                producer = new SampleProducer(kafka.bootstrapServers(), TOPIC, options.rate(), Long.MAX_VALUE);
                producerThread = new Thread(producer, "sample-producer");
                producerThread.start();
            }
        }
        out.printf("river demo: waiting for River's API on port %d ...%n", options.port());
        awaitTable(orders.name());
        printBanner(orders.name(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Waits until River serves and has the orders table (created by the first record). */
    private void awaitTable(String connector) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI tables = URI.create("http://127.0.0.1:" + options.port() + "/tables/" + TOPIC);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            checkNotClosed();
            String status = connect.status(connector);
            if (status.contains("FAILED")) {
                throw new IllegalStateException("the River connector failed: " + status);
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(tables)
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet: the sink opens River (and its API) when its first task starts.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("River's API did not serve table '" + TOPIC + "' on port " + options.port()
                + " within " + READY_TIMEOUT.toSeconds() + " s; connector: " + connect.status(connector));
    }

    private void printBanner(String connector, long millis) {
        String api = "http://localhost:" + options.port();
        String q = "SELECT city, COUNT(*) AS orders, SUM(amount) AS revenue FROM orders "
                + "GROUP BY city ORDER BY revenue DESC LIMIT 5";
        out.println();
        out.printf(
                "River demo is up (%.1f s). Data in %s; Ctrl-C stops, the next run continues.%n",
                millis / 1000.0, options.dataDir());
        out.println();
        out.printf("  Console     %s/%n", api);
        out.printf("  REST API    %s/openapi.json%n", api);
        out.printf(
                "  Kafka       %s, topic '%s' (%s), dead letters in '%s'%n",
                kafka.bootstrapServers(),
                TOPIC,
                options.rate() > 0 ? "~" + options.rate() + " sample orders/s" : "no generator",
                DLQ_TOPIC);
        out.printf("  Connect     %sconnectors/%s/status%n", connect.restUrl(), connector);
        out.println();
        out.println("Try:");
        out.printf("  curl -s %s/tables/orders%n", api);
        out.printf("  curl -s %s/query -H 'Content-Type: application/json' \\%n", api);
        out.printf("       -d '{\"sql\": \"%s\"}'%n", q);
        out.printf("  curl -s %s/query -H 'Content-Type: text/plain' -H 'Accept: text/csv' --data-binary \\%n", api);
        out.println("       \"SELECT date_trunc('minute', ts) AS bucket, COUNT(*) AS orders, AVG(amount) AS avg_amount "
                + "FROM orders GROUP BY date_trunc('minute', ts) ORDER BY bucket DESC LIMIT 5\"");
        out.printf(
                "  ./river query --port %d \"SELECT user_id, COUNT(*) AS orders FROM orders "
                        + "GROUP BY user_id ORDER BY orders DESC LIMIT 10\"%n",
                options.port());
        out.printf("  curl -s %s/stats%n", api);
        out.println("More queries: examples/queries.sql");
        out.println();
    }

    private synchronized void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("stopped while starting");
        }
    }

    /** Stops the generator, then the worker (and with it River), then the broker. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.println("river demo: stopping ...");
        if (producer != null) {
            producer.close();
            try {
                producerThread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.closeProducer();
        }
        if (connect != null) {
            connect.close();
            if (kafka != null && connectorName != null) {
                // Sink consumers leave their group as their tasks finish; let them before the broker goes.
                kafka.awaitGroupEmpty("connect-" + connectorName, Duration.ofSeconds(5));
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        out.printf("river demo: stopped; data kept in %s%n", options.dataDir());
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free port that is none of {@code taken}. */
    static int freePortOtherThan(int... taken) throws IOException {
        while (true) {
            int p = freePort();
            if (java.util.Arrays.stream(taken).noneMatch(t -> t == p)) {
                return p;
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
