package io.river.http;

import io.micrometer.core.instrument.Timer;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /get} answered as a Jetty handler ahead of Javalin's servlet, every other request passed
 * through to it. The answer is the Javalin route's, byte for byte: the same bearer-token check, key and
 * table checks and lookup ({@link KeyValueRoutes#lookup}), the same JSON errors
 * ({@link ErrorHandlers#answer}), the same {@code X-Request-Id}, access-log line and request timer
 * (route {@code /get}); it sits inside {@link DrainGate}, so draining and the engine hold of a restart
 * successor ({@link EngineRef}) apply as to any route. What it saves is the servlet request and
 * response wrappers, Javalin's context, routing and handler chain.
 *
 * <p>A request whose answer could differ from Javalin's goes to Javalin instead: one with a
 * {@code Content-Type} (whose charset Javalin would decode the query with), a query that does not
 * decode as UTF-8 percent-encoding, and a value of {@value #COMPRESSIBLE_BYTES} bytes or more for a
 * client that sent {@code Accept-Encoding} (Javalin compresses answers from 1500 bytes). Stateless
 * apart from its collaborators; thread-safe.
 */
final class FastGetHandler extends Handler.Wrapper {
    static final String PATH = "/get";
    /** Values this long or longer, for a client accepting an encoding, are answered by Javalin. */
    static final int COMPRESSIBLE_BYTES = 1024;

    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
    private static final HttpField OCTET_STREAM =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, KeyValueRoutes.OCTET_STREAM);
    private static final HttpField CHALLENGE =
            new PreEncodedHttpField(HttpHeader.WWW_AUTHENTICATE, BearerAuth.CHALLENGE_VALUE);

    private final KeyValueRoutes kv;
    private final RequestLimits limits;
    private final BearerAuth auth;
    private final AccessLog access;
    private final LongAdder answered = new LongAdder();
    /** The request timer of this route's 200 answers, looked up on the first one. */
    private volatile Timer ok;

    FastGetHandler(KeyValueRoutes kv, RequestLimits limits, BearerAuth auth, AccessLog access) {
        this.kv = kv;
        this.limits = limits;
        this.auth = auth;
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // The path as sent: one Jetty would decode or normalise to /get is not Javalin's /get route.
        if (!HttpMethod.GET.is(request.getMethod())
                || !PATH.equals(request.getHttpURI().getPath())) {
            return super.handle(request, response, callback);
        }
        HttpFields headers = request.getHeaders();
        Params params = headers.contains(HttpHeader.CONTENT_TYPE)
                ? null
                : Params.of(request.getHttpURI().getQuery());
        if (params == null) {
            return super.handle(request, response, callback);
        }
        long start = System.nanoTime();
        String id = AccessLog.requestIdFor(headers.get(AccessLog.HEADER));
        int status = 200;
        boolean challenge = false;
        HttpField type;
        byte[] body;
        try {
            ApiException refused = auth.refusal(PATH, headers.get(HttpHeader.AUTHORIZATION));
            if (refused != null) {
                challenge = true;
                throw refused;
            }
            KeyValueRoutes.Value v = kv.lookup(limits.key(params.key), RequestLimits.table(params.table));
            if (v.body().length >= COMPRESSIBLE_BYTES && headers.contains(HttpHeader.ACCEPT_ENCODING)) {
                body = null; // Javalin answers, below
                type = null;
            } else {
                type = v.contentType().equals(KeyValueRoutes.OCTET_STREAM) ? OCTET_STREAM : JSON;
                body = v.body();
            }
        } catch (Exception e) {
            ErrorHandlers.Answer a = ErrorHandlers.answer(e, id, HttpMethod.GET.asString(), PATH);
            status = a.status();
            type = JSON;
            body = Json.MAPPER.writeValueAsBytes(a.body());
        }
        if (body == null) {
            return super.handle(request, response, callback);
        }
        response.setStatus(status);
        HttpFields.Mutable out = response.getHeaders();
        out.put(type);
        out.put(AccessLog.HEADER, id);
        if (challenge) {
            out.put(CHALLENGE);
        }
        out.put(HttpHeader.CONTENT_LENGTH, body.length);
        // Counted and logged before the answer goes out, so a client that has it sees it in /metrics.
        answered.increment();
        access.end(
                timer(status),
                Request.getRemoteAddr(request),
                HttpMethod.GET.asString(),
                PATH,
                status,
                System.nanoTime() - start,
                id);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The request timer for an answer with this status (the 200 one kept after its first use). */
    private Timer timer(int status) {
        Timer timer = status == 200 ? ok : null;
        if (timer == null) {
            timer = access.timer(HttpMethod.GET.asString(), PATH, status);
            if (status == 200) {
                ok = timer;
            }
        }
        return timer;
    }

    /** Requests this handler answered itself (not passed to Javalin): a signal for tests and diagnostics. */
    long answered() {
        return answered.sum();
    }

    /**
     * The {@code key} and {@code table} parameters of a raw query string, read as Javalin reads them
     * (pairs split at {@code &}, then at the first {@code =}; names and values URL-decoded as UTF-8, so
     * {@code +} is a space; the first of repeated names wins).
     */
    record Params(String key, String table) {
        /** The parameters of {@code query} (null: none), or null when a part does not decode. */
        static Params of(String query) {
            String key = null;
            String table = null;
            if (query == null || query.isEmpty()) {
                return new Params(null, null);
            }
            int from = 0;
            while (from <= query.length()) {
                int amp = query.indexOf('&', from);
                int end = amp < 0 ? query.length() : amp;
                int eq = query.indexOf('=', from);
                boolean split = eq >= 0 && eq < end;
                String name = decode(query, from, split ? eq : end);
                String value = split ? decode(query, eq + 1, end) : "";
                if (name == null || value == null) {
                    return null;
                }
                if (key == null && name.equals("key")) {
                    key = value;
                } else if (table == null && name.equals("table")) {
                    table = value;
                }
                from = end + 1;
            }
            return new Params(key, table);
        }

        private static String decode(String s, int from, int to) {
            String part = s.substring(from, to);
            if (part.indexOf('%') < 0 && part.indexOf('+') < 0) {
                return part; // what URLDecoder gives, without its buffer
            }
            try {
                return URLDecoder.decode(part, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
