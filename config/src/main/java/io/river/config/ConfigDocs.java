package io.river.config;

/**
 * Renders the key declarations as a Markdown table (the README's configuration section) or as
 * plain text for {@code river --help-config}. Stateless.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | allowed | description |\n");
        sb.append("|---|---|---|---|---|\n");
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            sb.append("| `")
                    .append(key.name())
                    .append("` | ")
                    .append(key.type().name().toLowerCase())
                    .append(" | ")
                    .append(key.isRequired() ? key.defaultText() : "`" + key.defaultValue() + "`")
                    .append(" | ")
                    .append(key.validator().describe().replace("|", "\\|"))
                    .append(" | ")
                    .append(key.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    public static String text() {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            sb.append("  --")
                    .append(key.name())
                    .append("=<")
                    .append(key.type().name().toLowerCase())
                    .append(">")
                    .append(key.isRequired() ? " " + key.defaultText() : " (default " + key.defaultValue() + ")");
            String allowed = key.validator().describe();
            if (!allowed.isEmpty()) {
                sb.append(", ").append(allowed);
            }
            sb.append("\n      ").append(key.doc()).append('\n');
        }
        return sb.toString();
    }

    /** Prints the Markdown table; used to regenerate the README section. */
    public static void main(String[] args) {
        System.out.print(args.length > 0 && args[0].equals("--text") ? text() : markdownTable());
    }
}
