package io.river.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Answers with a body already in memory by writing it straight to the response stream. Javalin's
 * {@code ctx.result(byte[])} wraps the array in a stream and copies it out through a buffer of
 * {@code responseBufferSize} (32 KiB) allocated per request, which on a small answer such as a
 * {@code /get} value was most of the bytes a request allocated. Compression, if configured, is
 * decided on the write as before. Stateless.
 */
final class Responses {
    private Responses() {}

    /** Sets status and content type and writes {@code body}, the whole answer. */
    static void send(Context ctx, int status, String contentType, byte[] body) {
        ctx.status(status).contentType(contentType);
        try {
            ctx.outputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the response failed: " + e.getMessage(), e);
        }
    }
}
