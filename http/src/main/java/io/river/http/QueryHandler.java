package io.river.http;

import io.javalin.http.Context;

/**
 * Runs one SQL query for {@code /query} and writes its answer: the seam between the HTTP layer
 * (which has already parsed the request, checked auth and negotiated the format) and the SQL
 * engine. Errors are thrown as {@link ApiException} (a syntax error is a 400 with its position).
 * Implementations must be thread-safe: requests call them concurrently.
 */
@FunctionalInterface
public interface QueryHandler {
    void handle(QueryRequest request, Context ctx) throws Exception;
}
