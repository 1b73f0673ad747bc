package io.river.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page for requests that never reach Javalin (a malformed request line, a bad URI,
 * headers over the limit): the same JSON error body as every other River error instead of HTML.
 * Stateless; thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        if (code == 505) {
            // An unknown HTTP version is the client's mistake: answer 400, never a 5xx, for client input.
            code = 400;
            response.setStatus(400);
            message = "unsupported HTTP version; use HTTP/1.1";
        }
        byte[] body = Json.errorBytes(ErrorHandlers.codeFor(code), message == null ? "" : message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        return ByteBuffer.wrap(Json.errorBytes(ErrorHandlers.codeFor(status), reason == null ? "" : reason));
    }
}
