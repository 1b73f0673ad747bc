package io.river.http;

import io.javalin.http.Context;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import io.river.engine.WriteResult;
import io.river.engine.model.ColumnType;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import io.river.http.ServerPositions.Partition;
import io.river.http.ServerPositions.State;
import io.river.http.ingest.IngestFormats;
import io.river.http.ingest.IngestReader;
import io.river.http.ingest.IngestRowException;
import io.river.http.ingest.TooManyRowsException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;

/**
 * {@code POST /ingest?table=T[&mode=append|upsert][&key=COL][&scope=S][&retention.ms=N]}: a whole body of rows
 * (NDJSON, CSV or an Arrow IPC stream) stored as one atomic WAL entry, answered
 * {@code {"lsn","rows","skipped","durable"}} once as durable as {@code river.wal.sync} promises
 * (or at once with {@code River-Durability: deferred}; {@code POST /positions/sync} then makes it
 * durable). Steps of a request:
 *
 * <ol>
 *   <li>Check the parameters and open the table, creating it with the mode given (default
 *       append; upsert needs {@code key}, the column whose value becomes {@code _key}). A table
 *       declared with {@code CREATE TABLE ... PRIMARY KEY (col)} is keyed by that column without
 *       {@code key}; {@code key=_key} (the server-mode sink's) is keyed by it too, any other
 *       {@code key} is a 400 {@code key_conflict}. {@code retention.ms} gives a table this request
 *       creates its own retention (an existing table keeps its setting).</li>
 *   <li>Read the body within {@code river.ingest.max.body.bytes} and {@code river.ingest.max.rows}
 *       (413 past them) into rows typed for the table's schema; a bad row refuses the whole
 *       request with 400 naming its row/line and column.</li>
 *   <li>Give each row its primary key: the key column's text (upsert; {@code _deleted=true}
 *       makes a delete), {@code <topic>/<partition>/<offset>} for rows carrying their source
 *       position, otherwise an id unique to this request and row.</li>
 *   <li>With a {@code scope} (the sink protocol, positions in the {@code River-Positions}
 *       header), under the partitions' locks: refuse a stale epoch (409 {@code fenced}) or a
 *       batch starting past the stored position (409 {@code position_gap}), drop rows below the
 *       stored next offset, and write the rest with the new positions.</li>
 * </ol>
 *
 * Thread-safe.
 */
final class IngestRoute {
    static final String POSITIONS_HEADER = "River-Positions";
    static final String DURABILITY_HEADER = "River-Durability";
    /** Query parameter: the retention (ms) of a table the request creates. */
    static final String RETENTION_PARAM = "retention.ms";

    private final EngineRef engines;
    private final ServerPositions positions;
    private final long maxBodyBytes;
    private final long maxRows;
    /** Arrow memory one request may take: a compressed stream may decode to more than its body. */
    private final long arrowLimit;

    private final AtomicLong requests = new AtomicLong(new SecureRandom().nextInt() & 0xffffffffL);

    IngestRoute(EngineRef engines, ServerPositions positions, RiverConfig config) {
        this.engines = engines;
        this.positions = positions;
        this.maxBodyBytes = config.get(RiverConfigKeys.INGEST_MAX_BODY_BYTES);
        this.maxRows = config.get(RiverConfigKeys.INGEST_MAX_ROWS);
        this.arrowLimit = Math.max(64L << 20, Math.min(Long.MAX_VALUE / 8, maxBodyBytes) * 8);
    }

    /** A partition named in {@code River-Positions}: this batch continues from {@code from} up to {@code next}. */
    record Declared(Partition partition, long from, long next, long epoch) {}

