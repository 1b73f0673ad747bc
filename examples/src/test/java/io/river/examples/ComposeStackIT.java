package io.river.examples;

import static io.river.examples.ExamplesTestUtils.JSON;
import static io.river.examples.ExamplesTestUtils.count;
import static io.river.examples.ExamplesTestUtils.get;
import static io.river.examples.ExamplesTestUtils.repoRoot;
import static io.river.examples.ExamplesTestUtils.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
 * Keeps {@code docker-compose.yml} and the {@code Dockerfile} honest without Docker. First, the
 * files themselves: the compose services, images, ports, volumes, commands, health checks and
 * environment must agree with the Dockerfile the {@code river} service builds and with the
 * configuration files in {@code examples/config/} that the workers mount. Then the same
 * configuration runs for real: a KRaft broker as a child process configured from the compose file's
 * {@code KAFKA_*} environment; {@code river serve} as the image runs it (the Dockerfile's
 * entrypoint arguments, on the tree the Dockerfile copies, {@code dist/target/river/}); and two
 * stock distributed Connect workers (child processes, {@code KAFKA_OPTS} and
 * {@code CONNECT_REST_ADVERTISED_HOST_NAME} from the compose file) on
 * {@code connect-distributed.properties} with River only on {@code plugin.path}. Every example
 * connector is validated by a worker and {@code orders.json} is created through Connect's REST API
 * as the one-shot container does. Only host names, ports and directories are replaced, and the test
 * names which. Orders go in, River answers SQL on them, a bad record lands in the dead letter topic,
 * and the connector's tasks run on both workers.
 */
class ComposeStackIT {
    private static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    private static final String ADVERTISED_HOST_ENV = "CONNECT_REST_ADVERTISED_HOST_NAME";
    private static final List<String> WORKERS = List.of("connect-1", "connect-2");
    private static JsonNode compose;
    private static Path config;
    private static Map<String, List<String>> dockerfile;

    @TempDir
    Path work;

