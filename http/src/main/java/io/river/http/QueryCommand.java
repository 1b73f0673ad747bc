package io.river.http;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code river query "SQL" [--port N] [--host H] [--token T] [--https]}: posts the SQL to a running
 * server's {@code /query} and prints the result as a table (or the server's error on stderr, exit
 * 1). The token defaults to {@code RIVER_HTTP_AUTH_TOKEN}. {@code --https} talks TLS to a server
 * with {@code river.http.tls.keystore.path} set, trusting what the JVM trusts (a self-signed
 * certificate needs {@code -Djavax.net.ssl.trustStore=...} in {@code JAVA_OPTS}) and checking the
 * certificate names the host. Not thread-safe; used once from main.
 */
final class QueryCommand {
    private QueryCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        ServerCall call = ServerCall.parse("query", args, Set.of());
        if (call.positional.size() > 1) {
            throw new RiverCli.UsageException("query takes one SQL argument; quote it: river query \"SELECT ...\"");
        }
        String sql = call.positional.isEmpty() ? null : call.positional.get(0);
        if (sql == null || sql.isBlank()) {
            throw new RiverCli.UsageException("Usage: river query \"SQL\" [--port N] [--host H] [--token T] [--https]");
        }
        return call.post(
                "/query",
                Map.of("sql", sql),
                Duration.ofMinutes(5),
                body -> body.has("columns") ? ResultTable.render(body) : body + "\n",
                out,
                err);
    }
}
