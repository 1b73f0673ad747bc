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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLHandshakeException;

/**
 * What the client commands ({@code river query}, {@code river backup}) share: the options naming a
 * running server ({@code --host} (localhost), {@code --port} (8080), {@code --token} (default
 * {@code RIVER_HTTP_AUTH_TOKEN}), {@code --https}), and one JSON POST to it whose answer is printed
 * (an error on stderr with exit 1). {@code --https} trusts what the JVM trusts (a self-signed
 * certificate needs {@code -Djavax.net.ssl.trustStore=...} in {@code JAVA_OPTS}). Not thread-safe.
 */
final class ServerCall {
    final String command;
    String host = "localhost";
    String port = "8080";
    String token = System.getenv("RIVER_HTTP_AUTH_TOKEN");
    String scheme = "http";
    /** Arguments that are not options, in order. */
    final List<String> positional = new ArrayList<>();
    /** Values of the command's own options ({@code --to DIR}), by name. */
    final Map<String, String> options = new LinkedHashMap<>();

    private ServerCall(String command) {
        this.command = command;
    }

    /** Parses the server options and the command's own {@code valued} options (each taking a value). */
    static ServerCall parse(String command, String[] args, Set<String> valued) {
        ServerCall call = new ServerCall(command);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--https")) {
                call.scheme = "https";
            } else if (arg.equals("--port") || arg.equals("--host") || arg.equals("--token") || valued.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new RiverCli.UsageException("Option '" + arg + "' needs a value");
                }
                call.set(arg, args[++i]);
            } else if (arg.startsWith("--")) {
                throw new RiverCli.UsageException(
                        "Unknown option '" + arg + "' for " + command + "; options are " + String.join(", ", valued)
                                + (valued.isEmpty() ? "" : ", ") + "--port, --host, --token, --https");
            } else {
                call.positional.add(arg);
            }
        }
        return call;
    }

    private void set(String option, String value) {
        switch (option) {
            case "--port" -> port = value;
            case "--host" -> host = value;
            case "--token" -> token = value;
            default -> options.put(option, value);
        }
    }

    /**
     * Posts {@code body} as JSON to {@code path}; prints {@code render} of a 200 answer on {@code out}
     * and returns 0, or prints the error on {@code err} and returns 1.
     */
    int post(
            String path,
            Object body,
            Duration timeout,
            Function<JsonNode, String> render,
            PrintStream out,
            PrintStream err) {
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new RiverCli.UsageException("Option '--port' must be a number, got '" + port + "'");
        }
        URI uri = URI.create(scheme + "://" + host + ":" + portNumber + path);
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
            if (token != null && !token.isEmpty()) {
                req.header("Authorization", "Bearer " + token);
            }
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            return print(client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray()), render, out, err);
        } catch (ConnectException e) {
            err.println("No River server at " + uri.getHost() + ":" + uri.getPort() + " (is 'river serve' running?)");
            return 1;
        } catch (SSLHandshakeException e) {
            err.println("TLS handshake with " + uri.getHost() + ":" + uri.getPort() + " failed: " + e.getMessage()
                    + " (does the JVM trust the server's certificate? JAVA_OPTS=-Djavax.net.ssl.trustStore=FILE)");
            return 1;
        } catch (IOException e) {
            err.println(Character.toUpperCase(command.charAt(0)) + command.substring(1) + " failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int print(
            HttpResponse<byte[]> resp, Function<JsonNode, String> render, PrintStream out, PrintStream err) {
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
                err.println(
                        "Error " + resp.statusCode() + " (" + error.path("code").asText() + "): "
                                + error.path("message").asText());
            } else {
                err.println("Error " + resp.statusCode() + ": " + text);
            }
            return 1;
        }
        out.print(body == null ? text + "\n" : render.apply(body));
        return 0;
    }
}
