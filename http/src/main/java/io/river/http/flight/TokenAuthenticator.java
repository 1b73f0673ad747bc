package io.river.http.flight;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * The Flight side of {@code river.http.auth.token}: every call must carry
 * {@code Authorization: Bearer <token>} (what the Flight SQL JDBC driver sends for its {@code token}
 * property), or {@code Authorization: Basic <base64(user:password)>} whose password is the token (any
 * user name; what the driver sends for {@code user}/{@code password}). A basic login is answered with
 * {@code Authorization: Bearer <token>}, which Flight clients then send on their later calls. Anything
 * else is {@code UNAUTHENTICATED}. Tokens are compared in constant time. Immutable; thread-safe.
 */
final class TokenAuthenticator implements CallHeaderAuthenticator {
    private final byte[] token;

    /** @param token the configured token; must not be empty (no token: no authenticator at all) */
    TokenAuthenticator(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("an empty token authenticates nobody");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public AuthResult authenticate(CallHeaders headers) {
        String header = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
        if (header == null) {
            throw CallStatus.UNAUTHENTICATED
                    .withDescription("River needs the token of river.http.auth.token: "
                            + "'Authorization: Bearer <token>' (JDBC: token=<token>, or password=<token>)")
                    .toRuntimeException();
        }
        if (startsWithIgnoreCase(header, Auth2Constants.BEARER_PREFIX)) {
            check(header.substring(Auth2Constants.BEARER_PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8));
            return () -> "";
        }
        if (startsWithIgnoreCase(header, Auth2Constants.BASIC_PREFIX)) {
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder()
                                .decode(header.substring(Auth2Constants.BASIC_PREFIX.length())
                                        .trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw wrong();
            }
            int colon = decoded.indexOf(':');
            check(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
            String user = colon < 0 ? "" : decoded.substring(0, colon);
            String bearer = new String(token, StandardCharsets.UTF_8);
            return new AuthResult() {
                @Override
                public String getPeerIdentity() {
                    return user;
                }

                @Override
                public void appendToOutgoingHeaders(CallHeaders outgoing) {
                    outgoing.insert(Auth2Constants.AUTHORIZATION_HEADER, Auth2Constants.BEARER_PREFIX + bearer);
                }
            };
        }
        throw wrong();
    }

    private void check(byte[] given) {
        if (!MessageDigest.isEqual(given, token)) {
            throw wrong();
        }
    }

    private static RuntimeException wrong() {
        return CallStatus.UNAUTHENTICATED
                .withDescription("the token is missing or wrong")
                .toRuntimeException();
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
