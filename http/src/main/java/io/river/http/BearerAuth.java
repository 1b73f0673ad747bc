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
    static final String AUTHORIZATION = "Authorization";
    static final String CHALLENGE = "WWW-Authenticate";
    static final String CHALLENGE_VALUE = "Bearer realm=\"river\"";

    private final byte[] token;

    BearerAuth(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean enabled() {
        return token != null;
    }

    void check(Context ctx) {
        ApiException refused = refusal(ctx.path(), ctx.header(AUTHORIZATION));
        if (refused != null) {
            ctx.header(CHALLENGE, CHALLENGE_VALUE);
            throw refused;
        }
    }

    /**
     * Null when a request for {@code path} with this {@code Authorization} header may pass, else the 401
     * to answer (with the {@value #CHALLENGE} header {@value #CHALLENGE_VALUE}).
     */
    ApiException refusal(String path, String authorization) {
        if (token == null || isOpen(path)) {
            return null;
        }
        byte[] given = bearer(authorization);
        if (given != null && MessageDigest.isEqual(given, token)) {
            return null;
        }
        return new ApiException(
                401,
                "unauthorized",
                authorization == null
                        ? "this route needs 'Authorization: Bearer <token>'"
                        : "the bearer token is missing or wrong");
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
