package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.ConfigKey;
import io.river.config.ConfigType;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class RiverSinkConnectorConfigTest {
    private static Map<String, String> base() {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", RiverSinkConnector.class.getName());
        props.put("topics", "orders");
        props.put("river.data.dir", "/tmp/river-test");
        return props;
    }

    @Test
    void everyRiverKeyIsDeclaredFromItsDeclaration() {
        ConfigDef def = RiverSinkConnectorConfig.CONFIG_DEF;
        assertEquals(RiverConfigKeys.ALL.size(), def.configKeys().size());
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            ConfigDef.ConfigKey kafka = def.configKeys().get(key.name());
            assertEquals(key.name(), kafka.name);
            assertTrue(kafka.documentation.startsWith(key.doc()), key.name());
            assertEquals(key.importance().name(), kafka.importance.name(), key.name());
            assertTrue(kafka.group.toLowerCase().endsWith(key.group()), key.name());
            assertEquals(key.validator().describe(), String.valueOf(kafka.validator), key.name());
            if (key.isRequired()) {
                Object expected = key.requiredUnlessSet() == null ? ConfigDef.NO_DEFAULT_VALUE : null;
                assertEquals(expected, kafka.defaultValue, key.name());
            } else if (key.type() == ConfigType.LONG) {
                assertEquals(key.defaultValue().toString(), kafka.defaultValue, key.name());
            } else if (key.type() != ConfigType.PASSWORD) {
                assertEquals(key.defaultValue(), kafka.defaultValue, key.name());
            }
        }
        assertEquals(ConfigDef.Type.INT, def.configKeys().get("river.http.port").type);
        assertEquals(ConfigDef.Type.PASSWORD, def.configKeys().get("river.http.auth.token").type);
        assertEquals(ConfigDef.Type.DOUBLE, def.configKeys().get("river.bloom.fpp").type);
    }

    @Test
    void riverConfigKeepsRiverKeysOnlyAndParsesSizes() {
        Map<String, String> props = base();
        props.put("river.memtable.max.bytes", "8m");
        props.put("errors.tolerance", "all");
        RiverConfig config = RiverSinkConnectorConfig.riverConfig(props);
        assertEquals(8L << 20, config.get(RiverConfigKeys.MEMTABLE_MAX_BYTES));
        assertEquals("/tmp/river-test", config.get(RiverConfigKeys.DATA_DIR));
    }

    @Test
    void invalidValuesNameTheKey() {
        Map<String, String> props = base();
        props.put("river.wal.sync", "sometimes");
        ConfigException e = assertThrows(ConfigException.class, () -> RiverSinkConnectorConfig.riverConfig(props));
        assertTrue(e.getMessage().contains("river.wal.sync"), e.getMessage());
        assertTrue(e.getMessage().contains("one of [batch, always, interval]"), e.getMessage());

        Map<String, String> secret = base();
        secret.put("river.http.auth.token", "s3cret");
        secret.put("river.http.port", "99999");
        ConfigException port = assertThrows(ConfigException.class, () -> RiverSinkConnectorConfig.riverConfig(secret));
        assertTrue(port.getMessage().contains("river.http.port"), port.getMessage());
    }

    @Test
    void validateReportsEachErrorOnItsKey() {
        Map<String, String> props = base();
        props.remove("river.data.dir");
        props.put("river.table.mode", "merge");
        props.put("river.memtable.max.bytes", "lots");
        props.put("river.no.such.key", "1");
        Map<String, List<String>> errors = errors(new RiverSinkConnector().validate(props));

        assertTrue(errors.get("river.data.dir").get(0).contains("Missing required configuration"), errors.toString());
        assertTrue(errors.get("river.table.mode").get(0).contains("merge"), errors.toString());
        assertTrue(
                errors.get("river.memtable.max.bytes").get(0).contains("river.memtable.max.bytes"), errors.toString());
        assertTrue(
                errors.get("river.no.such.key").get(0).contains("Unknown River configuration key"), errors.toString());
        assertEquals(4, errors.size(), errors.toString());
    }

    @Test
    void validateChecksRulesAcrossKeys() {
        Map<String, String> props = base();
        props.put("river.l0.slowdown.files", "10");
        props.put("river.l0.stop.files", "5");
        Map<String, List<String>> errors = errors(new RiverSinkConnector().validate(props));
        assertEquals(List.of("river.l0.stop.files"), List.copyOf(errors.keySet()));

        Map<String, String> format = base();
        format.put("river.table.name.format", "kafka-${topic}");
        Map<String, List<String>> formatErrors = errors(new RiverSinkConnector().validate(format));
        assertTrue(
                formatErrors.get("river.table.name.format").get(0).contains("valid table name"),
                formatErrors.toString());

        assertTrue(errors(new RiverSinkConnector().validate(base())).isEmpty());
    }

    @Test
    void connectorHandsItsConfigToEveryTaskAndHasAVersion() {
        RiverSinkConnector connector = new RiverSinkConnector();
        connector.start(base());
        List<Map<String, String>> tasks = connector.taskConfigs(3);
        assertEquals(3, tasks.size());
        tasks.forEach(t -> assertEquals(base(), t));
        assertEquals(RiverSinkTask.class, connector.taskClass());
        assertTrue(connector.version().matches("\\d+\\.\\d+\\.\\d+.*"), connector.version());
        assertNotEquals("unknown", new RiverSinkTask().version());

        Map<String, String> bad = base();
        bad.put("river.compaction.style", "random");
        assertThrows(ConfigException.class, () -> new RiverSinkConnector().start(bad));
    }

    @Test
    void tableRouterUsesMapThenFormat() {
        Map<String, String> props = base();
        props.put("river.table.name.format", "kafka_${topic}");
        props.put("river.topic.table.map", "orders.v1:orders, clicks:web_clicks");
        TableRouter router = new TableRouter(RiverSinkConnectorConfig.riverConfig(props));
        assertEquals("orders", router.table("orders.v1"));
        assertEquals("web_clicks", router.table("clicks"));
        assertEquals("kafka_pay_ments_eu", router.table("pay-ments.eu"));
        assertTrue(router.isTopicExclusive("pay-ments.eu"));
        assertTrue(!router.isTopicExclusive("clicks"));
    }

    private static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }
}
