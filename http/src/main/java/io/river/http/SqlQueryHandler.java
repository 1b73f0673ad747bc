package io.river.http;

import io.javalin.http.Context;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryException;
import io.river.engine.query.QueryResult;
import io.river.engine.query.ResultColumn;
import io.river.engine.sql.StatementException;
import io.river.engine.sql.StatementExecutor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                ctx.contentType("text/csv; charset=utf-8");
                ctx.result(csv(result));
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
                ctx.json(json(result));
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

    static Map<String, Object> json(QueryResult result) {
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ResultColumn c : result.columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("name", c.name());
            col.put("type", c.sqlType());
            columns.add(col);
        }
        List<List<Object>> rows = new ArrayList<>(result.rowCount());
        for (Object[] row : result.rows()) {
            List<Object> out = new ArrayList<>(row.length);
            for (Object v : row) {
                out.add(QueryResult.jsonValue(v));
            }
            rows.add(out);
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("rowsScanned", result.stats().rowsScanned());
        stats.put("blocksSkipped", result.stats().blocksSkipped());
        stats.put("elapsedMs", result.stats().elapsedMs());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("columns", columns);
        body.put("rows", rows);
        body.put("stats", stats);
        return body;
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
