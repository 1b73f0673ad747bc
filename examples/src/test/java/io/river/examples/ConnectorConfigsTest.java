package io.river.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigsTest {
    @Test
    void theExampleConnectorsLoadFromTheClassPath() throws IOException {
        ConnectorConfigs.Definition orders = ConnectorConfigs.load("orders.json");
        assertEquals("river-orders", orders.name());
        assertEquals("orders", orders.config().get("topics"));
        assertEquals("orders-dlq", orders.config().get("errors.deadletterqueue.topic.name"));
        assertEquals("false", orders.config().get("value.converter.schemas.enable"));
        assertEquals("true", ConnectorConfigs.load("orders-with-schema.json").config().get("value.converter.schemas.enable"));
        ConnectorConfigs.Definition upsert = ConnectorConfigs.load("customers-upsert.json");
        assertEquals("upsert", upsert.config().get("river.table.mode"));
        assertEquals("delete", upsert.config().get("river.behavior.on.null.values"));
    }

    @Test
    void overridesReplaceOnlyTheGivenKeys() throws IOException {
        ConnectorConfigs.Definition orders = ConnectorConfigs.load("orders.json");
        ConnectorConfigs.Definition local = orders.with(Map.of("river.data.dir", "/tmp/x"));
        assertEquals("/tmp/x", local.config().get("river.data.dir"));
        assertEquals(orders.config().size(), local.config().size());
        assertEquals("/var/lib/kafka/data/river", orders.config().get("river.data.dir"), "the original is unchanged");
    }

    @Test
    void valuesBecomeStringsAndAMalformedFileIsRefused() throws IOException {
        ConnectorConfigs.Definition d = ConnectorConfigs.parse(
                "{\"name\":\"n\",\"config\":{\"tasks.max\":2,\"x\":true}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("tasks.max", "2", "x", "true"), d.config());
        IOException e = assertThrows(IOException.class,
                () -> ConnectorConfigs.parse("{\"config\":{}}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("\"name\""), e.getMessage());
        assertThrows(IOException.class, () -> ConnectorConfigs.load("nope.json"));
    }
}