    @BeforeAll
    static void readCompose() throws IOException {
        compose = new YAMLMapper()
                .readTree(repoRoot().resolve("docker-compose.yml").toFile());
        config = repoRoot().resolve("examples/config");
        dockerfile = dockerfile(repoRoot().resolve("Dockerfile"));
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
        return mounts(service).entrySet().stream()
                .filter(e -> e.getValue().equals(source))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + source + " in " + service));
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
            if (!name.startsWith("KAFKA_")
                    || Set.of("KAFKA_OPTS", "KAFKA_HEAP_OPTS").contains(name)) {
                continue;
            }
            String key = name.substring("KAFKA_".length())
                    .toLowerCase()
                    .replace("___", "\u0001")
                    .replace("__", "\u0002")
                    .replace('_', '.')
                    .replace('\u0001', '-')
                    .replace('\u0002', '_');
            out.put(key, e.getValue().asText());
        }
        return out;
    }

    /**
     * A Dockerfile's instructions (upper case) to their arguments, in order: comments dropped,
     * continuation lines joined. Enough for the one file this test reads.
     */
    static Map<String, List<String>> dockerfile(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            if (raw.strip().startsWith("#")) {
                continue;
            }
            if (raw.endsWith("\\")) {
                line.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            line.append(raw);
            String text = line.toString().strip();
            line.setLength(0);
            if (!text.isEmpty()) {
                String[] parts = text.split("\\s+", 2);
                out.computeIfAbsent(parts[0].toUpperCase(), k -> new ArrayList<>())
                        .add(parts.length > 1 ? parts[1] : "");
            }
        }
        return out;
    }

    private static String instruction(String name) {
        List<String> args = dockerfile.getOrDefault(name, List.of());
        assertEquals(1, args.size(), "one " + name + " in the Dockerfile: " + args);
        return args.get(0);
    }

    /** A JSON-array ("exec form") instruction's arguments. */
    private static List<String> execForm(String name) throws IOException {
        return strings(JSON.readTree(instruction(name)));
    }

    /** The value after {@code option} in an argument list. */
    private static String option(List<String> args, String option) {
        int at = args.indexOf(option);
        assertTrue(at >= 0 && at + 1 < args.size(), option + " in " + args);
        return args.get(at + 1);
    }

    /** The Dockerfile's {@code COPY <source> <target>}: the distribution tree and where it goes. */
    private static String[] copy() {
        String[] parts = instruction("COPY").split("\\s+");
        assertEquals(2, parts.length, "COPY source target: " + List.of(parts));
        return parts;
    }

    @Test
    void composeFileAgreesWithTheDockerfileAndTheConfigFilesItMounts() throws Exception {
        String kafkaImage = "apache/kafka:" + System.getProperty("kafka.version", "4.3.1");
        JsonNode kafka = service("kafka");
        JsonNode river = service("river");
        JsonNode plugin = service("plugin");
        JsonNode creator = service("create-connectors");
        JsonNode generator = service("generator");
        assertEquals(kafkaImage, kafka.path("image").asText(), "Kafka image matches the build's Kafka version");
        assertEquals(kafkaImage, generator.path("image").asText());

        // Broker: single-node KRaft, internal topics with one replica, a listener for the host.
        Map<String, String> broker = brokerPropertiesFromEnv(kafka.path("environment"));
        assertEquals("broker,controller", broker.get("process.roles"));
        for (String key : List.of(
                "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr",
                "share.coordinator.state.topic.replication.factor")) {
            assertEquals("1", broker.get(key), key);
        }
        assertEquals(
                16,
                Base64.getUrlDecoder()
                        .decode(kafka.path("environment").path("CLUSTER_ID").asText())
                        .length,
                "CLUSTER_ID is a base64 UUID");
        assertTrue(strings(kafka.path("ports")).contains("29092:29092"));
        assertTrue(broker.get("advertised.listeners").contains("HOST://localhost:29092"));
        assertTrue(broker.get("listeners").contains("HOST://:29092"));
        assertTrue(broker.get("controller.quorum.voters").endsWith("@kafka:9093"));
        assertEquals("kafka", kafka.path("hostname").asText());

        // The image: the distribution tree on a JRE 17, a non-root user, the data directory a volume,
        // the port exposed, river serve as the entrypoint.
        assertEquals("eclipse-temurin:17-jre", instruction("FROM"));
        String user = instruction("USER");
        assertFalse(Set.of("root", "0").contains(user), "runs as a non-root user: " + user);
        String[] copy = copy();
        assertEquals("dist/target/river/", copy[0], "the Dockerfile copies the unpacked distribution");
        assertTrue(Files.isExecutable(repoRoot().resolve(copy[0]).resolve("bin/river")), "dist/target/river is built");
        assertTrue(
                Files.readAllLines(repoRoot().resolve(".dockerignore")).contains("!" + copy[0]),
                ".dockerignore keeps the copied tree in the build context");
        List<String> entrypoint = execForm("ENTRYPOINT");
        String installed = copy[1].endsWith("/") ? copy[1] : copy[1] + "/";
        assertEquals(List.of(installed + "bin/river", "serve"), entrypoint.subList(0, 2));
        String dataDir = option(entrypoint, "--data-dir");
        String apiPort = option(entrypoint, "--port");
        assertEquals("0.0.0.0", option(entrypoint, "--host"));
        assertEquals(List.of(dataDir), execForm("VOLUME"));
        assertEquals(apiPort, instruction("EXPOSE"));

        // river: built from that Dockerfile, its data on a named volume, its port published, healthy
        // when ready.
        assertEquals(".", river.path("build").path("context").asText());
        assertEquals("Dockerfile", river.path("build").path("dockerfile").asText());
        assertEquals("river", river.path("hostname").asText());
        assertEquals(dataDir, mountOf(river, "river-data"));
        assertEquals(List.of(apiPort + ":" + apiPort), strings(river.path("ports")));
        assertTrue(
                String.join(" ", strings(river.path("healthcheck").path("test")))
                        .contains("http://localhost:" + apiPort + "/health/ready"),
                "health check on /health/ready");

        // Workers: one Connect cluster of two, the same mounted properties file, Arrow's --add-opens, the
        // plugin volume on plugin.path, each its own advertised host and host port; no River data or API.
        Properties worker = workerProperties();
        assertTrue(
                broker.get("advertised.listeners").contains("PLAINTEXT://" + worker.getProperty("bootstrap.servers")),
                "the worker's bootstrap.servers is the broker's advertised PLAINTEXT listener");
        assertEquals("${env:" + ADVERTISED_HOST_ENV + "}", worker.getProperty("rest.advertised.host.name"));
        assertEquals(
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                worker.getProperty("config.providers.env.class"));
        assertTrue(
                Pattern.compile(worker.getProperty("config.providers.env.param.allowlist.pattern"))
                        .matcher(ADVERTISED_HOST_ENV)
                        .matches(),
                "the env provider may read the advertised host name");
        String restPort = worker.getProperty("listeners").replaceAll(".*:(\\d+)$", "$1");
        assertEquals(restPort, worker.getProperty("rest.advertised.port"));
        Set<String> hostPorts = new TreeSet<>();
        for (String name : WORKERS) {
            JsonNode connect = service(name);
            assertEquals(kafkaImage, connect.path("image").asText(), name);
            assertEquals(name, connect.path("hostname").asText());
            assertEquals(
                    name, connect.path("environment").path(ADVERTISED_HOST_ENV).asText(), name);
            String configDir = mountOf(connect, "./examples/config");
            assertEquals(
                    List.of("/opt/kafka/bin/connect-distributed.sh", configDir + "/connect-distributed.properties"),
                    strings(connect.path("command")),
                    name);
            assertTrue(connect.path("environment").path("KAFKA_OPTS").asText().contains(ADD_OPENS), name);
            assertEquals(worker.getProperty("plugin.path"), mountOf(connect, "river-plugins"), name);
            assertFalse(mounts(connect).containsValue("river-data"), name + " holds no River data");
            List<String> ports = strings(connect.path("ports"));
            assertEquals(1, ports.size(), name + " publishes Connect's REST port only: " + ports);
            assertTrue(ports.get(0).endsWith(":" + restPort), name + ": " + ports);
            hostPorts.add(ports.get(0).split(":")[0]);
            assertTrue(fieldNames(connect.path("depends_on")).containsAll(Set.of("kafka", "plugin")), name);
            assertEquals(service(WORKERS.get(0)).path("volumes"), connect.path("volumes"), "workers mount alike");
        }
        assertEquals(Set.of("8083", "8084"), hostPorts, "Connect's REST APIs on the host");

        // The plugin archive is unpacked from the build output into the plugin volume.
        assertEquals("/plugins", mountOf(plugin, "river-plugins"));
        assertEquals("/dist", mountOf(plugin, "./connect-sink/target"));
        assertTrue(String.join(" ", strings(plugin.path("command")))
                .contains("unzip -o -q /dist/river-connect-sink-*.zip -d /plugins"));
        assertTrue(
                PluginArchive.newestZip(repoRoot().resolve("connect-sink/target"))
                        .isPresent(),
                "the plugin archive compose mounts is built");

        // Every example connector but the demo's (embedded, one worker) writes to the river service.
        ConnectorConfigs.Definition orders =
                ConnectorConfigs.parse(Files.readAllBytes(config.resolve("connectors/orders.json")));
        URI server = URI.create(orders.config().get("river.server.url"));
        assertEquals("river", server.getHost());
        assertEquals(apiPort, Integer.toString(server.getPort()));
        for (Path file : connectorFiles()) {
            ConnectorConfigs.Definition d = ConnectorConfigs.parse(Files.readAllBytes(file));
            assertEquals("io.river.connect.RiverSinkConnector", d.config().get("connector.class"), file.toString());
            if (file.getFileName().toString().equals(DemoMain.CONNECTOR_FILE)) {
                continue;
            }
            assertEquals(orders.config().get("river.server.url"), d.config().get("river.server.url"), file.toString());
            assertFalse(d.config().containsKey("river.data.dir"), file + " opens no engine in a worker");
        }

        // The one-shot container runs the mounted script against a worker's REST port.
        String creatorConfig = mountOf(creator, "./examples/config");
        assertEquals(List.of("sh", creatorConfig + "/create-connectors.sh"), strings(creator.path("command")));
        assertEquals(
                "http://" + WORKERS.get(0) + ":" + restPort,
                creator.path("environment").path("CONNECT_URL").asText());
        for (String file :
                creator.path("environment").path("CONNECTORS").asText().split("\\s+")) {
            assertTrue(Files.isRegularFile(config.resolve("connectors").resolve(file)), file);
        }
        Process syntax = new ProcessBuilder(
                        "sh", "-n", config.resolve("create-connectors.sh").toString())
                .redirectErrorStream(true)
                .start();
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
        Set<String> out = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void theComposeConfigurationRunsOnARealBrokerRiverAndTwoWorkers() throws Exception {
        Path logs = repoRoot().resolve("examples/target/compose-it");
        int[] ports = ExamplesTestUtils.freePorts(6); // distinct: none is bound before all are picked
        int kafkaPort = ports[0];
        int controllerPort = ports[1];
        int hostPort = ports[2];
        int apiPort = ports[3];
        int[] restPorts = {ports[4], ports[5]};

        // Broker: the compose file's settings, with local addresses and a temporary log directory.
        JsonNode kafkaEnv = service("kafka").path("environment");
        Map<String, String> broker = new TreeMap<>(brokerPropertiesFromEnv(kafkaEnv));
        Map<String, String> brokerLocal = Map.of(
                "listeners",
                        "PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                                + ",HOST://127.0.0.1:" + hostPort,
                "advertised.listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort + ",HOST://127.0.0.1:" + hostPort,
                "controller.quorum.voters", "1@127.0.0.1:" + controllerPort,
                "log.dirs", work.resolve("kafka").toString());
        assertTrue(broker.keySet().containsAll(brokerLocal.keySet()), "compose sets every key replaced here");
        broker.putAll(brokerLocal);
        Path serverProperties = store(broker, work.resolve("server.properties"));
        Process format = ExamplesTestUtils.startJava(
                List.of(),
                "kafka.tools.StorageTool",
                List.of(
                        "format",
                        "--cluster-id",
                        kafkaEnv.path("CLUSTER_ID").asText(),
                        "--config",
                        serverProperties.toString()),
                logs.resolve("format.log"));
        assertTrue(
                format.waitFor(60, TimeUnit.SECONDS) && format.exitValue() == 0,
                "kafka-storage format: " + Files.readString(logs.resolve("format.log")));

        // River: the image's entrypoint on the tree the Dockerfile copies, with a local data directory and port.
        Path riverHome = repoRoot().resolve(copy()[0]);
        List<String> entrypoint = execForm("ENTRYPOINT");
        List<String> serve = new ArrayList<>(entrypoint.subList(1, entrypoint.size()));
        Path riverData = work.resolve("river");
        serve.set(serve.indexOf("--data-dir") + 1, riverData.toString());
        serve.set(serve.indexOf("--port") + 1, Integer.toString(apiPort));
        Path riverLog = logs.resolve("river.log");
        Files.deleteIfExists(riverLog);

        Process kafka = ExamplesTestUtils.startJava(
                List.of("-Xmx512m"), "kafka.Kafka", List.of(serverProperties.toString()), logs.resolve("kafka.log"));
        Process river = null;
        List<Process> workers = new ArrayList<>();
        try {
            river = RiverDistribution.start(riverHome, serve, Map.of("JAVA_OPTS", "-Xmx512m"), riverLog);
            String bootstrap = "127.0.0.1:" + kafkaPort;
            Properties adminProps = new Properties();
            adminProps.put("bootstrap.servers", bootstrap);
            try (Admin admin = Admin.create(adminProps)) {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS) != null);
                admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }

            // Workers: connect-distributed.properties as compose mounts it, with local addresses; each
            // advertises its host through the environment variable compose sets per service.
            Path plugins = PluginArchive.unpack(
                    PluginArchive.newestZip(repoRoot().resolve("connect-sink/target"))
                            .orElseThrow(),
                    work.resolve("plugins"));
            Properties workerProps = workerProperties();
            List<String> jvm = new ArrayList<>(List.of(service(WORKERS.get(0))
                    .path("environment")
                    .path("KAFKA_OPTS")
                    .asText()
                    .split("\\s+")));
            jvm.add("-Xmx512m");
            List<String> connectUrls = new ArrayList<>();
            for (int i = 0; i < WORKERS.size(); i++) {
                Map<String, String> workerLocal = Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "listeners",
                        "http://127.0.0.1:" + restPorts[i],
                        "rest.advertised.port",
                        Integer.toString(restPorts[i]),
                        "plugin.path",
                        plugins.toString());
                assertTrue(workerProps.keySet().containsAll(workerLocal.keySet()), "the file sets every key replaced");
                Map<String, String> workerConfig = new TreeMap<>();
                workerProps.forEach((k, v) -> workerConfig.put((String) k, (String) v));
                workerConfig.putAll(workerLocal);
                Path file = store(workerConfig, work.resolve(WORKERS.get(i) + ".properties"));
                workers.add(ExamplesTestUtils.startJava(
                        jvm,
                        "org.apache.kafka.connect.cli.ConnectDistributed",
                        List.of(file.toString()),
                        Map.of(ADVERTISED_HOST_ENV, "127.0.0.1"),
                        logs.resolve(WORKERS.get(i) + ".log")));
                connectUrls.add("http://127.0.0.1:" + restPorts[i]);
            }
            RiverDistribution.Served served =
                    RiverDistribution.awaitServing(riverData, river, riverLog, Duration.ofSeconds(60));
            assertEquals(apiPort, served.port());
            for (int i = 0; i < workers.size(); i++) {
                Process w = workers.get(i);
                String url = connectUrls.get(i);
                Path log = logs.resolve(WORKERS.get(i) + ".log");
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            assertTrue(w.isAlive(), "worker died; see " + log);
                            return get(url + "/connectors").status() == 200;
                        });
            }
            String connectUrl = connectUrls.get(0);

            // Every example connector is valid for these workers (River's address made local).
            String riverUrl = "http://127.0.0.1:" + apiPort;
            for (Path file : connectorFiles()) {
                ConnectorConfigs.Definition d = local(ConnectorConfigs.parse(Files.readAllBytes(file)), riverUrl);
                ExamplesTestUtils.Response r = send(
                        "PUT",
                        connectUrl + "/connector-plugins/RiverSinkConnector/config/validate",
                        "application/json",
                        JSON.writeValueAsString(withName(d)));
                assertEquals(200, r.status(), file + ": " + r.body());
                assertEquals(0, r.json().path("error_count").asInt(), file + ": " + r.body());
            }

            // Create the orders connector as create-connectors.sh does (POST /connectors).
            ConnectorConfigs.Definition orders = local(ConnectorConfigs.load("orders.json"), riverUrl);
            assertEquals(Set.of("river.server.url"), changedKeys(ConnectorConfigs.load("orders.json"), orders));
            create(connectUrl, orders);

            int orderCount = 3000;
            SampleProducer producer = new SampleProducer(bootstrap, "orders", 20_000, orderCount);
            producer.run();
            producer.closeProducer();
            assertEquals(orderCount, producer.sent());
            try (KafkaProducer<String, String> bad = new KafkaProducer<>(
                    Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
                bad.send(new ProducerRecord<>("orders", "bad-1", "this is not JSON"))
                        .get();
            }

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> count(apiPort, "orders") == orderCount);
            JsonNode table = get(riverUrl + "/tables/orders").json();
            Map<String, String> types = new HashMap<>();
            table.path("columns")
                    .forEach(c ->
                            types.put(c.path("name").asText(), c.path("type").asText()));
            assertEquals("TIMESTAMP", types.get("ts"), "TimestampConverter made ts a timestamp: " + types);
            assertEquals("FLOAT64", types.get("amount"));
            JsonNode cities = ExamplesTestUtils.query(
                            apiPort, "SELECT city, COUNT(*) AS n FROM orders GROUP BY city ORDER BY n DESC LIMIT 1")
                    .json();
            assertEquals("London", cities.path("rows").path(0).path(0).asText(), cities.toString());

            // The connector's tasks (tasks.max >= 2) are spread over both workers, all RUNNING.
            Set<String> workerIds = new TreeSet<>();
            for (int port : restPorts) {
                workerIds.add("127.0.0.1:" + port);
            }
            int tasksMax = Integer.parseInt(orders.config().get("tasks.max"));
            assertTrue(tasksMax >= 2, "tasks.max " + tasksMax);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        JsonNode status = get(connectUrl + "/connectors/" + orders.name() + "/status")
                                .json();
                        assertEquals(
                                "RUNNING",
                                status.path("connector").path("state").asText(),
                                status.toString());
                        assertEquals(tasksMax, status.path("tasks").size(), status.toString());
                        Set<String> running = new TreeSet<>();
                        for (JsonNode task : status.path("tasks")) {
                            assertEquals("RUNNING", task.path("state").asText(), status.toString());
                            running.add(task.path("worker_id").asText());
                        }
                        assertEquals(workerIds, running, "tasks run on both workers: " + status);
                    });

            upsertWithTombstoneAndTypedJson(connectUrl, bootstrap, apiPort, riverUrl);

            ConsumerRecord<String, String> dead =
                    firstRecord(bootstrap, orders.config().get("errors.deadletterqueue.topic.name"));
            assertEquals("this is not JSON", dead.value());
            assertNotNull(dead.headers().lastHeader("__connect.errors.exception.class.name"), "DLQ context headers");
        } finally {
            ExamplesTestUtils.stop(workers, Duration.ofSeconds(30)); // together: they leave one group
            if (river != null) {
                ExamplesTestUtils.stop(river, Duration.ofSeconds(30));
            }
            ExamplesTestUtils.stop(kafka, Duration.ofSeconds(30));
        }
    }

    /**
     * A connector definition with this machine's addresses: {@code river.server.url} (server mode)
     * or {@code river.data.dir} and {@code river.http.port} (the demo's embedded connector) replaced.
     */
    private ConnectorConfigs.Definition local(ConnectorConfigs.Definition d, String riverUrl) throws IOException {
        Map<String, String> local = new HashMap<>();
        if (d.config().containsKey("river.server.url")) {
            local.put("river.server.url", riverUrl);
        }
        if (d.config().containsKey("river.data.dir")) {
            local.put("river.data.dir", work.resolve("embedded").toString());
            local.put("river.http.port", Integer.toString(ExamplesTestUtils.freePort()));
        }
        return d.with(local);
    }

    private static Set<String> changedKeys(ConnectorConfigs.Definition a, ConnectorConfigs.Definition b) {
        Set<String> changed = new TreeSet<>();
        b.config().forEach((k, v) -> {
            if (!v.equals(a.config().get(k))) {
                changed.add(k);
            }
        });
        return changed;
    }

    private static void create(String connectUrl, ConnectorConfigs.Definition d) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", d.name());
        body.set("config", JSON.valueToTree(d.config()));
        ExamplesTestUtils.Response r =
                send("POST", connectUrl + "/connectors", "application/json", JSON.writeValueAsString(body));
        assertEquals(201, r.status(), d.name() + ": " + r.body());
    }

    /**
     * The other two example connectors on the same Connect cluster and River server, fed the sample
     * records of {@code examples/data/} as the README feeds them: upserts and a tombstone
     * ({@code key|value} lines, {@code NULL} = null value, as kafka-console-producer's null.marker),
     * and one JSON record with an embedded schema.
     */
    private void upsertWithTombstoneAndTypedJson(String connectUrl, String bootstrap, int apiPort, String riverUrl)
            throws Exception {
        for (String file : List.of("customers-upsert.json", "orders-with-schema.json")) {
            create(connectUrl, local(ConnectorConfigs.load(file), riverUrl));
        }
        Path data = repoRoot().resolve("examples/data");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
            for (String line : Files.readAllLines(data.resolve("customers.txt"))) {
                int bar = line.indexOf('|');
                String value = line.substring(bar + 1);
                producer.send(new ProducerRecord<>(
                                "customers", line.substring(0, bar), value.equals("NULL") ? null : value))
                        .get();
            }
            for (String line : Files.readAllLines(data.resolve("orders-typed.json"))) {
                producer.send(new ProducerRecord<>("orders-typed", null, line)).get();
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> ExamplesTestUtils.query(apiPort, "SELECT _key, name, tier FROM customers")
                        .json()
                        .path("rows")
                        .toString()
                        .equals("[[\"c1\",\"Ann\",\"platinum\"]]"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> count(apiPort, "orders_typed") == 1);
        JsonNode typed = ExamplesTestUtils.query(apiPort, "SELECT order_id, ts, city, amount FROM orders_typed")
                .json();
        assertEquals(
                "[[\"o-1\",\"2026-01-01T00:00:00Z\",\"Oslo\",12.5]]",
                typed.path("rows").toString());
        assertEquals("TIMESTAMP", typed.path("columns").path(1).path("type").asText(), typed.toString());
    }

    private static Map<String, String> withName(ConnectorConfigs.Definition d) {
        Map<String, String> c = new LinkedHashMap<>(d.config());
        c.put("name", d.name());
        return c;
    }

    private static ConsumerRecord<String, String> firstRecord(String bootstrap, String topic) {
        Map<String, Object> props =
                Map.of("bootstrap.servers", bootstrap, "group.id", "compose-it-dlq", "auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
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
