package io.river.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one JSON mapper of the HTTP module and the helpers that answer with JSON. Strict on input:
 * trailing tokens and duplicate field names are malformed JSON. The mapper is thread-safe.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public static final String CONTENT_TYPE = "application/json";

    private Json() {}

    /** Answers with {@code body} serialized as JSON and this status. */
    public static void respond(Context ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response: " + e.getMessage(), e);
        }
        Responses.send(ctx, status, CONTENT_TYPE, bytes);
    }

    /**
     * A request body parsed as JSON, or a 400 {@code malformed_json} naming what is wrong; an empty
     * body gives a missing node.
     */
    static JsonNode parseBody(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed_json", "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "body is not valid JSON: " + e.getMessage());
        }
    }

    /** True for {@code application/json} and {@code application/*+json}, parameters ignored. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String mime =
                (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
    }

    /** The error body: {@code {"error":{"code":...,"message":...}}}. */
    public static Map<String, Object> error(String code, String message) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", code);
        inner.put("message", message);
        return Map.of("error", inner);
    }

    /** The error body with extra fields beside code and message. */
    public static Map<String, Object> error(String code, String message, Map<String, Object> details) {
        Map<String, Object> body = error(code, message);
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) body.get("error");
        inner.putAll(details);
        return body;
    }

    /** Serializes the error body; never fails (the message is escaped by Jackson). */
    public static byte[] errorBytes(String code, String message) {
        try {
            return MAPPER.writeValueAsBytes(error(code, message));
        } catch (JsonProcessingException e) {
            return ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"\"}}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
