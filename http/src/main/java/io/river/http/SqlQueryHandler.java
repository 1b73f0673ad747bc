package io.river.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryException;
import io.river.engine.query.QueryResult;
import io.river.engine.query.ResultColumn;
import io.river.engine.sql.StatementException;
import io.river.engine.sql.StatementExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code /query} backend: runs CREATE TABLE, DROP TABLE, INSERT, SHOW TABLES and DESCRIBE on
 * the {@link StatementExecutor}, and every other statement on River's vectorized SQL executor over a
 * consistent snapshot of the engine's tables, and writes the answer as JSON
 * ({@code {"columns","rows","stats"}}), CSV or an Arrow IPC stream. A {@link QueryException} (bad
 * SQL, unknown table or column, unsupported construct) becomes a 400 whose message carries the
 * line and column. Owns the executor's worker pool; {@link #close()} stops it. Thread-safe.
 */
public final class SqlQueryHandler implements QueryHandler, AutoCloseable {
    private final QueryEngine queries = new QueryEngine();

    @Override
    public void handle(QueryRequest request, Context ctx) throws Exception {
        QueryResult result;
        try {
            result = StatementExecutor.handles(request.sql())
                    ? new StatementExecutor(request.engine()).execute(request.sql())
                    : queries.execute(request.sql(), new EngineCatalog(request.engine()));
        } catch (QueryException e) {
            int status = QueryException.RESULT_TOO_LARGE.equals(e.code()) ? 413 : 400;
            String where = e.hasPosition() ? " (line " + e.line() + ", column " + e.column() + ")" : "";
            throw new ApiException(status, e.code(), e.reason() + where);
        } catch (StatementException e) {
            throw statementError(e);
        }
        switch (request.format()) {
            case CSV:
                Responses.send(ctx, 200, "text/csv; charset=utf-8", csv(result));
                break;
            case ARROW:
                ctx.contentType(QueryRequest.Format.ARROW.mediaType());
                ctx.header("X-River-Rows-Scanned", Long.toString(result.stats().rowsScanned()));
                ctx.header("X-River-Elapsed-Ms", Long.toString(result.stats().elapsedMs()));
                OutputStream out = ctx.outputStream();
                result.writeArrowStream(out, request.engine().allocator());
                out.flush();
                break;
            default:
                Responses.send(ctx, 200, Json.CONTENT_TYPE, json(result));
        }
    }

    /** 409 for a table that exists already, 400 naming row and column for a value that cannot be stored. */
    private static ApiException statementError(StatementException e) {
        ApiException api = new ApiException(e.isConflict() ? 409 : 400, e.code(), e.getMessage());
        if (e.row() > 0) {
            api.with("row", e.row());
        }
        return e.column() == null ? api : api.with("column", e.column());
    }

    /**
     * The JSON answer {@code {"columns":[{"name","type"}...],"rows":[[...]...],"stats":{...}}}, written
     * straight from the result's rows with the module's mapper (no map or list per row).
     */
    static byte[] json(QueryResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + result.rowCount() * 32);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("columns");
            for (ResultColumn c : result.columns()) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("type", c.sqlType());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (Object[] row : result.rows()) {
                g.writeStartArray();
                for (Object v : row) {
                    writeValue(g, QueryResult.jsonValue(v));
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("stats");
            g.writeNumberField("rowsScanned", result.stats().rowsScanned());
            g.writeNumberField("blocksSkipped", result.stats().blocksSkipped());
            g.writeNumberField("elapsedMs", result.stats().elapsedMs());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a query result as JSON in memory", e);
        }
        return out.toByteArray();
    }

    /** One cell: the common types directly, anything else through the mapper's serializers. */
    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Long) {
            g.writeNumber((Long) v);
        } else if (v instanceof Double) {
            g.writeNumber((Double) v);
        } else if (v instanceof Integer) {
            g.writeNumber((Integer) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else {
            g.writeObject(v);
        }
    }

    static byte[] csv(QueryResult result) {
        StringBuilder sb = new StringBuilder();
        List<ResultColumn> cols = result.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(csvField(cols.get(i).name()));
        }
        sb.append("\r\n");
        for (Object[] row : result.rows()) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object v = QueryResult.jsonValue(row[i]);
                if (v != null) {
                    sb.append(csvField(String.valueOf(v)));
                }
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        queries.close();
    }
}
