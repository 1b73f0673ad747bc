package io.river.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders the sample configuration file of the distribution archive ({@code config/river.properties})
 * from the key declarations, so that the file lists every key of {@link RiverConfigKeys#ALL} exactly
 * once, with its doc, type, allowed values and default, and cannot fall behind the code. Every
 * setting line is commented out ({@code #key=default}): the file as shipped sets nothing, and a line
 * uncommented unchanged sets the key to its default. Keys are grouped by the part of River that
 * reads them, in declaration order; the connector's keys come last, marked as the Kafka Connect
 * sink's. Run by the {@code dist} module's build ({@code exec:java}, prepare-package) with the
 * output file as argument. Stateless.
 */
public final class ConfigSample {
    /** Comment lines wrap at this width (the {@code "# "} prefix included). */
    static final int WIDTH = 100;

    private static final List<String[]> GROUPS = List.of(
            new String[] {RiverConfigKeys.GROUP_ENGINE, "Engine: data directory, write-ahead log, memtables, flushes"},
            new String[] {RiverConfigKeys.GROUP_LSM, "LSM tree: segments, compaction, block cache, bloom filters"},
            new String[] {RiverConfigKeys.GROUP_HTTP, "HTTP: the REST API, TLS, request limits, bulk ingest"},
            new String[] {
                RiverConfigKeys.GROUP_CONNECTOR,
                "Kafka Connect sink: these belong in the connector's "
                        + "configuration (its JSON on Connect's REST API); river serve accepts and ignores them"
            });

    private ConfigSample() {}

    /** The whole file: a header, then one commented entry per key, grouped. */
    public static String properties() {
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            if (GROUPS.stream().noneMatch(g -> g[0].equals(key.group()))) {
                throw new IllegalStateException(
                        "key " + key.name() + " has a group the sample does not know: " + key.group());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# River configuration: river serve --config config/river.properties\n")
                .append("#\n");
        comment(
                sb,
                "Every key River knows, with its default. Every setting is commented out: uncomment and change "
                        + "what you need. Flags on the command line (--data-dir, --port, --host, "
                        + "--river.<key>=<value>) and "
                        + "RIVER_<KEY> environment variables (RIVER_WAL_SYNC=always) override this file. An unknown "
                        + "key or "
                        + "a bad value stops start-up with one line naming the key. river --help-config prints the "
                        + "same list.");
        comment(
                sb,
                "Generated from the key declarations (io.river.config.RiverConfigKeys) by "
                        + "io.river.config.ConfigSample; do not edit the copy in a build.");
        for (String[] group : GROUPS) {
            sb.append("\n# ==== ")
                    .append(group[0])
                    .append(" ")
                    .append("=".repeat(Math.max(4, 88 - group[0].length())))
                    .append('\n');
            comment(sb, group[1] + ".");
            for (ConfigKey<?> key : RiverConfigKeys.ALL) {
                if (key.group().equals(group[0])) {
                    entry(sb, key);
                }
            }
        }
        return sb.toString();
    }

    private static void entry(StringBuilder sb, ConfigKey<?> key) {
        sb.append('\n');
        comment(sb, key.doc());
        String allowed = key.validator().describe();
        String facts = "Type: " + key.type().name().toLowerCase() + "."
                + (allowed.isEmpty() ? "" : " Allowed: " + allowed + ".")
                + (key.isRequired() ? " Default: none, " + key.defaultText().replaceAll("[()]", "") + "." : "");
        comment(sb, facts);
        String value = key.isRequired() || key.defaultValue() == null ? "" : String.valueOf(key.defaultValue());
        sb.append('#').append(key.name()).append('=').append(escape(value)).append('\n');
    }

    /** Appends {@code text} as {@code "# "} lines of at most {@link #WIDTH} columns (longer words stay whole). */
    static void comment(StringBuilder sb, String text) {
        StringBuilder line = new StringBuilder("#");
        for (String word : text.split("\\s+")) {
            if (line.length() > 1 && line.length() + 1 + word.length() > WIDTH) {
                sb.append(line).append('\n');
                line.setLength(1);
            }
            line.append(' ').append(word);
        }
        sb.append(line).append('\n');
    }

    /** A value as java.util.Properties reads it back unchanged (backslashes, leading blanks). */
    static String escape(String value) {
        String v = value.replace("\\", "\\\\");
        return v.startsWith(" ") ? "\\" + v : v;
    }

    /** Writes {@link #properties()} to the file named by the first argument (its folders created). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: ConfigSample <output file>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, properties(), StandardCharsets.UTF_8);
    }
}
