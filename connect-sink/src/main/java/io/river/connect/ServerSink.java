package io.river.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.connect.server.RiverClient;
import io.river.connect.server.TlsContexts;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server mode of the sink ({@code river.server.url}): the task opens no engine; a River
 * server that the whole Connect cluster shares holds the rows, the positions and the fencing.
 * Positions are scoped by the connector's name and kept per (topic, partition) with a claim
 * epoch, atomically with the rows (see {@code POST /ingest} and {@code /positions/claim}).
 *
 * <ol>
 *   <li>{@link #open}: claims the partitions (raising their epochs, which fences any earlier
 *       owner) and seeks each to River's next offset, one record earlier as in embedded mode.
 *       River unreachable: the partitions stay unclaimed and the next {@link #put} claims them
 *       (or retries).</li>
 *   <li>{@link #put}: drops records below River's position, converts the rest, and sends one
 *       Arrow request per table with every partition's {@code from:next:epoch}. A refused row
 *       goes to the dead letter queue and the rest is sent again; a fenced partition is dropped
 *       from the task quietly (paused until the rebalance takes it away); a position gap rewinds
 *       the partition to River's position; River down, a timeout or a 5xx is a
 *       {@link RetriableException} with a growing back-off, so the task stays RUNNING.</li>
 *   <li>{@link #preCommit}: reports only positions River holds durably: requests are sent
 *       {@code River-Durability: deferred} (answered once applied, before the fsync, so a put() never
 *       waits for one), and preCommit first asks River to sync ({@code POST /positions/sync}), as
 *       the embedded mode syncs its WAL there. If River lost deferred writes (killed before the
 *       sync), the next request's position check (409 {@code position_gap}) rewinds the partition.</li>
 * </ol>
 *
 * Every method runs on the task's thread; no locking.
 */
final class ServerSink implements SinkBackend {
    private static final Logger log = LoggerFactory.getLogger(ServerSink.class);
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final SinkTaskContext context;
    private final TableMode mode;
    /** {@code river.table.retention.ms}, sent with each ingest (applied only when it creates the table). */
    private long tableRetentionMs;

    private final TableRouter router;
    private final RecordConverter converter;
    private final ErrantRecords errant;
    private final String scope;
    private RiverClient client;
    private BufferAllocator allocator;
    private final Map<String, TableSchema> schemas = new HashMap<>();
    private final Map<TopicPartition, Claim> claims = new HashMap<>();
    private final Set<TopicPartition> unclaimed = new LinkedHashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private long backoffMs = FIRST_BACKOFF_MS;
    private boolean unsyncedAcks;

    /** A partition this task owns on the server: its epoch and River's next offset (null: none stored). */
    private static final class Claim {
        final long epoch;
        Long next;
        /** A seek to {@link #next} is on its way: records past it were fetched before the seek. */
        boolean seeking;

        Claim(long epoch, Long next) {
            this.epoch = epoch;
            this.next = next;
        }
    }

    ServerSink(SinkParts parts, String connectorName) {
        this.context = parts.context();
        this.mode = parts.mode();
        this.router = parts.router();
        this.converter = parts.converter();
        this.errant = parts.errant();
        if (connectorName == null || connectorName.isBlank()) {
            throw new ConnectException("River's server mode scopes positions by the connector's name, and this "
                    + "task's configuration has no 'name'");
        }
        this.scope = connectorName;
    }

    @Override
    public void start(RiverConfig config) {
        SSLContext ssl = null;
        String urls = config.get(RiverConfigKeys.SERVER_URL);
        if (urls.contains("https://")) {
            try {
                ssl = TlsContexts.forTruststore(
                        config.get(RiverConfigKeys.SERVER_TRUSTSTORE_PATH),
                        config.get(RiverConfigKeys.SERVER_TRUSTSTORE_PASSWORD),
                        config.get(RiverConfigKeys.SERVER_TRUSTSTORE_TYPE));
            } catch (IOException | RuntimeException e) {
                throw new ConnectException("River cannot load its truststore: " + e.getMessage(), e);
            }
        }
        client = new RiverClient(
                urls,
                config.get(RiverConfigKeys.SERVER_AUTH_TOKEN),
                Duration.ofMillis(config.get(RiverConfigKeys.SERVER_TIMEOUT_MS)),
                ssl);
        allocator = new RootAllocator(Long.MAX_VALUE);
        tableRetentionMs = config.get(RiverConfigKeys.TABLE_RETENTION_MS);
        log.info("River sink in server mode: {} (scope '{}')", urls, scope);
    }

    // ---------------------------------------------------------------- open: claim and seek

    @Override
    public void open(Collection<TopicPartition> partitions) {
        unclaimed.addAll(partitions);
        try {
            claim();
        } catch (RiverClient.Unavailable e) {
            log.warn("River is unavailable; {} will be claimed on the next put: {}", partitions, e.getMessage());
        }
    }

    private void claim() throws RiverClient.Unavailable {
        if (unclaimed.isEmpty()) {
            return;
        }
        List<Map<String, Object>> body = new ArrayList<>();
        for (TopicPartition tp : unclaimed) {
            body.add(Map.of("topic", tp.topic(), "partition", tp.partition()));
        }
        JsonNode answer;
        try {
            answer = client.claim(scope, body);
        } catch (RiverClient.Refused e) {
            throw new ConnectException("River refused to claim " + unclaimed + ": " + e.getMessage(), e);
        }
        Map<TopicPartition, Long> seeks = new HashMap<>();
        for (JsonNode p : answer.path("partitions")) {
            TopicPartition tp = new TopicPartition(
                    p.path("topic").asText(), p.path("partition").asInt());
            JsonNode next = p.path("next");
            Claim claim = new Claim(p.path("epoch").asLong(), next.isNumber() ? next.asLong() : null);
            if (claim.next != null) {
                // One record before River's position, as in embedded mode: Kafka then commits even a quiet
                // partition's offset once that record passes; put() drops it.
                seeks.put(tp, claim.next > 0 ? claim.next - 1 : claim.next);
                claim.seeking = true;
            }
            claims.put(tp, claim);
            unclaimed.remove(tp);
            if (paused.remove(tp)) {
                context.resume(tp);
            }
        }
        if (!seeks.isEmpty()) {
            context.offset(seeks);
        }
        log.debug("Claimed {} in scope '{}'", seeks.keySet(), scope);
    }

    // ---------------------------------------------------------------- put: convert, send per table

    /**
     * The rows of one table in one put, column by column ({@link ColumnBatch}), with the records they came
     * from (row i from record i) and each partition's next offset.
     */
    private static final class Group {
        final String table;
        final ColumnBatch rows;
        final List<SinkRecord> records = new ArrayList<>();
        final Map<TopicPartition, Long> next = new LinkedHashMap<>();

        Group(String table, TableSchema schema) {
            this.table = table;
            this.rows = new ColumnBatch(schema);
        }

        void drop(TopicPartition tp) {
            next.remove(tp);
            rows.retain(i -> !partitionOf(records.get(i)).equals(tp));
            records.removeIf(r -> partitionOf(r).equals(tp));
        }

        void remove(int index) {
            rows.retain(i -> i != index);
            records.remove(index);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            claim();
        } catch (RiverClient.Unavailable e) {
            throw retry(e);
        }
        if (records.isEmpty()) {
            return;
        }
        Map<String, Group> groups = convert(records);
        for (Group group : groups.values()) {
            send(group);
        }
        backoffMs = FIRST_BACKOFF_MS;
    }

    private Map<String, Group> convert(Collection<SinkRecord> records) {
        Instant ingestedAt = Instant.now();
        Map<String, Group> groups = new LinkedHashMap<>();
        Set<TopicPartition> seen = new HashSet<>();
        Set<TopicPartition> skipped = new HashSet<>();
        for (SinkRecord record : records) {
            TopicPartition tp = partitionOf(record);
            Claim claim = claims.get(tp);
            if (claim == null || skipped.contains(tp)) {
                continue; // fenced, or not (yet) this task's
            }
            long offset = record.originalKafkaOffset();
            if (seen.add(tp) && claim.seeking) {
                claim.seeking = false;
                if (claim.next != null && offset > claim.next) {
                    skipped.add(tp); // fetched before the seek to River's position: the seek redelivers them
                    continue;
                }
            }
            if (claim.next != null && offset < claim.next) {
                continue; // already in River
            }
            String table = router.table(record.topic());
            Group group = groups.computeIfAbsent(table, t -> new Group(t, schema(t)));
            group.next.merge(tp, offset + 1, Math::max);
            try {
                if (converter.convertInto(record, ingestedAt, group.rows)) {
                    group.rows.endRow(); // a SchemaException here has dropped the row
                    group.records.add(record);
                }
            } catch (RecordException e) {
                group.rows.abortRow();
                errant.report(record, e);
            } catch (SchemaException e) {
                errant.report(record, e);
            }
        }
        for (Group group : groups.values()) {
            schemas.put(group.table, group.rows.schema());
        }
        return groups;
    }

    private TableSchema schema(String table) {
        return schemas.computeIfAbsent(table, t -> TableSchema.initial());
    }

    /** Sends a table's rows until River stores them, setting aside what it refuses. */
    private void send(Group group) {
        while (!group.next.isEmpty()) {
            errant.awaitReports();
            byte[] body = group.rows.encode(allocator);
            try {
                JsonNode answer = client.ingest(
                        query(group.table),
                        RiverClient.ARROW_STREAM,
                        body,
                        Map.of("River-Positions", positions(group), "River-Durability", "deferred"));
                acknowledge(group, answer);
                return;
            } catch (RiverClient.Refused e) {
                handle(group, e);
            } catch (RiverClient.Unavailable e) {
                throw retry(e);
            }
        }
    }

    private String query(String table) {
        return "table=" + RiverClient.enc(table) + "&mode=" + mode.configName()
                + (mode == TableMode.UPSERT ? "&key=" + SystemColumns.KEY : "")
                + (tableRetentionMs > 0 ? "&retention.ms=" + tableRetentionMs : "")
                + "&scope=" + RiverClient.enc(scope);
    }

    private String positions(Group group) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<TopicPartition, Long> e : group.next.entrySet()) {
            Claim claim = claims.get(e.getKey());
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.getKey().topic())
                    .append(':')
                    .append(e.getKey().partition())
                    .append(':')
                    .append(claim.next == null ? -1 : claim.next)
                    .append(':')
                    .append(e.getValue())
                    .append(':')
                    .append(claim.epoch);
        }
        return sb.toString();
    }

    private void acknowledge(Group group, JsonNode answer) {
        for (Map.Entry<TopicPartition, Long> e : group.next.entrySet()) {
            Claim claim = claims.get(e.getKey());
            if (claim != null) {
                claim.next = e.getValue();
            }
        }
        if (!answer.path("durable").asBoolean(true)) {
            unsyncedAcks = true;
        }
    }

    private void handle(Group group, RiverClient.Refused refused) {
        switch (refused.code()) {
            case "fenced":
                for (TopicPartition tp : partitionsOf(refused)) {
                    fence(tp);
                    group.drop(tp);
                }
                return;
            case "position_gap":
                for (JsonNode p : refused.error().path("partitions")) {
                    TopicPartition tp = new TopicPartition(
                            p.path("topic").asText(), p.path("partition").asInt());
                    rewind(tp, p.path("next").asLong());
                    group.drop(tp);
                }
                return;
            case "bad_row":
                int index = refused.error().path("row").asInt() - 1;
                if (index < 0 || index >= group.rows.size()) {
                    throw new ConnectException("River refused a row it cannot name: " + refused.getMessage(), refused);
                }
                SinkRecord bad = group.records.get(index);
                group.remove(index);
                errant.report(bad, new RecordException(refused.getMessage(), refused));
                return;
            default:
                throw new ConnectException(
                        "River refused a write to table " + group.table + ": " + refused.getMessage(), refused);
        }
    }

    private static List<TopicPartition> partitionsOf(RiverClient.Refused refused) {
        List<TopicPartition> out = new ArrayList<>();
        for (JsonNode p : refused.error().path("partitions")) {
            out.add(new TopicPartition(
                    p.path("topic").asText(), p.path("partition").asInt()));
        }
        return out;
    }

    /** Another task claimed the partition: forget it and stop fetching it until the rebalance settles. */
    private void fence(TopicPartition tp) {
        if (claims.remove(tp) != null) {
            log.info("Partition {} was claimed by another task of connector '{}'; this task drops it", tp, scope);
        }
        if (paused.add(tp)) {
            context.pause(tp);
        }
    }

    /** River holds less than this task believed (a deferred write lost): go back to River's position. */
    private void rewind(TopicPartition tp, long next) {
        Claim claim = claims.get(tp);
        if (claim == null) {
            return;
        }
        log.warn("River's next offset of {} is {}, behind what this task sent; rewinding there", tp, next);
        claim.next = next;
        claim.seeking = true;
        context.offset(tp, next);
    }

    private RetriableException retry(RiverClient.Unavailable e) {
        long wait = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        context.timeout(wait);
        log.warn("River is unavailable; retrying in {} ms: {}", wait, e.getMessage());
        return new RetriableException("River is unavailable: " + e.getMessage(), e);
    }

    private static TopicPartition partitionOf(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }

    // ---------------------------------------------------------------- commit, close

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, Long> durable = null;
        if (unsyncedAcks) {
            try {
                durable = durable(client.sync(scope));
                unsyncedAcks = false;
            } catch (RiverClient.Unavailable | RiverClient.Refused e) {
                log.warn("River could not sync; committing no offsets this time: {}", e.getMessage());
                return Map.of();
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Claim claim = claims.get(tp);
            if (claim == null || claim.next == null) {
                continue;
            }
            long next = claim.next;
            if (durable != null) {
                Long d = durable.get(tp);
                if (d == null) {
                    continue;
                }
                next = Math.min(next, d);
            }
            commit.put(tp, new OffsetAndMetadata(next));
        }
        return commit;
    }

    private static Map<TopicPartition, Long> durable(JsonNode positions) {
        Map<TopicPartition, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (JsonNode p : positions.path("partitions")) {
            if (p.path("next").isNumber()) {
                out.put(
                        new TopicPartition(
                                p.path("topic").asText(), p.path("partition").asInt()),
                        p.path("next").asLong());
            }
        }
        return out;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            claims.remove(tp);
            unclaimed.remove(tp);
            paused.remove(tp);
        }
    }

    @Override
    public void stop() {
        claims.clear();
        unclaimed.clear();
        schemas.clear();
        if (allocator != null) {
            allocator.close();
            allocator = null;
        }
    }
}
