package io.river.connect.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The sink's side of River's server protocol over HTTP(S): claims, position reads and ingest
 * requests against one or more server URLs (a failed connection moves on to the next URL).
 * Every call either returns the server's answer, throws {@link Unavailable} (River down, a
 * timeout, a 5xx: worth retrying later) or {@link Refused} (a 4xx: the server's decision, with
 * its error code and JSON body). Thread-safe.
 */
public final class RiverClient {
    public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<URI> urls;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    private volatile int current;

    /** A River server did not answer usefully: not reachable, too slow, or a 5xx. */
    public static final class Unavailable extends IOException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** River answered a request with a 4xx: its error code, message and the whole error object. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;
        private final transient JsonNode error;

        Refused(int status, String code, String message, JsonNode error) {
            super("River refused the request (" + status + " " + code + "): " + message);
            this.status = status;
            this.code = code;
            this.error = error;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        /** The {@code error} object of the answer (code, message and any detail fields). */
        public JsonNode error() {
            return error;
        }
    }

    public RiverClient(String urlList, String token, Duration timeout, SSLContext ssl) {
        List<URI> parsed = new ArrayList<>();
        for (String u : urlList.split(",")) {
            String trimmed = u.trim();
            if (!trimmed.isEmpty()) {
                parsed.add(URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed));
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("river.server.url names no URL");
        }
        this.urls = List.copyOf(parsed);
        this.token = token == null ? "" : token;
        this.timeout = timeout;
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
    }

    /** Claims the partitions for {@code scope}: raises their epochs; answers the positions JSON. */
    public JsonNode claim(String scope, Collection<Map<String, Object>> partitions) throws Unavailable, Refused {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(Map.of("partitions", partitions));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send("POST", "/positions/claim?scope=" + enc(scope), "application/json", body, Map.of());
    }

    /** Makes deferred writes durable and answers the scope's durable positions. */
    public JsonNode sync(String scope) throws Unavailable, Refused {
        return send("POST", "/positions/sync?scope=" + enc(scope), "application/json", new byte[0], Map.of());
    }

    /** Sends one ingest request; {@code query} is the part after {@code /ingest?}, already encoded. */
    public JsonNode ingest(String query, String contentType, byte[] body, Map<String, String> headers)
            throws Unavailable, Refused {
        return send("POST", "/ingest?" + query, contentType, body, headers);
    }

    /** URL-encodes a query parameter value. */
    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode send(
            String method, String pathAndQuery, String contentType, byte[] body, Map<String, String> headers)
            throws Unavailable, Refused {
        IOException last = null;
        for (int attempt = 0; attempt < urls.size(); attempt++) {
            int index = Math.floorMod(current + attempt, urls.size());
            URI base = urls.get(index);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(timeout)
                    .header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            if (!token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            headers.forEach(request::header);
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = e;
                continue; // this server is unreachable or too slow: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while waiting for River at " + base, e);
            }
            current = index;
            return answer(base, response);
        }
        throw new Unavailable("no River server answered (" + urls + "): " + describe(last), last);
    }

    private static JsonNode answer(URI base, HttpResponse<byte[]> response) throws Unavailable, Refused {
        int status = response.statusCode();
        JsonNode json;
        try {
            json = response.body().length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
        } catch (IOException e) {
            if (status >= 500 || status == 429) {
                throw new Unavailable("River at " + base + " answered " + status, e);
            }
            throw new Unavailable("River at " + base + " answered " + status + " with a body that is not JSON", e);
        }
        if (status >= 200 && status < 300) {
            return json;
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new Unavailable("River at " + base + " answered " + status + ": " + json, null);
        }
        JsonNode error = json.path("error");
        throw new Refused(
                status,
                error.path("code").asText("unknown"),
                error.path("message").asText(""),
                error);
    }

    private static String describe(IOException e) {
        if (e == null) {
            return "no attempt";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
