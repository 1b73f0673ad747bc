package io.river.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request ids and the access log: each request gets the client's {@code X-Request-Id} (when it
 * is short and plain) or a fresh one, echoed in the response; when the request ends, one line goes
 * to the {@code io.river.http.access} logger and its latency to {@link ServerMetrics}.
 * Thread-safe.
 */
final class AccessLog {
    static final String HEADER = "X-Request-Id";
    private static final Logger LOG = LoggerFactory.getLogger("io.river.http.access");
    private static final String ID = "river.requestId";
    private static final String START = "river.startNanos";

    private final ServerMetrics metrics;

    AccessLog(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** First thing on every request: stamp the start time and the request id. */
    void begin(Context ctx) {
        ctx.attribute(START, System.nanoTime());
        String id = requestIdFor(ctx.header(HEADER));
        ctx.attribute(ID, id);
        ctx.header(HEADER, id);
    }

    /** The id a request gets: the client's {@code X-Request-Id} when it is short and plain, else a fresh one. */
    static String requestIdFor(String clientId) {
        return isPlain(clientId)
                ? clientId
                : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /** The id of this request (for error logs). */
    static String requestId(Context ctx) {
        String id = ctx.attribute(ID);
        return id == null ? "-" : id;
    }

    /** Last thing on every request: one log line and one timer sample. */
    void end(Context ctx, String route) {
        Long start = ctx.attribute(START);
        long nanos = start == null ? 0 : System.nanoTime() - start;
        end(ctx.ip(), ctx.req().getMethod(), ctx.path(), route, ctx.statusCode(), nanos, requestId(ctx));
    }

    /** The same for a request answered below Javalin: one log line and one timer sample. */
    void end(String ip, String method, String path, String route, int status, long nanos, String id) {
        end(timer(method, route, status), ip, method, path, status, nanos, id);
    }

    /** The request timer for this method, route and status (see {@link ServerMetrics#requestTimer}). */
    Timer timer(String method, String route, int status) {
        return metrics.requestTimer(method, route, status);
    }

    /** The same with the request's {@link #timer} at hand. */
    void end(Timer timer, String ip, String method, String path, int status, long nanos, String id) {
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {} {}us id={}", ip, method, RequestLimits.clip(path), status, nanos / 1000, id);
        }
    }

    private static boolean isPlain(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
