package io.river.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@code river query "SQL" [--port N] [--host H] [--token T] [--https]}: posts the SQL to a running
 * server's {@code /query} and prints the result as a table (or the server's error on stderr, exit
 * 1). The token defaults to {@code RIVER_HTTP_AUTH_TOKEN}. {@code --https} talks TLS to a server
 * with {@code river.http.tls.keystore.path} set, trusting what the JVM trusts (a self-signed
 * certificate needs {@code -Djavax.net.ssl.trustStore=...} in {@code JAVA_OPTS}) and checking the
 * certificate names the host. Not thread-safe; used once from main.
 */
final class QueryCommand {
    private QueryCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String sql = null;
        String host = "localhost";
        String port = "8080";
        String token = System.getenv("RIVER_HTTP_AUTH_TOKEN");
        String scheme = "http";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--https")) {
                scheme = "https";
            } else if (arg.equals("--port") || arg.equals("--host") || arg.equals("--token")) {
                if (i + 1 >= args.length) {
                    throw new RiverCli.UsageException("Option '" + arg + "' needs a value");
                }
                String v = args[++i];
                if (arg.equals("--port")) {
                    port = v;
                } else if (arg.equals("--host")) {
                    host = v;
                } else {
                    token = v;
                }
            } else if (arg.startsWith("--")) {
                throw new RiverCli.UsageException("Unknown option '" + arg + "' for query; options are --port, --host, "
                        + "--token, --https");
            } else if (sql == null) {
                sql = arg;
            } else {
                throw new RiverCli.UsageException("query takes one SQL argument; quote it: river query \"SELECT ...\"");
            }
        }
        if (sql == null || sql.isBlank()) {
            throw new RiverCli.UsageException("Usage: river query \"SQL\" [--port N] [--host H] [--token T] [--https]");
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new RiverCli.UsageException("Option '--port' must be a number, got '" + port + "'");
        }
        URI uri = URI.create(scheme + "://" + host + ":" + portNumber + "/query");
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(Map.of("sql", sql))));
            if (token != null && !token.isEmpty()) {
                req.header("Authorization", "Bearer " + token);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<byte[]> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            return print(resp, out, err);
        } catch (ConnectException e) {
            err.println("No River server at " + uri.getHost() + ":" + uri.getPort() + " (is 'river serve' running?)");
            return 1;
        } catch (SSLHandshakeException e) {
            err.println("TLS handshake with " + uri.getHost() + ":" + uri.getPort() + " failed: " + e.getMessage()
                    + " (does the JVM trust the server's certificate? JAVA_OPTS=-Djavax.net.ssl.trustStore=FILE)");
            return 1;
        } catch (IOException e) {
            err.println("Query failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int print(HttpResponse<byte[]> resp, PrintStream out, PrintStream err) {
        String text = new String(resp.body(), StandardCharsets.UTF_8);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            body = null;
        }
        if (resp.statusCode() != 200) {
            JsonNode error = body == null ? null : body.get("error");
            if (error != null) {
                err.println("Error " + resp.statusCode() + " (" + error.path("code").asText() + "): "
                        + error.path("message").asText());
            } else {
                err.println("Error " + resp.statusCode() + ": " + text);
            }
            return 1;
        }
        if (body == null || !body.has("columns")) {
            out.println(text);
            return 0;
        }
        out.print(ResultTable.render(body));
        return 0;
    }
}
