package io.river.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.river.engine.RiverEngine;
import io.river.engine.WriteResult;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's key-value routes over a table ({@code default} unless {@code table=} is given):
 * {@code GET /get}, {@code POST /put}, {@code DELETE /delete}. A JSON object body sent as
 * {@code application/json} becomes columns; any other body is stored byte-for-byte in
 * {@code _value} and returned as {@code application/octet-stream}. A put is answered only once
 * {@link RiverEngine#write} returned, i.e. once it is as durable as {@code river.wal.sync}
 * promises. Stateless apart from its collaborators; thread-safe.
 */
final class KeyValueRoutes {
    static final String OCTET_STREAM = "application/octet-stream";

    private final EngineRef engines;
    private final RequestLimits limits;

    KeyValueRoutes(EngineRef engines, RequestLimits limits) {
        this.engines = engines;
        this.limits = limits;
    }

    void get(Context ctx) {
        Value v = lookup(limits.key(ctx), RequestLimits.table(ctx));
        Responses.send(ctx, 200, v.contentType(), v.body());
    }

    /** The 200 answer of {@code GET /get}: its content type and body. */
    record Value(String contentType, byte[] body) {}

    /**
     * The answer to {@code GET /get} for a checked key and table name (the one path the Javalin route
     * and {@link FastGetHandler} share): a value stored as bytes as itself ({@value #OCTET_STREAM}),
     * any other row as its JSON object ({@link RowJson}); a 404 {@link ApiException} for an unknown
     * table or a key without a live value.
     */
    Value lookup(String key, String tableName) {
        Table table = existingTable(engines.get(), tableName);
        Row row = table.get(key)
                .orElseThrow(() -> ApiException.notFound(
                        "key_not_found",
                        "no value for key '" + RequestLimits.clip(key) + "' in table '" + table.name() + "'"));
        Object raw = row.get(SystemColumns.VALUE);
        if (raw instanceof byte[] bytes) {
            return new Value(OCTET_STREAM, bytes);
        }
        return new Value(Json.CONTENT_TYPE, RowJson.toJson(row, table.schema()));
    }

    void put(Context ctx) throws IOException {
        String key = limits.key(ctx);
        String tableName = RequestLimits.table(ctx);
        byte[] body = limits.body(ctx);
        Map<String, Object> values = Json.isJson(ctx.header("Content-Type")) ? jsonValues(body) : null;
        if (values == null) {
            values = new LinkedHashMap<>();
            values.put(SystemColumns.VALUE, body);
        }
        values.put(SystemColumns.KEY, key);
        values.put(SystemColumns.INGESTED_AT, Instant.ofEpochMilli(System.currentTimeMillis()));

        RiverEngine engine = engines.get();
        Table table = engine.table(tableName).orElse(null);
        if (table == null) {
            table = engine.createTable(tableName, TableMode.UPSERT);
        }
        requireUpsert(table);
        WriteResult result = engine.write(WriteBatch.of(tableName, Row.of(key, values)));
        Json.respond(ctx, 200, Map.of("lsn", result.lsn()));
    }

    void delete(Context ctx) throws IOException {
        String key = limits.key(ctx);
        RiverEngine engine = engines.get();
        Table table = existingTable(engine, RequestLimits.table(ctx));
        requireUpsert(table);
        WriteResult result = engine.write(WriteBatch.of(table.name(), Row.tombstone(key)));
        Json.respond(ctx, 200, Map.of("lsn", result.lsn()));
    }

    static Table existingTable(RiverEngine engine, String name) {
        return engine.table(name)
                .orElseThrow(() -> ApiException.notFound("table_not_found", "table '" + name + "' does not exist"));
    }

    private static void requireUpsert(Table table) {
        if (table.mode() != TableMode.UPSERT) {
            throw new ApiException(
                    409,
                    "table_mode",
                    "table '" + table.name() + "' is an " + table.mode().configName()
                            + "-mode table; /put and /delete need an upsert table");
        }
    }

    /** Columns of a JSON object body; null when the JSON is valid but not an object (kept as bytes). */
    private static Map<String, Object> jsonValues(byte[] body) {
        JsonNode node = Json.parseBody(body);
        if (node.isMissingNode()) {
            throw ApiException.badRequest("malformed_json", "body is empty but Content-Type is application/json");
        }
        return node.isObject() ? RowJson.values(node) : null;
    }
}
