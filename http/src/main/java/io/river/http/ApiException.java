package io.river.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request River answers with an error: the HTTP status, a stable machine-readable code and a
 * one-line message for people. Thrown anywhere in a handler and rendered by {@link ErrorHandlers}
 * as {@code {"error":{"code":...,"message":...}}}. Immutable.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** Adds a machine-readable field to the error object (beside code and message); returns this. */
    public ApiException with(String name, Object value) {
        details.put(name, value);
        return this;
    }

    /** The extra fields of the error object, in the order added. */
    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
