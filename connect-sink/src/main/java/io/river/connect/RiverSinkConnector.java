package io.river.connect;

import io.river.config.ConfigKey;
import io.river.config.RiverConfigKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The River sink connector: validates the {@code river.*} configuration and hands it unchanged to
 * every task; the tasks share one engine per data directory in each worker
 * ({@link EngineRegistry}), so partitions spread over tasks the usual Connect way. Kafka calls a
 * connector from one thread at a time; it holds only its properties.
 */
public final class RiverSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        RiverSinkConnectorConfig.riverConfig(props); // fail fast, naming the key
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return RiverSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return RiverSinkConnectorConfig.CONFIG_DEF;
    }

    /**
     * Kafka's per-key validation, plus what only River can tell: unknown {@code river.*} keys and
     * rules across keys (such as {@code river.l0.stop.files} against {@code river.l0.slowdown.files}),
     * each error attached to the key it is about.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        for (ConfigValue value : config.configValues()) {
            byName.put(value.name(), value);
        }
        boolean clean = true;
        for (String name : connectorConfigs.keySet()) {
            if (name.startsWith("river.") && RiverConfigKeys.byName(name) == null) {
                valueOf(byName, config, name).addErrorMessage("Unknown River configuration key '" + name + "'");
                clean = false;
            }
        }
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            // Kafka reports a plain required key itself; one required unless another is set is River's rule.
            String unless = key.requiredUnlessSet();
            if (unless != null && isBlank(connectorConfigs.get(key.name())) && isBlank(connectorConfigs.get(unless))) {
                valueOf(byName, config, key.name())
                        .addErrorMessage("Missing required configuration \"" + key.name()
                                + "\" which has no default value (needed unless " + unless + " is set)");
            }
            ConfigValue value = byName.get(key.name());
            if (value != null && !value.errorMessages().isEmpty()) {
                clean = false;
            }
        }
        if (clean) {
            try {
                RiverSinkConnectorConfig.parse(connectorConfigs);
            } catch (io.river.config.ConfigException e) {
                String name = e.key() == null ? RiverConfigKeys.DATA_DIR.name() : e.key();
                valueOf(byName, config, name).addErrorMessage(e.getMessage());
            }
        }
        return config;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static ConfigValue valueOf(Map<String, ConfigValue> byName, Config config, String name) {
        return byName.computeIfAbsent(name, n -> {
            ConfigValue value = new ConfigValue(n);
            config.configValues().add(value);
            return value;
        });
    }
}
