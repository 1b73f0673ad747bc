package io.river.http.flight;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.river.engine.RiverEngine;
import io.river.engine.model.EngineClosedException;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.query.QueryException;
import io.river.engine.query.QueryResult;
import io.river.engine.scan.Table;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCatalogs;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCrossReference;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetExportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetImportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetSqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTableTypes;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedCaseSensitivity;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedTransaction;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * River's Flight SQL semantics: statements and prepared statements run on River's SQL executor
 * ({@link QueryEngine}, the executor of the REST {@code /query}) over the engine's tables; results are
 * Arrow record batches ({@link ArrowBatches}). Metadata: no catalogs and no schemas (River's SQL takes
 * plain table names, so tables have null catalog and schema), tables of type {@code TABLE} with their
 * Arrow schemas, SQL info (name, version, read-only, no transactions), and empty key lists.
 *
 * <p>A query runs once, when its schema is asked for (GetFlightInfo, or CreatePreparedStatement, which
 * returns the result schema); the answer waits under a one-use handle for the DoGet that fetches it.
 * A prepared statement executed again runs again. Answers not fetched within {@link #PENDING_TTL_NANOS}
 * are dropped. GetSchema of a statement runs it too (River has no planning-only entry point). Errors: a {@link
 * QueryException} is {@code NOT_FOUND} for an unknown table,
 * {@code RESOURCE_EXHAUSTED} for a too-large result and {@code INVALID_ARGUMENT} otherwise, with
 * River's message (position included); an engine shutting down is {@code UNAVAILABLE}; only River's
 * own faults are {@code INTERNAL}. Thread-safe.
 */
final class RiverFlightSqlProducer extends NoOpFlightSqlProducer {
    private static final Logger LOG = LoggerFactory.getLogger(RiverFlightSqlProducer.class);
    /** How long an answer computed for a schema request waits for its DoGet. */
    static final long PENDING_TTL_NANOS = 120_000_000_000L;
    /** Most prepared statements open at once (the JDBC driver closes each with its statement). */
    static final int MAX_PREPARED = 10_000;

    private static final String TABLE_TYPE = "TABLE";

    private final RiverEngine engine;
    private final BufferAllocator allocator;
    private final QueryEngine queries = new QueryEngine();
    private final SqlInfoBuilder sqlInfo;
    /** Answers computed by GetFlightInfo, by ticket handle, until their DoGet. */
    private final Map<ByteString, Pending> pending = new ConcurrentHashMap<>();

    private final Map<ByteString, Prepared> prepared = new ConcurrentHashMap<>();

    /** An answer waiting for its fetch. */
    private record Pending(QueryResult result, long createdNanos) {
        boolean expired(long now) {
            return now - createdNanos > PENDING_TTL_NANOS;
        }
    }

    /** A prepared statement: its SQL and the answer of its preparation, until the first execution takes it. */
    private static final class Prepared {
        final String sql;
        volatile Pending first;

        Prepared(String sql, Pending first) {
            this.sql = sql;
            this.first = first;
        }
    }

    RiverFlightSqlProducer(RiverEngine engine, BufferAllocator allocator, String version) {
        this.engine = engine;
        this.allocator = allocator;
        this.sqlInfo = new SqlInfoBuilder()
                .withFlightSqlServerName("River")
                .withFlightSqlServerVersion(version)
                .withFlightSqlServerArrowVersion(arrowVersion())
                .withFlightSqlServerReadOnly(true)
                .withFlightSqlServerSql(true)
                .withFlightSqlServerSubstrait(false)
                .withFlightSqlServerTransaction(SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
                .withFlightSqlServerCancel(false)
                .withSqlTransactionsSupported(false)
                .withSqlIdentifierQuoteChar("\"")
                .withSqlQuotedIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
                .withSqlIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
                .withSqlDdlCatalog(false)
                .withSqlDdlSchema(false)
                .withSqlDdlTable(false)
                .withSqlSupportsColumnAliasing(true)
                .withSqlMaxTablesInSelect(1);
    }

    private static String arrowVersion() {
        String v = Schema.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    // ---- statements -----------------------------------------------------------------------------

    @Override
    public FlightInfo getFlightInfoStatement(
            CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
        QueryResult result = run(command.getQuery());
        return pendingInfo(result, descriptor);
    }

    @Override
    public SchemaResult getSchemaStatement(
            CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
        return new SchemaResult(ArrowBatches.schema(run(command.getQuery()).columns()));
    }

    @Override
    public void getStreamStatement(TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
        Pending p = pending.remove(ticket.getStatementHandle());
        if (p == null || p.expired(System.nanoTime())) {
            listener.error(CallStatus.NOT_FOUND
                    .withDescription("no answer waits under this ticket (fetched " + "already, or not fetched within "
                            + PENDING_TTL_NANOS / 1_000_000_000L + " s)")
                    .toRuntimeException());
            return;
        }
        stream(p.result(), listener);
    }

    // ---- prepared statements --------------------------------------------------------------------

    @Override
    public void createPreparedStatement(
            ActionCreatePreparedStatementRequest request, CallContext context, StreamListener<Result> listener) {
        try {
            sweep();
            if (prepared.size() >= MAX_PREPARED) {
                throw CallStatus.RESOURCE_EXHAUSTED
                        .withDescription(MAX_PREPARED + " prepared statements are " + "open; close some")
                        .toRuntimeException();
            }
            QueryResult result = run(request.getQuery());
            ByteString handle = newHandle();
            prepared.put(handle, new Prepared(request.getQuery(), new Pending(result, System.nanoTime())));
            byte[] schema = ArrowBatches.serialize(ArrowBatches.schema(result.columns()));
            ActionCreatePreparedStatementResult answer = ActionCreatePreparedStatementResult.newBuilder()
                    .setPreparedStatementHandle(handle)
                    .setDatasetSchema(ByteString.copyFrom(schema))
                    .build();
            listener.onNext(new Result(Any.pack(answer).toByteArray()));
            listener.onCompleted();
        } catch (RuntimeException e) {
            listener.onError(flightError(e));
        }
    }

    @Override
    public FlightInfo getFlightInfoPreparedStatement(
            CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
        return pendingInfo(execute(command), descriptor);
    }

    @Override
    public void getStreamPreparedStatement(
            CommandPreparedStatementQuery command, CallContext context, ServerStreamListener listener) {
        QueryResult result;
        try {
            result = execute(command);
        } catch (RuntimeException e) {
            listener.error(flightError(e));
            return;
        }
        stream(result, listener);
    }

    @Override
    public void closePreparedStatement(
            ActionClosePreparedStatementRequest request, CallContext context, StreamListener<Result> listener) {
        prepared.remove(request.getPreparedStatementHandle());
        listener.onCompleted();
    }

    /** Runs a prepared statement, or takes the answer its preparation computed when still unused. */
    private QueryResult execute(CommandPreparedStatementQuery command) {
        Prepared p = prepared.get(command.getPreparedStatementHandle());
        if (p == null) {
            throw CallStatus.NOT_FOUND
                    .withDescription("no such prepared statement (closed already?)")
                    .toRuntimeException();
        }
        Pending first;
        synchronized (p) {
            first = p.first;
            p.first = null;
        }
        if (first != null && !first.expired(System.nanoTime())) {
            return first.result();
        }
        return run(p.sql);
    }

    // ---- metadata -------------------------------------------------------------------------------

    @Override
    public FlightInfo getFlightInfoSqlInfo(
            CommandGetSqlInfo request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_SQL_INFO_SCHEMA, descriptor);
    }

    @Override
    public void getStreamSqlInfo(CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
        sqlInfo.send(command.getInfoList(), listener);
    }

    @Override
    public FlightInfo getFlightInfoCatalogs(
            CommandGetCatalogs request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_CATALOGS_SCHEMA, descriptor);
    }

    /** River has no catalogs: an empty list. */
    @Override
    public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
        sendEmpty(Schemas.GET_CATALOGS_SCHEMA, listener);
    }

    @Override
    public FlightInfo getFlightInfoSchemas(
            CommandGetDbSchemas request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_SCHEMAS_SCHEMA, descriptor);
    }

    /** River has no schemas (its SQL takes plain table names): an empty list. */
    @Override
    public void getStreamSchemas(CommandGetDbSchemas command, CallContext context, ServerStreamListener listener) {
        sendEmpty(Schemas.GET_SCHEMAS_SCHEMA, listener);
    }

    @Override
    public FlightInfo getFlightInfoTableTypes(
            CommandGetTableTypes request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_TABLE_TYPES_SCHEMA, descriptor);
    }

    @Override
    public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(Schemas.GET_TABLE_TYPES_SCHEMA, allocator)) {
            root.allocateNew();
            ((VarCharVector) root.getVector("table_type")).setSafe(0, TABLE_TYPE.getBytes(StandardCharsets.UTF_8));
            root.setRowCount(1);
            listener.start(root);
            listener.putNext();
            listener.completed();
        }
    }

    @Override
    public FlightInfo getFlightInfoTables(CommandGetTables request, CallContext context, FlightDescriptor descriptor) {
        Schema schema = request.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
        return commandInfo(request, schema, descriptor);
    }

    /**
     * The engine's tables, by name, filtered as JDBC's {@code getTables}: a catalog other than "" or a
     * schema pattern that does not match "" selects nothing (tables have neither), the table pattern
     * is a LIKE pattern ({@code %}, {@code _}, {@code \} escapes), and types other than TABLE select nothing.
     */
    @Override
    public void getStreamTables(CommandGetTables command, CallContext context, ServerStreamListener listener) {
        List<Table> tables;
        try {
            tables = matchingTables(command);
        } catch (RuntimeException e) {
            listener.error(flightError(e));
            return;
        }
        Schema schema = command.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            root.allocateNew();
            VarCharVector catalog = (VarCharVector) root.getVector("catalog_name");
            VarCharVector dbSchema = (VarCharVector) root.getVector("db_schema_name");
            VarCharVector name = (VarCharVector) root.getVector("table_name");
            VarCharVector type = (VarCharVector) root.getVector("table_type");
            VarBinaryVector tableSchema =
                    command.getIncludeSchema() ? (VarBinaryVector) root.getVector("table_schema") : null;
            for (int i = 0; i < tables.size(); i++) {
                Table t = tables.get(i);
                catalog.setNull(i);
                dbSchema.setNull(i);
                name.setSafe(i, t.name().getBytes(StandardCharsets.UTF_8));
                type.setSafe(i, TABLE_TYPE.getBytes(StandardCharsets.UTF_8));
                if (tableSchema != null) {
                    tableSchema.setSafe(
                            i,
                            ArrowBatches.serialize(ArrowBatches.tableSchema(
                                    t.name(), t.schema().columns())));
                }
            }
            root.setRowCount(tables.size());
            listener.start(root);
            listener.putNext();
            listener.completed();
        }
    }

    private List<Table> matchingTables(CommandGetTables command) {
        List<Table> out = new ArrayList<>();
        if (command.hasCatalog() && !command.getCatalog().isEmpty()) {
            return out;
        }
        if (command.hasDbSchemaFilterPattern()
                && !like(command.getDbSchemaFilterPattern()).matcher("").matches()) {
            return out;
        }
        if (command.getTableTypesCount() > 0
                && command.getTableTypesList().stream().noneMatch(TABLE_TYPE::equalsIgnoreCase)) {
            return out;
        }
        Pattern names = command.hasTableNameFilterPattern() ? like(command.getTableNameFilterPattern()) : null;
        for (Table t : engine().tables()) {
            if (names == null || names.matcher(t.name()).matches()) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparing(Table::name));
        return out;
    }

    /** A JDBC metadata LIKE pattern as a regex: {@code %} any run, {@code _} any one, {@code \} escapes. */
    static Pattern like(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    @Override
    public FlightInfo getFlightInfoPrimaryKeys(
            CommandGetPrimaryKeys request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_PRIMARY_KEYS_SCHEMA, descriptor);
    }

    /** No primary keys are declared (River's key is the row's {@code _pk}, not a column constraint). */
    @Override
    public void getStreamPrimaryKeys(
            CommandGetPrimaryKeys command, CallContext context, ServerStreamListener listener) {
        sendEmpty(Schemas.GET_PRIMARY_KEYS_SCHEMA, listener);
    }

    @Override
    public FlightInfo getFlightInfoExportedKeys(
            CommandGetExportedKeys request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_EXPORTED_KEYS_SCHEMA, descriptor);
    }

    @Override
    public void getStreamExportedKeys(
            CommandGetExportedKeys command, CallContext context, ServerStreamListener listener) {
        sendEmpty(Schemas.GET_EXPORTED_KEYS_SCHEMA, listener);
    }

    @Override
    public FlightInfo getFlightInfoImportedKeys(
            CommandGetImportedKeys request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_IMPORTED_KEYS_SCHEMA, descriptor);
    }

    @Override
    public void getStreamImportedKeys(
            CommandGetImportedKeys command, CallContext context, ServerStreamListener listener) {
        sendEmpty(Schemas.GET_IMPORTED_KEYS_SCHEMA, listener);
    }

    @Override
    public FlightInfo getFlightInfoCrossReference(
            CommandGetCrossReference request, CallContext context, FlightDescriptor descriptor) {
        return commandInfo(request, Schemas.GET_CROSS_REFERENCE_SCHEMA, descriptor);
    }

    @Override
    public void getStreamCrossReference(
            CommandGetCrossReference command, CallContext context, ServerStreamListener listener) {
        sendEmpty(Schemas.GET_CROSS_REFERENCE_SCHEMA, listener);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private RiverEngine engine() {
        if (!engine.isReady()) {
            throw CallStatus.UNAVAILABLE
                    .withDescription("River is starting up or shutting down; retry shortly")
                    .toRuntimeException();
        }
        return engine;
    }

    /** Runs one query on the engine; every failure as a Flight error. */
    private QueryResult run(String sql) {
        if (sql == null || sql.isBlank()) {
            throw CallStatus.INVALID_ARGUMENT
                    .withDescription("a SQL statement is required")
                    .toRuntimeException();
        }
        try {
            return queries.execute(sql, new EngineCatalog(engine()));
        } catch (RuntimeException e) {
            throw flightError(e);
        }
    }

    /** A FlightInfo whose one endpoint fetches {@code result} (kept until then) with a statement ticket. */
    private FlightInfo pendingInfo(QueryResult result, FlightDescriptor descriptor) {
        sweep();
        ByteString handle = newHandle();
        pending.put(handle, new Pending(result, System.nanoTime()));
        Ticket ticket = new Ticket(Any.pack(TicketStatementQuery.newBuilder()
                        .setStatementHandle(handle)
                        .build())
                .toByteArray());
        return new FlightInfo(
                ArrowBatches.schema(result.columns()),
                descriptor,
                List.of(new FlightEndpoint(ticket)),
                -1,
                result.rowCount());
    }

    /** A FlightInfo whose one endpoint's ticket is the command itself (metadata calls). */
    private static FlightInfo commandInfo(Message command, Schema schema, FlightDescriptor descriptor) {
        Ticket ticket = new Ticket(Any.pack(command).toByteArray());
        return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(ticket)), -1, -1);
    }

    private void stream(QueryResult result, ServerStreamListener listener) {
        try {
            ArrowBatches.stream(result, allocator, listener);
        } catch (RuntimeException e) {
            listener.error(flightError(e));
        }
    }

    private void sendEmpty(Schema schema, ServerStreamListener listener) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            listener.start(root);
            listener.completed();
        }
    }

    /** Drops answers nobody fetched in time (and the unused first answers of prepared statements). */
    private void sweep() {
        long now = System.nanoTime();
        pending.values().removeIf(p -> p.expired(now));
        for (Prepared p : prepared.values()) {
            Pending first = p.first;
            if (first != null && first.expired(now)) {
                p.first = null;
            }
        }
    }

    private static ByteString newHandle() {
        return ByteString.copyFrom(UUID.randomUUID().toString(), StandardCharsets.US_ASCII);
    }

    /** The Flight status of a failure: the query's fault as a client error, River's own as INTERNAL. */
    static FlightRuntimeException flightError(RuntimeException e) {
        if (e instanceof FlightRuntimeException) {
            return (FlightRuntimeException) e;
        }
        if (e instanceof QueryException) {
            QueryException q = (QueryException) e;
            CallStatus status;
            switch (q.code()) {
                case QueryException.UNKNOWN_TABLE:
                    status = CallStatus.NOT_FOUND;
                    break;
                case QueryException.RESULT_TOO_LARGE:
                    status = CallStatus.RESOURCE_EXHAUSTED;
                    break;
                default:
                    status = CallStatus.INVALID_ARGUMENT;
            }
            return status.withDescription(q.getMessage()).toRuntimeException();
        }
        if (e instanceof EngineClosedException) {
            return CallStatus.UNAVAILABLE
                    .withDescription("River is shutting down; retry shortly")
                    .toRuntimeException();
        }
        LOG.error("Flight SQL call failed", e);
        return CallStatus.INTERNAL
                .withDescription("River failed: " + e)
                .withCause(e)
                .toRuntimeException();
    }

    /** Stops the executor's workers and drops every waiting answer. */
    @Override
    public void close() {
        queries.close();
        pending.clear();
        prepared.clear();
    }
}
