package io.river.examples;

import static io.river.examples.ExamplesTestUtils.JSON;
import static io.river.examples.ExamplesTestUtils.count;
import static io.river.examples.ExamplesTestUtils.get;
import static io.river.examples.ExamplesTestUtils.repoRoot;
import static io.river.examples.ExamplesTestUtils.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code docker-compose.yml} honest without Docker. First, the file itself: its services,
 * images, ports, volumes, commands and environment must agree with the configuration files in
 * {@code examples/config/} that it mounts. Then the same configuration runs for real: a KRaft broker
 * as a child process configured from the compose file's {@code KAFKA_*} environment, a stock
 * distributed Connect worker (child process, {@code KAFKA_OPTS} from the compose file) on
 * {@code connect-distributed.properties} with River only on {@code plugin.path}, every example
 * connector validated by the worker, and {@code orders.json} created through Connect's REST API as
 * the one-shot container does. Only host names, ports and directories are replaced, and the test
 * names which. Orders go in, River answers SQL on them, a bad record lands in the dead letter topic.
 */
class ComposeStackIT {
    private static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    private static JsonNode compose;
    private static Path config;

    @TempDir
    Path work;

    @BeforeAll
    static void readCompose() throws IOException {
        compose = new YAMLMapper().readTree(repoRoot().resolve("docker-compose.yml").toFile());
        config = repoRoot().resolve("examples/config");
    }