    void post(Context ctx) {
        RiverEngine engine = engines.get();
        String tableName = ctx.queryParam("table");
        if (tableName == null) {
            throw ApiException.badRequest("missing_table", "query parameter 'table' is required");
        }
        RequestLimits.tableName(tableName);
        TableMode mode = mode(ctx.queryParam("mode"));
        String keyColumn = ctx.queryParam("key");
        TableRetention retention = retention(ctx.queryParam(RETENTION_PARAM));
        String scope = ctx.queryParam("scope");
        List<Declared> declared = scope == null ? List.of() : declared(ctx.header(POSITIONS_HEADER));
        if (scope != null) {
            ServerPositions.checkScope(scope);
        }
        boolean deferred = "deferred".equalsIgnoreCase(ctx.header(DURABILITY_HEADER));
        try (BufferAllocator allocator = engine.allocator().newChildAllocator("ingest", 0, arrowLimit)) {
            IngestReader reader = IngestFormats.forContentType(ctx.contentType(), allocator);
            if (reader == null) {
                throw new ApiException(
                        415,
                        "unsupported_media_type",
                        "Content-Type '" + ctx.contentType() + "' is not an ingest format: use one of "
                                + IngestFormats.mediaTypes());
            }
            Table table = openTable(engine, tableName, mode, keyColumn, retention);
            String declaredKey = table.constraints().keyColumn();
            String key = declaredKey != null ? declaredKey : keyColumn;
            TableColumns rows = read(ctx, reader, table);
            Keyed keyed = key(tableName, table.schema(), rows, table.mode(), key, scope != null);
            Map<String, Object> answer = scope == null
                    ? write(engine, tableName, keyed, List.of(), null, deferred)
                    : writeScoped(engine, tableName, keyed, scope, declared, deferred);
            Json.respond(ctx, 200, answer);
        }
    }

    // ---------------------------------------------------------------- step 1: parameters, table

    private static TableMode mode(String text) {
        if (text == null) {
            return null;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "append":
                return TableMode.APPEND;
            case "upsert":
                return TableMode.UPSERT;
            default:
                throw ApiException.badRequest(
                        "invalid_mode", "mode '" + RequestLimits.clip(text) + "' is not append or upsert");
        }
    }

