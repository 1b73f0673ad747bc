package io.river.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.river.engine.RiverEngine;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.WriteBatch;
import io.river.http.ServerPositions.Partition;
import io.river.http.ServerPositions.State;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The position routes of the sink protocol, all scoped by {@code scope} (a connector's name):
 *
 * <ul>
 *   <li>{@code GET /positions?scope=S}: every partition of the scope with its durable next offset
 *       and claim epoch.</li>
 *   <li>{@code POST /positions/claim?scope=S}, body {@code {"partitions":[{"topic","partition"}]}}:
 *       raises the epoch of each partition by one, durably (one WAL entry, fsynced), and answers
 *       the new epochs and the stored next offsets. From then on a write with an older epoch is
 *       refused: the previous owner is fenced.</li>
 *   <li>{@code POST /positions/sync?scope=S}: fsyncs the WAL (so deferred writes become durable)
 *       and answers as {@code GET /positions}.</li>
 * </ul>
 *
 * Thread-safe.
 */
final class PositionRoutes {
    private final EngineRef engines;
    private final ServerPositions positions;
    private final RequestLimits limits;

    PositionRoutes(EngineRef engines, ServerPositions positions, RequestLimits limits) {
        this.engines = engines;
        this.positions = positions;
        this.limits = limits;
    }

    void list(Context ctx) {
        String scope = ServerPositions.checkScope(ctx.queryParam("scope"));
        respond(ctx, scope, ServerPositions.scope(engines.get().durablePositions(), scope));
    }

    void sync(Context ctx) throws IOException {
        String scope = ServerPositions.checkScope(ctx.queryParam("scope"));
        RiverEngine engine = engines.get();
        engine.sync();
        respond(ctx, scope, ServerPositions.scope(engine.durablePositions(), scope));
    }

    void claim(Context ctx) throws IOException {
        String scope = ServerPositions.checkScope(ctx.queryParam("scope"));
        TreeSet<Partition> partitions = partitions(limits.body(ctx));
        RiverEngine engine = engines.get();
        List<State> claimed = new ArrayList<>();
        try (ServerPositions.Held held = positions.lock(scope, partitions)) {
            Map<SourcePartition, Long> applied = engine.positions();
            WriteBatch.Builder batch = WriteBatch.builder();
            for (Partition p : partitions) {
                State s = ServerPositions.state(applied, scope, p);
                batch.position(ServerPositions.epochKey(scope, p), s.epoch() + 1);
                claimed.add(new State(p, s.next(), s.epoch() + 1));
            }
            engine.write(batch.build());
            engine.sync(); // a claim is durable whatever river.wal.sync says: fencing must survive a crash
        }
        respond(ctx, scope, claimed);
    }

    private static TreeSet<Partition> partitions(byte[] body) {
        JsonNode list = Json.parseBody(body).get("partitions");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiException.badRequest(
                    "missing_partitions",
                    "body must be {\"partitions\":[{\"topic\":...,"
                            + "\"partition\":...}, ...]} with at least one partition");
        }
        TreeSet<Partition> out = new TreeSet<>();
        for (JsonNode item : list) {
            JsonNode topic = item.get("topic");
            JsonNode partition = item.get("partition");
            if (topic == null || !topic.isTextual() || partition == null || !partition.canConvertToLong()) {
                throw ApiException.badRequest(
                        "invalid_partition",
                        "each partition needs a text 'topic' and an " + "integer 'partition': "
                                + RequestLimits.clip(item.toString()));
            }
            out.add(ServerPositions.partition(topic.textValue(), partition.longValue()));
        }
        return out;
    }

    private static void respond(Context ctx, String scope, List<State> states) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (State s : states) {
            out.add(json(s));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", scope);
        body.put("partitions", out);
        Json.respond(ctx, 200, body);
    }

    /** A partition's state as JSON: {@code {"topic","partition","next","epoch"}} (next null when none is stored). */
    static Map<String, Object> json(State s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", s.partition().topic());
        m.put("partition", s.partition().partition());
        m.put("next", s.next());
        m.put("epoch", s.epoch());
        return m;
    }
}
