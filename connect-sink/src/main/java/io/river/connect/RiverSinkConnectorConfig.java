package io.river.connect;

import io.river.config.ConfigKey;
import io.river.config.ConfigType;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.model.Names;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's Kafka {@link ConfigDef}, derived key by key from {@link RiverConfigKeys#ALL}:
 * name, type, default, doc, validator, importance and group all come from the one declaration,
 * none is repeated here. Also turns a connector's properties into the engine's
 * {@link RiverConfig} (only {@code river.*} keys; Kafka's own keys such as {@code topics} or
 * {@code errors.tolerance} are left to the worker). Stateless and thread-safe.
 *
 * <p>Type mapping: STRING, PASSWORD, INT, DOUBLE and BOOLEAN map to the Kafka type of the same
 * name. LONG keys are sizes and durations that River writes with suffixes ({@code 64m}); Kafka's
 * LONG parser would refuse those, so they are declared as STRING and parsed by River's own parser
 * inside their validator. Either way the value reaching the engine went through River's parser.
 */
public final class RiverSinkConnectorConfig {
    /** The connector's configuration definition. */
    public static final ConfigDef CONFIG_DEF = build();

    private RiverSinkConnectorConfig() {}

    private static ConfigDef build() {
        ConfigDef def = new ConfigDef();
        Map<String, Integer> orderInGroup = new LinkedHashMap<>();
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            int order = orderInGroup.merge(key.group(), 1, Integer::sum);
            def.define(
                    key.name(),
                    kafkaType(key.type()),
                    kafkaDefault(key),
                    new RiverValidator(key),
                    kafkaImportance(key.importance()),
                    docOf(key),
                    groupTitle(key.group()),
                    order,
                    ConfigDef.Width.MEDIUM,
                    key.name());
        }
        return def;
    }

    static ConfigDef.Type kafkaType(ConfigType type) {
        switch (type) {
            case STRING:
            case LONG:
                return ConfigDef.Type.STRING;
            case PASSWORD:
                return ConfigDef.Type.PASSWORD;
            case INT:
                return ConfigDef.Type.INT;
            case DOUBLE:
                return ConfigDef.Type.DOUBLE;
            case BOOLEAN:
                return ConfigDef.Type.BOOLEAN;
            default:
                throw new IllegalArgumentException("no Kafka type for " + type);
        }
    }

    private static Object kafkaDefault(ConfigKey<?> key) {
        if (key.isRequired()) {
            // A key required only unless another is set is checked by River's own parse (validate()).
            return key.requiredUnlessSet() == null ? ConfigDef.NO_DEFAULT_VALUE : null;
        }
        Object value = key.defaultValue();
        return key.type() == ConfigType.LONG && value != null ? value.toString() : value;
    }

    private static ConfigDef.Importance kafkaImportance(ConfigKey.Importance importance) {
        return importance == null ? ConfigDef.Importance.LOW : ConfigDef.Importance.valueOf(importance.name());
    }

    private static String docOf(ConfigKey<?> key) {
        return key.type() == ConfigType.LONG && key.name().endsWith(".bytes")
                ? key.doc() + " Accepts size suffixes k, m, g."
                : key.doc();
    }

    private static String groupTitle(String group) {
        if (group == null || group.isEmpty()) {
            return "River";
        }
        return "River " + group.substring(0, 1).toUpperCase(Locale.ROOT) + group.substring(1);
    }

    /**
     * The engine configuration of a connector or task: every {@code river.*} property, parsed and
     * validated by River; other properties are ignored. Throws Kafka's {@link ConfigException}
     * naming the key when a value is invalid or a {@code river.*} key is unknown.
     */
    public static RiverConfig riverConfig(Map<String, String> props) {
        try {
            return parse(props);
        } catch (io.river.config.ConfigException e) {
            ConfigKey<?> key = e.key() == null ? null : RiverConfigKeys.byName(e.key());
            String raw = e.key() == null ? null : props.get(e.key());
            Object shown = key != null && key.type() == ConfigType.PASSWORD && raw != null ? new Password(raw) : raw;
            throw new ConfigException(e.key(), shown, reason(e));
        }
    }

    /** As {@link #riverConfig} with River's exception, whose {@code key()} names the offending key. */
    static RiverConfig parse(Map<String, String> props) {
        Map<String, String> river = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getKey().startsWith("river.")) {
                river.put(e.getKey(), e.getValue());
            }
        }
        RiverConfig config = RiverConfig.from(river, true);
        checkTableNameFormat(config.get(RiverConfigKeys.TABLE_NAME_FORMAT));
        return config;
    }

    /** River's message without its "Invalid configuration 'key': " prefix, which Kafka adds again. */
    static String reason(io.river.config.ConfigException e) {
        String prefix = "Invalid configuration '" + e.key() + "': ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** A format must give a valid table name for any topic: everything around ${topic} must be valid. */
    static void checkTableNameFormat(String format) {
        String sample = format.replace(TableRouter.TOPIC_PLACEHOLDER, "t");
        if (!Names.isValid(sample)) {
            throw new io.river.config.ConfigException(
                    RiverConfigKeys.TABLE_NAME_FORMAT.name(),
                    "'" + format
                            + "' does not give a valid table name ([A-Za-z_][A-Za-z0-9_]{0,127}) once ${topic} is "
                            + "replaced");
        }
    }

    /** A River validator seen through Kafka's {@link ConfigDef.Validator}; its toString() is for docs. */
    private static final class RiverValidator implements ConfigDef.Validator {
        private final ConfigKey<?> key;

        RiverValidator(ConfigKey<?> key) {
            this.key = key;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // a missing required key is reported by ConfigDef itself
            }
            Object plain = value instanceof Password ? ((Password) value).value() : value;
            try {
                if (key.type() == ConfigType.LONG) {
                    key.parse(plain.toString());
                } else {
                    key.validator().ensureValid(name, plain);
                }
            } catch (io.river.config.ConfigException e) {
                throw new ConfigException(name, value, reason(e));
            }
        }

        @Override
        public String toString() {
            return key.validator().describe();
        }
    }
}
