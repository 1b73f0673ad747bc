package io.river.connect.it;

import static io.river.connect.it.RiverItSupport.awaitRows;
import static io.river.connect.it.RiverItSupport.connectorConfig;
import static io.river.connect.it.RiverItSupport.produce;
import static io.river.connect.it.RiverItSupport.produceBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.river.engine.model.SystemColumns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each way a value reaches River: JSON with and without schemas, raw strings, raw bytes. */
@ExtendWith(SharedConnectCluster.class)
class ConverterPathsIT {
    @TempDir
    Path dataDir;

    private final EmbeddedConnectCluster connect = SharedConnectCluster.cluster();
    private final List<String> connectors = new ArrayList<>();

    @AfterEach
    void deleteConnectors() {
        RiverItSupport.deleteConnectors(connect, connectors, dataDir);
    }

    private void run(String name, Map<String, String> config) throws InterruptedException {
        connect.configureConnector(name, config);
        connectors.add(name);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not start");
    }

    private static List<Map<String, Object>> byOffset(List<Map<String, Object>> rows) {
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(r -> (Long) r.get(SystemColumns.OFFSET)));
        return sorted;
    }

    @Test
    void jsonWithSchemasGivesTypedColumns() throws Exception {
        RiverItSupport.createTopic(connect, "json-schema", 1);
        String schema = "{\"type\":\"struct\",\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int32\"},"
                + "{\"field\":\"amount\",\"type\":\"double\"},"
                + "{\"field\":\"at\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"},"
                + "{\"field\":\"note\",\"type\":\"string\",\"optional\":true}]}";
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String payload = "{\"id\":" + i + ",\"amount\":" + (i * 1.5) + ",\"at\":" + (1_700_000_000_000L + i)
                    + ",\"note\":" + (i % 2 == 0 ? "\"even\"" : "null") + "}";
            records.add(new String[] {"k" + i, "{\"schema\":" + schema + ",\"payload\":" + payload + "}"});
        }
        produce(connect, "json-schema", null, records);
        Map<String, String> config = connectorConfig("json-schema", dataDir);
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        run("json-schema", config);

        List<Map<String, Object>> rows = byOffset(awaitRows(dataDir, "json_schema", 50));
        Map<String, Object> r7 = rows.get(7);
        assertEquals(7, r7.get("id"));
        assertEquals(10.5, r7.get("amount"));
        assertEquals(1_700_000_000_007L, r7.get("at"));
        assertNull(r7.get("note"));
        assertEquals("even", rows.get(8).get("note"));
        assertEquals("k7", r7.get(SystemColumns.KEY));
        assertEquals("json-schema", r7.get(SystemColumns.TOPIC));
    }

    @Test
    void schemalessJsonInfersColumns() throws Exception {
        RiverItSupport.createTopic(connect, "json-plain", 1);
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(new String[] {null, "{\"user\":\"u" + i + "\",\"clicks\":" + i + ",\"tags\":[\"a\",\"b\"]}"});
        }
        produce(connect, "json-plain", null, records);
        Map<String, String> config = connectorConfig("json-plain", dataDir);
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        run("json-plain", config);

        List<Map<String, Object>> rows = byOffset(awaitRows(dataDir, "json_plain", 30));
        assertEquals("u29", rows.get(29).get("user"));
        assertEquals(29L, rows.get(29).get("clicks"));
        assertEquals("[\"a\",\"b\"]", rows.get(29).get("tags"));
        assertNull(rows.get(0).get(SystemColumns.KEY));
    }

    @Test
    void stringConverterValuesAreParsedByRiver() throws Exception {
        RiverItSupport.createTopic(connect, "raw-strings", 1);
        produce(
                connect,
                "raw-strings",
                null,
                List.of(
                        new String[] {"a", "{\"temp\": 21.5, \"room\": \"lab\"}"},
                        new String[] {"b", "not json at all"},
                        new String[] {"c", "{\"temp\": 19, \"room\": \"hall\"}"}));
        run("raw-strings", connectorConfig("raw-strings", dataDir));

        List<Map<String, Object>> rows = byOffset(awaitRows(dataDir, "raw_strings", 3));
        assertEquals(21.5, rows.get(0).get("temp"));
        assertEquals("not json at all", rows.get(1).get(SystemColumns.VALUE));
        assertEquals(19.0, rows.get(2).get("temp"), "an integer into a FLOAT64 column widens");
        assertEquals("hall", rows.get(2).get("room"));
    }

    @Test
    void byteArrayConverterValuesAreParsedOrKeptAsBytes() throws Exception {
        RiverItSupport.createTopic(connect, "raw-bytes", 1);
        byte[] binary = {(byte) 0xCA, (byte) 0xFE, 0, 1};
        produceBytes(
                connect, "raw-bytes", List.of("{\"id\": 1, \"ok\": true}".getBytes(StandardCharsets.UTF_8), binary));
        Map<String, String> config = connectorConfig("raw-bytes", dataDir);
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        run("raw-bytes", config);

        List<Map<String, Object>> rows = byOffset(awaitRows(dataDir, "raw_bytes", 2));
        assertEquals(1L, rows.get(0).get("id"));
        assertEquals(true, rows.get(0).get("ok"));
        assertArrayEquals(binary, (byte[]) rows.get(1).get(SystemColumns.VALUE));
    }
}
