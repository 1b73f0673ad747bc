package io.river.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Gathers raw configuration from the places a user puts it, lowest precedence first: a
 * properties or YAML file, the environment ({@code RIVER_WAL_SYNC=always} is
 * {@code river.wal.sync}), then explicit overrides (command-line {@code --key=value}). The result
 * is validated by {@link RiverConfig#from(Map)}. Stateless.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Reads a {@code .properties}, {@code .yaml}/{@code .yml} or {@code .json} file into flat keys. */
    public static Map<String, String> readFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
                ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
                JsonNode root = mapper.readTree(file.toFile());
                Map<String, String> out = new LinkedHashMap<>();
                if (root != null) {
                    flatten("", root, out);
                }
                return out;
            }
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String key : props.stringPropertyNames()) {
                out.put(key, props.getProperty(key).trim());
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException(null, "Cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    /** The {@code RIVER_*} variables of an environment, mapped to keys that exist. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            String var = key.name().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            String value = env.get(var);
            if (value != null) {
                out.put(key.name(), value);
            }
        }
        return out;
    }

    /** File (optional), then environment, then overrides; validated. */
    public static RiverConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (file != null) {
            raw.putAll(readFile(file));
        }
        raw.putAll(fromEnvironment(env));
        raw.putAll(overrides);
        return RiverConfig.from(raw);
    }
}
