package io.river.http;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code river backup --to DIR [--port N] [--host H] [--token T] [--https]}: asks a running server
 * for a hot backup ({@code POST /backup}) into {@code DIR} (absent or empty; a path on the server's
 * machine, made absolute here when the server is local) and prints what was written. The result is
 * a data directory: {@code river check --data-dir DIR} accepts it and {@code river serve --data-dir
 * DIR} opens it. Not thread-safe; used once from main.
 */
final class BackupCommand {
    private BackupCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        ServerCall call = ServerCall.parse("backup", args, Set.of("--to"));
        String to = call.options.get("--to");
        if (to == null || to.isBlank() || !call.positional.isEmpty()) {
            throw new RiverCli.UsageException(
                    "Usage: river backup --to DIR [--port N] [--host H] [--token T] [--https]");
        }
        String target = Path.of(to).toAbsolutePath().normalize().toString();
        return call.post(
                "/backup",
                Map.of("to", target),
                Duration.ofHours(6),
                body -> "Backup of manifest generation "
                        + body.path("manifestGeneration").asLong() + " in "
                        + body.path("target").asText() + ": "
                        + body.path("files").asLong() + " files, "
                        + body.path("bytes").asLong() + " bytes ("
                        + body.path("hardLinked").asLong() + " hard-linked)\n",
                out,
                err);
    }
}
