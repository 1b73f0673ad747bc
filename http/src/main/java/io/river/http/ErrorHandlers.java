package io.river.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.river.engine.model.EngineClosedException;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SegmentDamagedException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every exception a request can raise to the JSON error body
 * {@code {"error":{"code":...,"message":...}}}: {@link ApiException} as it says, Javalin's own
 * responses (unknown route 404, wrong method 405 with {@code Allow}, 413) by status, a row that
 * does not fit its table 400, an engine shutting down 503, and anything else, River's own fault,
 * 500 with the stack trace logged under the request id. Stateless.
 */
final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {}

    /** A status and the JSON error body River answers with. */
    record Answer(int status, Map<String, Object> body) {}

    static void register(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, ErrorHandlers::javalinResponse);
        routes.exception(Exception.class, (e, ctx) -> {
            Answer a = answer(e, AccessLog.requestId(ctx), ctx.req().getMethod(), ctx.path());
            Json.respond(ctx, a.status(), a.body());
        });
    }

    /**
     * What River answers for an exception a request handler raised (anything but Javalin's own
     * responses), logging River's own faults under {@code requestId}; the one mapping both the Javalin
     * routes and the {@code /get} handler below them use.
     */
    static Answer answer(Exception e, String requestId, String method, String path) {
        if (e instanceof ApiException a) {
            return new Answer(a.status(), Json.error(a.code(), a.getMessage(), a.details()));
        }
        if (e instanceof SchemaException) {
            return new Answer(400, Json.error("schema_mismatch", e.getMessage()));
        }
        if (e instanceof IllegalCharsetNameException || e instanceof UnsupportedCharsetException) {
            // A charset name from the client that Java does not know (read by servlet content-type parsing).
            return new Answer(415, Json.error("unsupported_media_type", "unsupported charset in Content-Type"));
        }
        if (e instanceof SegmentDamagedException) {
            LOG.error("request {} needs a damaged segment: {}", requestId, e.getMessage());
            return new Answer(500, Json.error("damaged_segment", e.getMessage()));
        }
        if (e instanceof EngineClosedException) {
            return new Answer(503, Json.error("not_ready", "River is shutting down: " + e.getMessage()));
        }
        LOG.error("request {} {} {} failed", requestId, method, path, e);
        return new Answer(
                500,
                Json.error(
                        "internal",
                        "River failed to handle the request (request id " + requestId + "); see the server log"));
    }

    private static void javalinResponse(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        String message = e.getMessage();
        switch (status) {
            case 404:
                Json.respond(
                        ctx,
                        404,
                        Json.error("not_found", "no route " + RequestLimits.clip(ctx.path()) + "; see /openapi.json"));
                return;
            case 405:
                String allow = allowed(e.getDetails());
                if (!allow.isEmpty()) {
                    ctx.header("Allow", allow);
                }
                Json.respond(
                        ctx,
                        405,
                        Json.error(
                                "method_not_allowed",
                                "method " + ctx.req().getMethod() + " is not allowed on "
                                        + RequestLimits.clip(ctx.path())
                                        + (allow.isEmpty() ? "" : "; allowed: " + allow)));
                return;
            case 413:
                Json.respond(ctx, 413, Json.error("body_too_large", "request body is over the configured limit"));
                return;
            default:
                Json.respond(ctx, status, Json.error(codeFor(status), message == null ? "" : message));
        }
    }

    private static String allowed(Map<String, String> details) {
        String methods = details == null ? null : details.get("availableMethods");
        if (methods == null) {
            return "";
        }
        return methods.replace("[", "").replace("]", "").replace(" ", "");
    }

    static String codeFor(int status) {
        switch (status) {
            case 400:
                return "bad_request";
            case 401:
                return "unauthorized";
            case 403:
                return "forbidden";
            case 404:
                return "not_found";
            case 405:
                return "method_not_allowed";
            case 406:
                return "not_acceptable";
            case 408:
                return "request_timeout";
            case 413:
                return "body_too_large";
            case 414:
                return "uri_too_long";
            case 415:
                return "unsupported_media_type";
            case 431:
                return "headers_too_large";
            case 501:
                return "not_implemented";
            case 503:
                return "not_ready";
            default:
                return status >= 500 ? "internal" : "bad_request";
        }
    }
}