    /** The retention a table created by the request gets: {@code retention.ms} (0 keeps forever), or none. */
    private static TableRetention retention(String text) {
        if (text == null) {
            return TableRetention.NONE;
        }
        try {
            long ms = Long.parseLong(text.trim());
            if (ms >= 0) {
                return new TableRetention(ms, null);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest(
                "invalid_retention",
                RETENTION_PARAM + " '" + RequestLimits.clip(text) + "' is not a number of milliseconds (0 or more)");
    }

    private static Table openTable(
            RiverEngine engine, String name, TableMode mode, String keyColumn, TableRetention retention) {
        Table table = engine.table(name).orElse(null);
        if (table == null) {
            TableMode create = mode == null ? TableMode.APPEND : mode;
            checkKey(create, keyColumn);
            try {
                return engine.createTable(name, create, retention);
            } catch (IOException e) {
                throw new IllegalStateException("creating table " + name + " failed: " + e.getMessage(), e);
            }
        }
        if (mode != null && mode != table.mode()) {
            throw new ApiException(
                    409,
                    "table_mode_conflict",
                    "table '" + name + "' exists in " + table.mode().configName() + " mode, not " + mode.configName());
        }
        String declared = table.constraints().keyColumn();
        if (declared != null
                && keyColumn != null
                && !declared.equals(keyColumn)
                && !SystemColumns.KEY.equals(keyColumn)) {
            throw ApiException.badRequest(
                    "key_conflict",
                    "table '" + name + "' is keyed by its PRIMARY KEY '" + declared + "', not '"
                            + RequestLimits.clip(keyColumn) + "'; leave out 'key'");
        }
        checkKey(table.mode(), keyColumn != null ? keyColumn : declared);
        return table;
    }

    private static void checkKey(TableMode mode, String keyColumn) {
        if (mode == TableMode.UPSERT && (keyColumn == null || keyColumn.isEmpty())) {
            throw ApiException.badRequest(
                    "missing_key_column",
                    "an upsert table needs query parameter 'key', the " + "column whose value becomes _key");
        }
        if (mode == TableMode.APPEND && keyColumn != null) {
            throw ApiException.badRequest(
                    "key_on_append", "query parameter 'key' is for upsert tables; this one " + "is append-only");
        }
    }

    // ---------------------------------------------------------------- step 2: the body

    private TableColumns read(Context ctx, IngestReader reader, Table table) {
        long declaredLength = ctx.req().getContentLengthLong();
        if (declaredLength > maxBodyBytes) {
            RequestLimits.drainRefusedBody(ctx);
            throw bodyTooLarge(declaredLength);
        }
        try (InputStream in = new LimitedInputStream(ctx.req().getInputStream(), maxBodyBytes)) {
            return reader.readColumns(in, table.schema(), maxRows);
        } catch (LimitedInputStream.LimitExceeded e) {
            throw bodyTooLarge(e.bytes());
        } catch (OutOfMemoryException e) {
            throw new ApiException(
                    413,
                    "body_too_large",
                    "the Arrow body decodes to more than " + arrowLimit + " bytes; send smaller batches");
        } catch (TooManyRowsException e) {
            throw new ApiException(
                    413,
                    "too_many_rows",
                    "the body has more than " + e.limit()
                            + " rows (river.ingest.max.rows); split it into several requests");
        } catch (IngestRowException e) {
            throw badRow(e.getMessage(), e.row(), e.line(), e.column());
        } catch (IOException e) {
            throw ApiException.badRequest("body_unreadable", "could not read the request body: " + e.getMessage());
        }
    }

    private ApiException bodyTooLarge(long bytes) {
        return new ApiException(
                413,
                "body_too_large",
                "request body (at least " + bytes + " bytes) is over the limit of " + maxBodyBytes
                        + " bytes (river.ingest.max.body.bytes)");
    }

    private static ApiException badRow(String message, long row, long line, String column) {
        ApiException e = ApiException.badRequest("bad_row", message).with("row", row);
        if (line > 0) {
            e.with("line", line);
        }
        return column == null ? e : e.with("column", column);
    }

    // ---------------------------------------------------------------- step 3: primary keys

    /**
     * The body's rows in columns with their primary keys and delete flags, and per row its 1-based row
     * number in the body and source position (when it carries one: partition null and offset -1 when not).
     */
    private record Keyed(TableColumns rows, int[] numbers, Partition[] partitions, long[] offsets) {
        int size() {
            return rows.rows();
        }

        /** Rows {@code keep} (ascending) only. */
        Keyed select(int[] keep) {
            int[] n = new int[keep.length];
            Partition[] p = new Partition[keep.length];
            long[] o = new long[keep.length];
            for (int i = 0; i < keep.length; i++) {
                n[i] = numbers[keep[i]];
                p[i] = partitions[keep[i]];
                o[i] = offsets[keep[i]];
            }
            return new Keyed(rows.select(keep), n, p, o);
        }
    }

    /**
     * Gives each row its primary key and delete flag: {@code _deleted} becomes the delete flag (its
     * column is dropped), an upsert row's key column's text becomes the key and {@code _key}, and
     * {@code _ingested_at} is set where the body leaves it out. A body without deletes keeps its
     * columns as they are; with deletes its rows are collected again without the deletes' values, so
     * that those neither add nor widen a column.
     */
    private Keyed key(
            String table, TableSchema schema, TableColumns body, TableMode mode, String keyColumn, boolean scoped) {
        int n = body.rows();
        Instant now = Instant.now();
        String prefix = null;
        boolean[] deleted = bits(body.column(SystemColumns.DELETED), n);
        TableColumns.Values topics = body.column(SystemColumns.TOPIC);
        TableColumns.Values partitionValues = body.column(SystemColumns.PARTITION);
        TableColumns.Values offsetValues = body.column(SystemColumns.OFFSET);
        TableColumns.Values keys = mode == TableMode.UPSERT ? body.column(keyColumn) : null;
        String[] pks = new String[n];
        int[] numbers = new int[n];
        Partition[] partitions = new Partition[n];
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            int number = i + 1;
            numbers[i] = number;
            Object topic = TableColumns.value(topics, i);
            Object partition = TableColumns.value(partitionValues, i);
            Object offset = TableColumns.value(offsetValues, i);
            boolean positioned = topic instanceof String && partition instanceof Integer && offset instanceof Long;
            if (scoped && !positioned) {
                throw badRow(
                        "row " + number + ": a request with a scope needs _topic, _partition and _offset on "
                                + "every row",
                        number,
                        0,
                        missingPosition(topic, partition, offset));
            }
            if (mode == TableMode.UPSERT) {
                pks[i] = keyText(TableColumns.value(keys, i), number, keyColumn);
            } else if (deleted[i]) {
                throw badRow("row " + number + ": _deleted on an append-only table", number, 0, SystemColumns.DELETED);
            } else if (positioned) {
                pks[i] = topic + "/" + SystemColumns.appendKey((Integer) partition, (Long) offset);
            } else {
                if (prefix == null) {
                    prefix = String.format("%011x%08x/", now.toEpochMilli(), requests.getAndIncrement() & 0xffffffffL);
                }
                pks[i] = prefix + zeroPadded(number);
            }
            partitions[i] = positioned ? ServerPositions.partition((String) topic, (Integer) partition) : null;
            offsets[i] = positioned ? (Long) offset : -1L;
        }
        TableColumns rows = anyTrue(deleted)
                ? withoutDeletedValues(table, schema, body, mode, pks, deleted, now)
                : keyedColumns(table, body, mode, pks, deleted, now);
        return new Keyed(rows, numbers, partitions, offsets);
    }

    /** Whether the column is written as the body has it: not {@code _deleted} nor a column the route sets. */
    private static boolean kept(String name, TableMode mode) {
        return !name.equals(SystemColumns.DELETED)
                && !(mode == TableMode.UPSERT && name.equals(SystemColumns.KEY))
                && !name.equals(SystemColumns.INGESTED_AT);
    }

    /** The body's columns with the keys, {@code _key} (upsert) and {@code _ingested_at}; no row is a delete. */
    private static TableColumns keyedColumns(
            String table, TableColumns body, TableMode mode, String[] pks, boolean[] deleted, Instant now) {
        int n = body.rows();
        List<TableColumns.Values> columns = new ArrayList<>(body.columns().size() + 2);
        for (TableColumns.Values v : body.columns()) {
            if (kept(v.name(), mode)) {
                columns.add(v);
            }
        }
        if (mode == TableMode.UPSERT) {
            columns.add(TableColumns.values(SystemColumns.KEY, ColumnType.STRING, filled(n), pks.clone()));
        }
        columns.add(ingestedAt(body.column(SystemColumns.INGESTED_AT), n, now));
        return new TableColumns(table, n, pks, deleted, columns);
    }

    /** The body's rows collected again, a delete's values left out. */
    private static TableColumns withoutDeletedValues(
            String table,
            TableSchema schema,
            TableColumns body,
            TableMode mode,
            String[] pks,
            boolean[] deleted,
            Instant now) {
        TableColumns.Builder out = new TableColumns.Builder(table, schema);
        TableColumns.Values given = body.column(SystemColumns.INGESTED_AT);
        for (int i = 0; i < body.rows(); i++) {
            if (!deleted[i]) {
                for (TableColumns.Values v : body.columns()) {
                    if (kept(v.name(), mode) && v.present()[i]) {
                        out.put(v.name(), TableColumns.value(v, i));
                    }
                }
                if (mode == TableMode.UPSERT) {
                    out.put(SystemColumns.KEY, pks[i]);
                }
                Object at = TableColumns.value(given, i);
                out.put(SystemColumns.INGESTED_AT, at == null ? now : at);
            }
            out.endRow(pks[i], deleted[i]);
        }
        return out.build();
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    /** The column's BOOLEAN values as flags (false where NULL or absent). */
    private static boolean[] bits(TableColumns.Values v, int n) {
        boolean[] out = new boolean[n];
        for (int i = 0; v != null && v.type() == ColumnType.BOOLEAN && i < n; i++) {
            out[i] = v.present()[i] && ((boolean[]) v.data())[i];
        }
        return out;
    }

    private static boolean[] filled(int n) {
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        return all;
    }

    /** The body's {@code _ingested_at} values, {@code now} where a row has none. */
    private static TableColumns.Values ingestedAt(TableColumns.Values given, int n, Instant now) {
        long[] millis = new long[n];
        long nowMillis = now.toEpochMilli();
        for (int i = 0; i < n; i++) {
            millis[i] = given != null && given.present()[i] ? ((long[]) given.data())[i] : nowMillis;
        }
        return TableColumns.values(SystemColumns.INGESTED_AT, ColumnType.TIMESTAMP, filled(n), millis);
    }

    /** {@code number} as 10 decimal digits, zero-padded (by hand: String.format per row was 11% of ingest CPU). */
    private static String zeroPadded(int number) {
        char[] digits = new char[10];
        int v = number;
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return new String(digits);
    }

    private static String missingPosition(Object topic, Object partition, Object offset) {
        if (!(topic instanceof String)) {
            return SystemColumns.TOPIC;
        }
        return partition instanceof Integer ? SystemColumns.OFFSET : SystemColumns.PARTITION;
    }

    private static String keyText(Object key, int number, String keyColumn) {
        if (key instanceof String || key instanceof Long || key instanceof Integer) {
            String text = key.toString();
            if (!text.isEmpty()) {
                return text;
            }
        }
        throw badRow(
                "row " + number + ", column '" + keyColumn + "': the key column needs a non-empty text or "
                        + "integer value" + (key == null ? ", and this row has none" : ""),
                number,
                0,
                keyColumn);
    }

    // ---------------------------------------------------------------- step 4: positions and the write

    private Map<String, Object> writeScoped(
            RiverEngine engine, String table, Keyed keyed, String scope, List<Declared> declared, boolean deferred) {
        Map<Partition, Declared> byPartition = new LinkedHashMap<>();
        for (Declared d : declared) {
            if (byPartition.put(d.partition(), d) != null) {
                throw ApiException.badRequest(
                        "invalid_positions", POSITIONS_HEADER + " names " + d.partition() + " twice");
            }
        }
        for (int i = 0; i < keyed.size(); i++) {
            Declared d = byPartition.get(keyed.partitions()[i]);
            int number = keyed.numbers()[i];
            if (d == null) {
                throw badRow(
                        "row " + number + " is from " + keyed.partitions()[i] + ", which " + POSITIONS_HEADER
                                + " does not name",
                        number,
                        0,
                        SystemColumns.PARTITION);
            }
            if (keyed.offsets()[i] >= d.next()) {
                throw badRow(
                        "row " + number + " has offset " + keyed.offsets()[i] + ", not below the next offset "
                                + d.next() + " declared for " + d.partition(),
                        number,
                        0,
                        SystemColumns.OFFSET);
            }
        }
        try (ServerPositions.Held held = positions.lock(scope, byPartition.keySet())) {
            Map<SourcePartition, Long> applied = engine.positions();
            checkEpochs(applied, scope, byPartition.values());
            checkGaps(applied, scope, byPartition.values());
            Keyed kept = dropStored(keyed, applied, scope);
            Map<String, Object> answer = write(engine, table, kept, byPartition.values(), scope, deferred);
            answer.put("skipped", keyed.size() - kept.size());
            return answer;
        }
    }

    private static void checkEpochs(Map<SourcePartition, Long> applied, String scope, Iterable<Declared> declared) {
        List<Map<String, Object>> fenced = new ArrayList<>();
        for (Declared d : declared) {
            State s = ServerPositions.state(applied, scope, d.partition());
            if (s.epoch() != d.epoch()) {
                fenced.add(PositionRoutes.json(s));
            }
        }
        if (!fenced.isEmpty()) {
            throw new ApiException(
                            409,
                            "fenced",
                            "the request's claim epoch is not the current claim of " + fenced.size()
                                    + " partition(s) (another task claimed them); nothing was written")
                    .with("partitions", fenced);
        }
    }

    private static void checkGaps(Map<SourcePartition, Long> applied, String scope, Iterable<Declared> declared) {
        List<Map<String, Object>> gaps = new ArrayList<>();
        for (Declared d : declared) {
            State s = ServerPositions.state(applied, scope, d.partition());
            if (s.next() != null && d.from() >= 0 && d.from() > s.next()) {
                gaps.add(PositionRoutes.json(s));
            }
        }
        if (!gaps.isEmpty()) {
            throw new ApiException(
                            409,
                            "position_gap",
                            "the batch continues past River's stored next offset of "
                                    + gaps.size()
                                    + " partition(s) (River lost a deferred write, or the client skipped offsets); "
                                    + "rewind to the stored positions; nothing was written")
                    .with("partitions", gaps);
        }
    }

    /** The rows whose offsets River does not hold yet (all of them, as they are, when none is held). */
    private static Keyed dropStored(Keyed keyed, Map<SourcePartition, Long> applied, String scope) {
        int[] keep = new int[keyed.size()];
        int k = 0;
        for (int i = 0; i < keyed.size(); i++) {
            Long next = applied.get(ServerPositions.offsetKey(scope, keyed.partitions()[i]));
            if (next == null || keyed.offsets()[i] >= next) {
                keep[k++] = i;
            }
        }
        return k == keyed.size() ? keyed : keyed.select(java.util.Arrays.copyOf(keep, k));
    }

    private static Map<String, Object> write(
            RiverEngine engine,
            String table,
            Keyed keyed,
            Iterable<Declared> declared,
            String scope,
            boolean deferred) {
        WriteBatch.Builder batch = WriteBatch.builder();
        if (keyed.size() > 0) {
            batch.add(keyed.rows());
        }
        for (Declared d : declared) {
            batch.position(ServerPositions.offsetKey(scope, d.partition()), d.next());
        }
        WriteResult result;
        try {
            result = deferred ? engine.writeDeferred(batch.build()) : engine.write(batch.build());
        } catch (RowRejectedException e) {
            int number = keyed.numbers()[e.index()];
            throw badRow(
                    "row " + number + (e.column() == null ? "" : ", column '" + e.column() + "'") + ": "
                            + e.getMessage(),
                    number,
                    0,
                    e.column());
        } catch (IOException e) {
            throw new IllegalStateException("the write failed: " + e.getMessage(), e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("lsn", result.lsn());
        answer.put("rows", keyed.size());
        answer.put("skipped", 0);
        answer.put("durable", result.durable());
        return answer;
    }

    // ---------------------------------------------------------------- River-Positions

    /**
     * Parses {@code River-Positions}: comma-separated {@code topic:partition:from:next:epoch}, where
     * {@code from} is the next offset the client believes River holds (-1: unknown) and {@code next}
     * the partition's next offset once this batch is stored.
     */
    static List<Declared> declared(String header) {
        if (header == null || header.isBlank()) {
            throw ApiException.badRequest(
                    "missing_positions",
                    "a request with a scope needs the " + POSITIONS_HEADER
                            + " header (topic:partition:from:next:epoch, comma-separated)");
        }
        List<Declared> out = new ArrayList<>();
        for (String item : header.split(",")) {
            String[] f = item.trim().split(":");
            if (f.length != 5) {
                throw invalidPositions(item);
            }
            try {
                Partition p = ServerPositions.partition(f[0], Long.parseLong(f[1]));
                long from = Long.parseLong(f[2]);
                long next = Long.parseLong(f[3]);
                long epoch = Long.parseLong(f[4]);
                if (next < 0 || epoch < 0 || from < -1 || (from >= 0 && next < from)) {
                    throw invalidPositions(item);
                }
                out.add(new Declared(p, from, next, epoch));
            } catch (NumberFormatException e) {
                throw invalidPositions(item);
            }
        }
        return out;
    }

    private static ApiException invalidPositions(String item) {
        return ApiException.badRequest(
                "invalid_positions",
                POSITIONS_HEADER + " entry '"
                        + RequestLimits.clip(item.trim()) + "' is not topic:partition:from:next:epoch "
                        + "(from -1 or at most next; next and epoch non-negative)");
    }
}
