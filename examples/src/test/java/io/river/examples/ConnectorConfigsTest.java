package io.river.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConnectorConfigsTest {
    @Test
    void theExampleConnectorsLoadFromTheClassPath() throws IOException {
        ConnectorConfigs.Definition orders = ConnectorConfigs.load("orders.json");
        assertEquals("river-orders", orders.name());
        assertEquals("orders", orders.config().get("topics"));
        assertEquals("orders-dlq", orders.config().get("errors.deadletterqueue.topic.name"));
        assertEquals("false", orders.config().get("value.converter.schemas.enable"));
        assertEquals(
                "true",
                ConnectorConfigs.load("orders-with-schema.json").config().get("value.converter.schemas.enable"));
        ConnectorConfigs.Definition upsert = ConnectorConfigs.load("customers-upsert.json");
        assertEquals("upsert", upsert.config().get("river.table.mode"));
        assertEquals("delete", upsert.config().get("river.behavior.on.null.values"));
    }

    @Test
    void overridesReplaceOnlyTheGivenKeys() throws IOException {
        ConnectorConfigs.Definition orders = ConnectorConfigs.load("orders.json");
        ConnectorConfigs.Definition local = orders.with(Map.of("river.server.url", "http://127.0.0.1:1"));
        assertEquals("http://127.0.0.1:1", local.config().get("river.server.url"));
        assertEquals(orders.config().size(), local.config().size());
        assertEquals("http://river:8080", orders.config().get("river.server.url"), "the original is unchanged");
    }

    /**
     * The examples run in server mode (docker-compose.yml); only the demo's connector is embedded
     * (one worker, River's API from the worker), and it is the same connector otherwise.
     */
    @Test
    void theDemoConnectorIsTheComposeConnectorInEmbeddedMode() throws IOException {
        Set<String> modeKeys =
                Set.of("river.server.url", "river.data.dir", "river.http.port", "river.flush.interval.ms");
        ConnectorConfigs.Definition server = ConnectorConfigs.load("orders.json");
        ConnectorConfigs.Definition embedded = ConnectorConfigs.load(DemoMain.CONNECTOR_FILE);
        assertEquals("orders-embedded.json", DemoMain.CONNECTOR_FILE);
        assertEquals(server.name(), embedded.name());
        assertTrue(server.config().containsKey("river.server.url"));
        assertFalse(server.config().containsKey("river.data.dir"));
        assertFalse(embedded.config().containsKey("river.server.url"));
        assertTrue(embedded.config().containsKey("river.data.dir"));
        Map<String, String> common = new TreeMap<>(server.config());
        common.keySet().removeAll(modeKeys);
        Map<String, String> embeddedCommon = new TreeMap<>(embedded.config());
        embeddedCommon.keySet().removeAll(modeKeys);
        assertEquals(common, embeddedCommon);
        for (String file : List.of("customers-upsert.json", "orders-with-schema.json")) {
            assertEquals(
                    server.config().get("river.server.url"),
                    ConnectorConfigs.load(file).config().get("river.server.url"),
                    file + " is a server-mode connector of the same River");
            assertFalse(ConnectorConfigs.load(file).config().containsKey("river.data.dir"), file);
        }
    }

    @Test
    void valuesBecomeStringsAndAMalformedFileIsRefused() throws IOException {
        ConnectorConfigs.Definition d = ConnectorConfigs.parse(
                "{\"name\":\"n\",\"config\":{\"tasks.max\":2,\"x\":true}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("tasks.max", "2", "x", "true"), d.config());
        IOException e = assertThrows(
                IOException.class, () -> ConnectorConfigs.parse("{\"config\":{}}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("\"name\""), e.getMessage());
        assertThrows(IOException.class, () -> ConnectorConfigs.load("nope.json"));
    }
}
