package io.river.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders the connector's configuration table ({@code doc/config.md} of the plugin archive) from
 * {@link RiverSinkConnectorConfig#CONFIG_DEF}, so the shipped docs always match the shipped code.
 * Run by the build ({@code exec:java} in prepare-package) with the output directory as argument.
 * Stateless.
 */
public final class PluginDocs {
    private PluginDocs() {}

    /** The configuration table as Markdown. */
    static String configTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("# River sink connector configuration\n\n")
                .append("Every `river.*` key below may be set in the connector's configuration; Kafka's own sink keys ")
                .append("(`topics`, `tasks.max`, converters, `errors.*`) work as usual.\n\n")
                .append("| key | type | default | valid values | importance | description |\n")
                .append("|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key :
                RiverSinkConnectorConfig.CONFIG_DEF.configKeys().values()) {
            Object def = key.defaultValue;
            String shownDefault = def == ConfigDef.NO_DEFAULT_VALUE
                    ? "(required)"
                    : key.type == ConfigDef.Type.PASSWORD ? "\"\"" : "`" + def + "`";
            sb.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase())
                    .append(" | ")
                    .append(shownDefault)
                    .append(" | ")
                    .append(cell(String.valueOf(key.validator == null ? "" : key.validator)))
                    .append(" | ")
                    .append(key.importance.name().toLowerCase())
                    .append(" | ")
                    .append(cell(key.documentation))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.md"), configTable(), StandardCharsets.UTF_8);
    }
}
