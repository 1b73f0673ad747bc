package io.river.http;

import io.javalin.http.Context;

/**
 * The {@code /query} backend of a build without the SQL engine wired in: every query is answered
 * 501 {@code not_implemented}. Replace it by passing a real {@link QueryHandler} to
 * {@link RiverServer}. Stateless; thread-safe.
 */
public final class UnsupportedQueryHandler implements QueryHandler {
    @Override
    public void handle(QueryRequest request, Context ctx) {
        throw new ApiException(501, "not_implemented", "SQL queries are not available in this build yet");
    }
}
