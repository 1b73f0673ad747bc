package io.river.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first step of a graceful stop, as a Jetty handler around the API: once {@link #beginDrain}
 * has run, every answer carries {@code Connection: close}, and {@link #awaitEarlier} waits for
 * the requests that started before, whose answers may have promised to keep the connection.
 *
 * <p>Why: Jetty closes the listener and then, for an answer that completes after that, shuts the
 * connection even though the answer went out as keep-alive; a client sending its next request at
 * that moment writes into a closed connection. Draining in this order — tell every client first,
 * let the keep-alive answers already under way finish, only then close the listener — leaves no
 * such answer. Thread-safe: a volatile flag and a counter guarded by {@code this}.
 */
final class DrainGate extends Handler.Wrapper {
    private volatile boolean draining;
    private long earlier; // requests in flight that started before draining; guarded by this

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        enter();
        if (draining) {
            exit();
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            return super.handle(request, response, callback);
        }
        boolean handled = false;
        try {
            handled = super.handle(request, response, new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    try {
                        super.succeeded();
                    } finally {
                        exit();
                    }
                }

                @Override
                public void failed(Throwable x) {
                    try {
                        super.failed(x);
                    } finally {
                        exit();
                    }
                }
            });
            return handled;
        } finally {
            if (!handled) {
                exit();
            }
        }
    }

    // Counted before the flag is read: a request that sees "not draining" is always waited for.
    private synchronized void enter() {
        earlier++;
    }

    private synchronized void exit() {
        if (--earlier == 0) {
            notifyAll();
        }
    }

    /** Requests being handled right now (a signal for tests and diagnostics). */
    synchronized long inFlight() {
        return earlier;
    }

    /** From now on every answer closes its connection. */
    void beginDrain() {
        draining = true;
    }

    /** Waits (up to {@code timeout}) until no request that started before {@link #beginDrain} is in flight. */
    synchronized boolean awaitEarlier(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (earlier > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
