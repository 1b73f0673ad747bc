package io.river.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * {@code POST /backup} with {@code {"to":"/absolute/dir"}}: a hot backup of the engine into that
 * directory on the server's machine ({@code RiverEngine.backup}), answered with what was written.
 * An admin operation: with {@code river.http.auth.token} set it needs the token (as every route);
 * without one it is accepted from loopback clients only (403 otherwise), since it writes files where
 * the client says. A bad target (relative, not empty, inside the data directory) is a 400.
 * Thread-safe.
 */
final class BackupRoute {
    private final EngineRef engines;
    private final boolean tokenSet;
    private final RequestLimits limits;

    BackupRoute(EngineRef engines, RiverConfig config, RequestLimits limits) {
        this.engines = engines;
        this.tokenSet = !config.get(RiverConfigKeys.HTTP_AUTH_TOKEN).isEmpty();
        this.limits = limits;
    }

    void post(Context ctx) throws IOException {
        if (!tokenSet && !isLoopback(ctx.req().getRemoteAddr())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "backups are taken from the server's own machine (river backup) "
                            + "or with river.http.auth.token set");
        }
        JsonNode to = Json.parseBody(limits.body(ctx)).get("to");
        if (to == null || !to.isTextual() || to.textValue().isBlank()) {
            throw ApiException.badRequest("missing_target", "body must be {\"to\": \"/absolute/path\"}");
        }
        Path target = Path.of(to.textValue());
        if (!target.isAbsolute()) {
            throw ApiException.badRequest(
                    "invalid_target",
                    "backup target '" + RequestLimits.clip(to.textValue())
                            + "' must be an absolute path on the server");
        }
        try {
            Json.respond(ctx, 200, engines.get().backup(target));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_target", e.getMessage());
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