    private static JsonNode service(String name) {
        JsonNode s = compose.path("services").path(name);
        assertTrue(s.isObject(), "docker-compose.yml has no service '" + name + "'");
        return s;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node.asText());
        }
        return out;
    }

    /** A service's volume mounts as target -> source ("./path" for bind mounts, a name for volumes). */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : strings(service.path("volumes"))) {
            String[] parts = v.split(":");
            out.put(parts[1], parts[0]);
        }
        return out;
    }

    private static String mountOf(JsonNode service, String source) {
        return mounts(service).entrySet().stream().filter(e -> e.getValue().equals(source)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no mount of " + source + " in " + service));
    }

    private static Properties workerProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(config.resolve("connect-distributed.properties"))) {
            p.load(in);
        }
        return p;
    }

    private static List<Path> connectorFiles() throws IOException {
        try (Stream<Path> files = Files.list(config.resolve("connectors"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The apache/kafka image's convention: KAFKA_FOO_BAR -> foo.bar, __ -> _, ___ -> -. */
    static Map<String, String> brokerPropertiesFromEnv(JsonNode environment) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : environment.properties()) {
            String name = e.getKey();
            if (!name.startsWith("KAFKA_") || Set.of("KAFKA_OPTS", "KAFKA_HEAP_OPTS").contains(name)) {
                continue;
            }
            String key = name.substring("KAFKA_".length()).toLowerCase()
                    .replace("___", "\u0001").replace("__", "\u0002").replace('_', '.')
                    .replace('\u0001', '-').replace('\u0002', '_');
            out.put(key, e.getValue().asText());
        }
        return out;
    }

    @Test
    void composeFileAgreesWithTheConfigFilesItMounts() throws Exception {
        String kafkaImage = "apache/kafka:" + System.getProperty("kafka.version", "4.3.1");
        JsonNode kafka = service("kafka");
        JsonNode plugin = service("plugin");
        JsonNode connect = service("connect");
        JsonNode creator = service("create-connectors");
        JsonNode generator = service("generator");
        assertEquals(kafkaImage, kafka.path("image").asText(), "Kafka image matches the build's Kafka version");
        assertEquals(kafkaImage, connect.path("image").asText());
        assertEquals(kafkaImage, generator.path("image").asText());

        // Broker: single-node KRaft, internal topics with one replica, a listener for the host.
        Map<String, String> broker = brokerPropertiesFromEnv(kafka.path("environment"));
        assertEquals("broker,controller", broker.get("process.roles"));
        for (String key : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor")) {
            assertEquals("1", broker.get(key), key);
        }
        assertEquals(16, Base64.getUrlDecoder().decode(kafka.path("environment").path("CLUSTER_ID").asText()).length,
                "CLUSTER_ID is a base64 UUID");
        assertTrue(strings(kafka.path("ports")).contains("29092:29092"));
        assertTrue(broker.get("advertised.listeners").contains("HOST://localhost:29092"));
        assertTrue(broker.get("listeners").contains("HOST://:29092"));
        assertTrue(broker.get("controller.quorum.voters").endsWith("@kafka:9093"));
        assertEquals("kafka", kafka.path("hostname").asText());

        // Worker: the mounted properties file, Arrow's --add-opens, the plugin volume on plugin.path.
        Properties worker = workerProperties();
        assertTrue(broker.get("advertised.listeners").contains("PLAINTEXT://" + worker.getProperty("bootstrap.servers")),
                "the worker's bootstrap.servers is the broker's advertised PLAINTEXT listener");
        String configDir = mountOf(connect, "./examples/config");
        assertEquals(List.of("/opt/kafka/bin/connect-distributed.sh", configDir + "/connect-distributed.properties"),
                strings(connect.path("command")));
        assertTrue(connect.path("environment").path("KAFKA_OPTS").asText().contains(ADD_OPENS));
        assertEquals(worker.getProperty("plugin.path"), mountOf(connect, "river-plugins"));
        String restPort = worker.getProperty("listeners").replaceAll(".*:(\\d+)$", "$1");
        assertTrue(strings(connect.path("ports")).contains(restPort + ":" + restPort), "Connect REST port published");
        assertEquals(restPort, worker.getProperty("rest.advertised.port"));
        assertEquals(Set.of("kafka", "plugin"), fieldNames(connect.path("depends_on")));

        // The plugin archive is unpacked from the build output into the plugin volume.
        assertEquals("/plugins", mountOf(plugin, "river-plugins"));
        assertEquals("/dist", mountOf(plugin, "./connect-sink/target"));
        assertTrue(String.join(" ", strings(plugin.path("command")))
                .contains("unzip -o -q /dist/river-connect-sink-*.zip -d /plugins"));
        assertTrue(PluginArchive.newestZip(repoRoot().resolve("connect-sink/target")).isPresent(),
                "the plugin archive compose mounts is built");

        // Every connector: River's port is published, its data directory is on a persistent volume, and
        // connectors of one worker share one data directory and port (one engine, one API).
        ConnectorConfigs.Definition orders = ConnectorConfigs.parse(Files.readAllBytes(config.resolve("connectors/orders.json")));
        String apiPort = orders.config().get("river.http.port");
        assertTrue(strings(connect.path("ports")).contains(apiPort + ":" + apiPort), "River's API port published");
        String dataMount = mountOf(connect, "river-data");
        assertTrue(orders.config().get("river.data.dir").startsWith(dataMount + "/"), "river.data.dir on a volume");
        for (Path file : connectorFiles()) {
            ConnectorConfigs.Definition d = ConnectorConfigs.parse(Files.readAllBytes(file));
            assertEquals("io.river.connect.RiverSinkConnector", d.config().get("connector.class"), file.toString());
            assertEquals(orders.config().get("river.data.dir"), d.config().get("river.data.dir"), file.toString());
            assertEquals(apiPort, d.config().get("river.http.port"), file.toString());
        }

        // The one-shot container runs the mounted script against the worker's REST port.
        String creatorConfig = mountOf(creator, "./examples/config");
        assertEquals(List.of("sh", creatorConfig + "/create-connectors.sh"), strings(creator.path("command")));
        assertEquals("http://connect:" + restPort, creator.path("environment").path("CONNECT_URL").asText());
        for (String file : creator.path("environment").path("CONNECTORS").asText().split("\\s+")) {
            assertTrue(Files.isRegularFile(config.resolve("connectors").resolve(file)), file);
        }
        Process syntax = new ProcessBuilder("sh", "-n", config.resolve("create-connectors.sh").toString())
                .redirectErrorStream(true).start();
        assertTrue(syntax.waitFor(10, TimeUnit.SECONDS) && syntax.exitValue() == 0, "create-connectors.sh parses");

        // The generator runs the examples' SampleProducer on the Kafka image's class path.
        List<String> gen = strings(generator.path("command"));
        assertTrue(gen.contains(SampleProducer.class.getName()), gen.toString());
        assertEquals(worker.getProperty("bootstrap.servers"), gen.get(gen.indexOf("--bootstrap") + 1));
        assertTrue(gen.get(gen.indexOf("-cp") + 1).startsWith(mountOf(generator, "./examples/target") + "/*"));

        // Bind mounts exist; named volumes are declared.
        for (String name : fieldNames(compose.path("services"))) {
            for (String source : mounts(service(name)).values()) {
                if (source.startsWith("./")) {
                    assertTrue(Files.isDirectory(repoRoot().resolve(source)), "bind mount source " + source);
                } else {
                    assertTrue(compose.path("volumes").has(source), "volume " + source + " is declared");
                }
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new java.util.TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void theComposeConfigurationRunsOnARealBrokerAndWorker() throws Exception {
        Path logs = repoRoot().resolve("examples/target/compose-it");
        int[] ports = ExamplesTestUtils.freePorts(5); // distinct: none is bound before all are picked
        int kafkaPort = ports[0];
        int controllerPort = ports[1];
        int hostPort = ports[2];
        int restPort = ports[3];
        int apiPort = ports[4];

        // Broker: the compose file's settings, with local addresses and a temporary log directory.
        JsonNode kafkaEnv = service("kafka").path("environment");
        Map<String, String> broker = new TreeMap<>(brokerPropertiesFromEnv(kafkaEnv));
        Map<String, String> brokerLocal = Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                        + ",HOST://127.0.0.1:" + hostPort,
                "advertised.listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort + ",HOST://127.0.0.1:" + hostPort,
                "controller.quorum.voters", "1@127.0.0.1:" + controllerPort,
                "log.dirs", work.resolve("kafka").toString());
        assertTrue(broker.keySet().containsAll(brokerLocal.keySet()), "compose sets every key replaced here");
        broker.putAll(brokerLocal);
        Path serverProperties = store(broker, work.resolve("server.properties"));
        Process format = ExamplesTestUtils.startJava(List.of(), "kafka.tools.StorageTool",
                List.of("format", "--cluster-id", kafkaEnv.path("CLUSTER_ID").asText(), "--config",
                        serverProperties.toString()), logs.resolve("format.log"));
        assertTrue(format.waitFor(60, TimeUnit.SECONDS) && format.exitValue() == 0,
                "kafka-storage format: " + Files.readString(logs.resolve("format.log")));

        List<String> kafkaOpts = List.of(service("connect").path("environment").path("KAFKA_OPTS").asText().split("\\s+"));
        Process kafka = ExamplesTestUtils.startJava(List.of("-Xmx512m"), "kafka.Kafka",
                List.of(serverProperties.toString()), logs.resolve("kafka.log"));
        Process worker = null;
        try {
            String bootstrap = "127.0.0.1:" + kafkaPort;
            Properties adminProps = new Properties();
            adminProps.put("bootstrap.servers", bootstrap);
            try (Admin admin = Admin.create(adminProps)) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS) != null);
                admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }

            // Worker: connect-distributed.properties as compose mounts it, with local addresses.
            Path plugins = PluginArchive.unpack(PluginArchive.newestZip(repoRoot().resolve("connect-sink/target"))
                    .orElseThrow(), work.resolve("plugins"));
            Map<String, String> workerLocal = Map.of(
                    "bootstrap.servers", bootstrap,
                    "listeners", "http://127.0.0.1:" + restPort,
                    "rest.advertised.host.name", "127.0.0.1",
                    "rest.advertised.port", Integer.toString(restPort),
                    "plugin.path", plugins.toString());
            Properties workerProps = workerProperties();
            assertTrue(workerProps.keySet().containsAll(workerLocal.keySet()), "the file sets every key replaced here");
            Map<String, String> workerConfig = new TreeMap<>();
            workerProps.forEach((k, v) -> workerConfig.put((String) k, (String) v));
            workerConfig.putAll(workerLocal);
            List<String> jvm = new ArrayList<>(kafkaOpts);
            jvm.add("-Xmx768m");
            worker = ExamplesTestUtils.startJava(jvm, "org.apache.kafka.connect.cli.ConnectDistributed",
                    List.of(store(workerConfig, work.resolve("worker.properties")).toString()), logs.resolve("worker.log"));
            String connectUrl = "http://127.0.0.1:" + restPort;
            Process w = worker;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                assertTrue(w.isAlive(), "worker died; see " + logs.resolve("worker.log"));
                return get(connectUrl + "/connectors").status() == 200;
            });

            // Every example connector is valid for this worker (the data directory made local).
            Map<String, String> connectorLocal = Map.of("river.data.dir", work.resolve("river").toString(),
                    "river.http.port", Integer.toString(apiPort));
            for (Path file : connectorFiles()) {
                ConnectorConfigs.Definition d = ConnectorConfigs.parse(Files.readAllBytes(file)).with(connectorLocal);
                ExamplesTestUtils.Response r = send("PUT",
                        connectUrl + "/connector-plugins/RiverSinkConnector/config/validate", "application/json",
                        JSON.writeValueAsString(withName(d)));
                assertEquals(200, r.status(), file + ": " + r.body());
                assertEquals(0, r.json().path("error_count").asInt(), file + ": " + r.body());
            }

            // Create the orders connector as create-connectors.sh does (POST /connectors).
            ConnectorConfigs.Definition orders = ConnectorConfigs.load("orders.json").with(connectorLocal);
            ObjectNode body = JSON.createObjectNode();
            body.put("name", orders.name());
            body.set("config", JSON.valueToTree(orders.config()));
            ExamplesTestUtils.Response created = send("POST", connectUrl + "/connectors", "application/json",
                    JSON.writeValueAsString(body));
            assertEquals(201, created.status(), created.body());

            int orderCount = 3000;
            SampleProducer producer = new SampleProducer(bootstrap, "orders", 20_000, orderCount);
            producer.run();
            producer.closeProducer();
            assertEquals(orderCount, producer.sent());
            try (KafkaProducer<String, String> bad = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                bad.send(new ProducerRecord<>("orders", "bad-1", "this is not JSON")).get();
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> count(apiPort, "orders") == orderCount);
            JsonNode table = get("http://127.0.0.1:" + apiPort + "/tables/orders").json();
            Map<String, String> types = new HashMap<>();
            table.path("columns").forEach(c -> types.put(c.path("name").asText(), c.path("type").asText()));
            assertEquals("TIMESTAMP", types.get("ts"), "TimestampConverter made ts a timestamp: " + types);
            assertEquals("FLOAT64", types.get("amount"));
            JsonNode cities = ExamplesTestUtils.query(apiPort,
                    "SELECT city, COUNT(*) AS n FROM orders GROUP BY city ORDER BY n DESC LIMIT 1").json();
            assertEquals("London", cities.path("rows").path(0).path(0).asText(), cities.toString());

            upsertWithTombstoneAndTypedJson(connectUrl, bootstrap, apiPort, connectorLocal);

            ConsumerRecord<String, String> dead = firstRecord(bootstrap, orders.config()
                    .get("errors.deadletterqueue.topic.name"));
            assertEquals("this is not JSON", dead.value());
            assertNotNull(dead.headers().lastHeader("__connect.errors.exception.class.name"), "DLQ context headers");
        } finally {
            if (worker != null) {
                ExamplesTestUtils.stop(worker, Duration.ofSeconds(30));
            }
            ExamplesTestUtils.stop(kafka, Duration.ofSeconds(30));
        }
    }

    /**
     * The other two example connectors on the same worker, data directory and API, fed the sample
     * records of {@code examples/data/} as the README feeds them: upserts and a tombstone
     * ({@code key|value} lines, {@code NULL} = null value, as kafka-console-producer's null.marker),
     * and one JSON record with an embedded schema.
     */
    private static void upsertWithTombstoneAndTypedJson(String connectUrl, String bootstrap, int apiPort,
                                                       Map<String, String> local) throws Exception {
        for (String file : List.of("customers-upsert.json", "orders-with-schema.json")) {
            ConnectorConfigs.Definition d = ConnectorConfigs.load(file).with(local);
            ObjectNode body = JSON.createObjectNode();
            body.put("name", d.name());
            body.set("config", JSON.valueToTree(d.config()));
            ExamplesTestUtils.Response r = send("POST", connectUrl + "/connectors", "application/json",
                    JSON.writeValueAsString(body));
            assertEquals(201, r.status(), file + ": " + r.body());
        }
        Path data = repoRoot().resolve("examples/data");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (String line : Files.readAllLines(data.resolve("customers.txt"))) {
                int bar = line.indexOf('|');
                String value = line.substring(bar + 1);
                producer.send(new ProducerRecord<>("customers", line.substring(0, bar),
                        value.equals("NULL") ? null : value)).get();
            }
            for (String line : Files.readAllLines(data.resolve("orders-typed.json"))) {
                producer.send(new ProducerRecord<>("orders-typed", null, line)).get();
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                ExamplesTestUtils.query(apiPort, "SELECT _key, name, tier FROM customers").json().path("rows")
                        .toString().equals("[[\"c1\",\"Ann\",\"platinum\"]]"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> count(apiPort, "orders_typed") == 1);
        JsonNode typed = ExamplesTestUtils.query(apiPort, "SELECT order_id, ts, city, amount FROM orders_typed").json();
        assertEquals("[[\"o-1\",\"2026-01-01T00:00:00Z\",\"Oslo\",12.5]]", typed.path("rows").toString());
        assertEquals("TIMESTAMP", typed.path("columns").path(1).path("type").asText(), typed.toString());
    }

    private static Map<String, String> withName(ConnectorConfigs.Definition d) {
        Map<String, String> c = new LinkedHashMap<>(d.config());
        c.put("name", d.name());
        return c;
    }

    private static ConsumerRecord<String, String> firstRecord(String bootstrap, String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "compose-it-dlq",
                "auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    return r;
                }
            }
        }
        throw new AssertionError("nothing in the dead letter topic " + topic + " within 60 s");
    }

    private static Path store(Map<String, String> props, Path file) throws IOException {
        Properties p = new Properties();
        p.putAll(props);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }
}
