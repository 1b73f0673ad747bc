package io.river.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The example connector definitions in {@code examples/config/connectors/*.json} (Connect's REST
 * shape: {@code {"name": ..., "config": {...}}}), read from the class path where the build copies
 * them. docker-compose.yml posts the same files to its worker, so the demo, the compose stack and
 * the tests share one definition. Stateless and thread-safe.
 */
public final class ConnectorConfigs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A connector's name and its configuration, in file order. */
    public record Definition(String name, Map<String, String> config) {
        /** A copy with some settings replaced (e.g. the data directory of this machine). */
        public Definition with(Map<String, String> overrides) {
            Map<String, String> c = new LinkedHashMap<>(config);
            c.putAll(overrides);
            return new Definition(name, c);
        }
    }

    private ConnectorConfigs() {}

    /** Loads {@code config/connectors/<file>} from the class path. */
    public static Definition load(String file) throws IOException {
        String resource = "config/connectors/" + file;
        try (InputStream in = ConnectorConfigs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            return parse(in.readAllBytes());
        }
    }

    /** Parses Connect's {@code {"name", "config"}} document; every value becomes a string. */
    public static Definition parse(byte[] json) throws IOException {
        JsonNode doc = JSON.readTree(json);
        JsonNode config = doc.path("config");
        if (!doc.path("name").isTextual() || !config.isObject()) {
            throw new IOException("a connector file needs {\"name\": \"...\", \"config\": {...}}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            out.put(e.getKey(), e.getValue().asText());
        }
        return new Definition(doc.get("name").asText(), out);
    }
}
