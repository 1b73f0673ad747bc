package io.river.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.river.engine.sql.StatementExecutor;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code POST /query} (a JSON {@code {"sql": "..."}} or a {@code text/plain} body) and
 * {@code GET /query?sql=} (not for CREATE, DROP, ALTER or INSERT: 405): extracts the SQL, negotiates the
 * output format from {@code Accept} (JSON by default, CSV, Arrow IPC stream), times the query and
 * hands it to the {@link QueryHandler}. Thread-safe.
 */
final class QueryRoute {
    private final EngineRef engines;
    private final RequestLimits limits;
    private final QueryHandler handler;
    private final ServerMetrics metrics;

    QueryRoute(EngineRef engines, RequestLimits limits, QueryHandler handler, ServerMetrics metrics) {
        this.engines = engines;
        this.limits = limits;
        this.handler = handler;
        this.metrics = metrics;
    }

    void get(Context ctx) throws Exception {
        String sql = requireSql(ctx.queryParam("sql"));
        if (StatementExecutor.changesData(sql)) {
            ctx.header("Allow", "POST");
            throw new ApiException(
                    405,
                    "method_not_allowed",
                    "CREATE, DROP, ALTER and INSERT change data: send them with POST /query, not GET");
        }
        run(ctx, sql);
    }

    void post(Context ctx) throws Exception {
        String type = mediaType(ctx.header("Content-Type"));
        String sql;
        if (type.isEmpty() || type.equals("text/plain") || type.equals("application/sql")) {
            sql = new String(limits.body(ctx), StandardCharsets.UTF_8);
        } else if (Json.isJson(type)) {
            sql = sqlField(limits.body(ctx));
        } else {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "POST /query takes application/json {\"sql\": ...} " + "or a text/plain body, not '"
                            + RequestLimits.clip(type) + "'");
        }
        run(ctx, requireSql(sql));
    }

    private void run(Context ctx, String sql) throws Exception {
        QueryRequest.Format format = format(ctx.header("Accept"));
        QueryRequest request = new QueryRequest(sql, format, engines.get());
        long start = System.nanoTime();
        String outcome = "error";
        try {
            handler.handle(request, ctx);
            outcome = "ok";
        } finally {
            metrics.recordQuery(outcome, System.nanoTime() - start);
        }
    }

    private static String sqlField(byte[] body) {
        JsonNode node = Json.parseBody(body);
        if (!node.isObject()) {
            throw ApiException.badRequest("malformed_json", "body must be a JSON object {\"sql\": \"...\"}");
        }
        JsonNode sql = node.get("sql");
        if (sql == null || !sql.isTextual()) {
            throw ApiException.badRequest("missing_sql", "field 'sql' (a string) is required");
        }
        return sql.textValue();
    }

    private static String requireSql(String sql) {
        if (sql == null || sql.isBlank()) {
            throw ApiException.badRequest("missing_sql", "a SQL statement is required (sql=... or a request body)");
        }
        return sql;
    }

    /** The format for an Accept header: the first listed type River can give (q-values ignored); 406 if none. */
    static QueryRequest.Format format(String accept) {
        if (accept == null || accept.isBlank()) {
            return QueryRequest.Format.JSON;
        }
        for (String part : accept.split(",")) {
            String type = mediaType(part);
            for (QueryRequest.Format f : QueryRequest.Format.values()) {
                if (type.equals(f.mediaType())) {
                    return f;
                }
            }
            if (type.equals("*/*") || type.equals("application/*")) {
                return QueryRequest.Format.JSON;
            }
            if (type.equals("text/*")) {
                return QueryRequest.Format.CSV;
            }
        }
        throw new ApiException(
                406,
                "not_acceptable",
                "/query answers application/json, text/csv or " + "application/vnd.apache.arrow.stream; Accept was '"
                        + RequestLimits.clip(accept) + "'");
    }

    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
