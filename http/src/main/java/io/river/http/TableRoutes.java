package io.river.http;

import io.javalin.http.Context;
import io.river.engine.RiverEngine;
import io.river.engine.model.Column;
import io.river.engine.model.SourcePartition;
import io.river.engine.scan.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /tables} and {@code GET /tables/{name}}: the tables, their modes, schemas, row
 * estimates and figures, and the engine's durable source positions. Read-only; thread-safe.
 */
final class TableRoutes {
    private final EngineRef engines;

    TableRoutes(EngineRef engines) {
        this.engines = engines;
    }

    void list(Context ctx) {
        List<Map<String, Object>> tables = new ArrayList<>();
        for (Table t : engines.get().tables()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("mode", t.mode().configName());
            m.put("schemaVersion", t.schema().version());
            m.put("columns", t.schema().columns().size());
            m.put("estimatedRows", t.estimatedRows());
            tables.add(m);
        }
        tables.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
        Json.respond(ctx, 200, Map.of("tables", tables));
    }

    void describe(Context ctx) {
        String name = RequestLimits.tableName(ctx.pathParam("name"));
        RiverEngine engine = engines.get();
        Table t = KeyValueRoutes.existingTable(engine, name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("mode", t.mode().configName());
        m.put("schemaVersion", t.schema().version());
        List<Map<String, String>> columns = new ArrayList<>();
        for (Column c : t.schema().columns()) {
            Map<String, String> col = new LinkedHashMap<>();
            col.put("name", c.name());
            col.put("type", c.type().name());
            columns.add(col);
        }
        m.put("columns", columns);
        m.put("estimatedRows", t.estimatedRows());
        m.put("stats", t.stats());
        m.put("sourcePositions", positions(engine.durablePositions()));
        Json.respond(ctx, 200, m);
    }

    /** Positions as a list of {stream, partition, nextOffset}, in (stream, partition) order. */
    static List<Map<String, Object>> positions(Map<SourcePartition, Long> positions) {
        List<Map<String, Object>> out = new ArrayList<>();
        positions.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("stream", e.getKey().stream());
            p.put("partition", e.getKey().partition());
            p.put("nextOffset", e.getValue());
            out.add(p);
        });
        return out;
    }
}
