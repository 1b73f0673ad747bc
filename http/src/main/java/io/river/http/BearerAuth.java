package io.river.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The optional bearer-token check ({@code river.http.auth.token}): when a token is configured,
 * every route but {@code /health} and {@code /health/*} needs {@code Authorization: Bearer <token>};
 * anything else is 401. Tokens are compared in constant time ({@link MessageDigest#isEqual}, whose
 * running time depends only on the length of what the client sent). Immutable; thread-safe.
 */
final class BearerAuth {
    private final byte[] token;

    BearerAuth(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean enabled() {
        return token != null;
    }

    void check(Context ctx) {
        if (token == null || isOpen(ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        byte[] given = bearer(header);
        if (given == null || !MessageDigest.isEqual(given, token)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"river\"");
            throw new ApiException(
                    401,
                    "unauthorized",
                    header == null
                            ? "this route needs 'Authorization: Bearer <token>'"
                            : "the bearer token is missing or wrong");
        }
    }

    static boolean isOpen(String path) {
        return path.equals("/health") || path.startsWith("/health/");
    }

    /** The credentials of a {@code Bearer} header (scheme case-insensitive), or null. */
    private static byte[] bearer(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    }
}
