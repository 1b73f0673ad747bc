package io.river.http.flight;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.VectorValues;
import io.river.engine.query.QueryResult;
import io.river.engine.query.ResultColumn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlColumnMetadata;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * River values as Arrow for Flight: result and table schemas with the column types of
 * {@link ArrowTypes} (the types of the REST API's Arrow output) but one, and Flight SQL column
 * metadata (the SQL type name, which JDBC reports), and a {@link QueryResult} streamed as record
 * batches of at most {@value #BATCH_ROWS} rows that wait for the client (back-pressure) instead of
 * queueing the whole answer. Stateless.
 *
 * <p>The one difference: TIMESTAMP travels as {@link #TIMESTAMP} (milliseconds since the epoch, UTC,
 * with no time zone attached) rather than Timestamp(MILLISECOND, "UTC"): the Flight SQL JDBC driver
 * 18.3.0 fails {@code ResultSet.getObject} on zoned timestamps ("not implemented"; apache/arrow-java
 * #787, #839), and BI tools read every value with getObject. JDBC then sees a plain TIMESTAMP holding
 * UTC wall-clock time, as River's SQL type name (DuckDB's TIMESTAMP) says; the driver shows it unshifted
 * with its {@code timezone=UTC} property (without it, 18.3.0 shifts it by the client JVM's zone offset,
 * zoned or not).
 */
final class ArrowBatches {
    /** Rows per record batch, as the REST API's Arrow stream. */
    static final int BATCH_ROWS = 65_536;
    /** TIMESTAMP on Flight: epoch milliseconds, UTC, no zone attached (see the class comment). */
    static final ArrowType TIMESTAMP = new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
    /** Longest wait for a client that reads nothing before the stream is abandoned. */
    static final long CLIENT_WAIT_MS = 300_000;

    private ArrowBatches() {}

    /** The Arrow schema of a query result. */
    static Schema schema(List<ResultColumn> columns) {
        List<Field> fields = new ArrayList<>(columns.size());
        for (ResultColumn c : columns) {
            fields.add(field(c.name(), c.type(), c.sqlType(), null));
        }
        return new Schema(fields);
    }

    /** The Arrow schema of a table's columns, each naming the table in its metadata. */
    static Schema tableSchema(String table, List<Column> columns) {
        List<Field> fields = new ArrayList<>(columns.size());
        for (Column c : columns) {
            fields.add(field(c.name(), c.type(), new ResultColumn(c.name(), c.type()).sqlType(), table));
        }
        return new Schema(fields);
    }

    private static Field field(String name, ColumnType type, String sqlType, String table) {
        FlightSqlColumnMetadata.Builder meta = new FlightSqlColumnMetadata.Builder()
                .typeName(sqlType)
                .isReadOnly(true)
                .isSearchable(true);
        if (table != null) {
            meta.tableName(table);
        }
        return new Field(
                name, new FieldType(true, arrowType(type), null, meta.build().getMetadataMap()), null);
    }

    /** The Arrow type of a River column type on Flight: {@link ArrowTypes}, but {@link #TIMESTAMP}. */
    static ArrowType arrowType(ColumnType type) {
        return type == ColumnType.TIMESTAMP ? TIMESTAMP : ArrowTypes.toArrow(type);
    }

    /** A schema as Flight SQL carries it in a message field: an IPC schema message, length-prefixed. */
    static byte[] serialize(Schema schema) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /**
     * Streams {@code result} to {@code listener}: the schema, then batches, each sent only once the
     * client is ready for more; then completes. A cancelled call stops quietly; a client that reads
     * nothing for {@link #CLIENT_WAIT_MS} gets {@code TIMED_OUT}. Buffers come from {@code allocator}
     * (Flight may still hold the last batches while they are written; they are released then).
     */
    static void stream(QueryResult result, BufferAllocator allocator, ServerStreamListener listener) {
        BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();
        backpressure.register(listener);
        List<ResultColumn> columns = result.columns();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(columns), allocator)) {
            listener.start(root);
            List<Object[]> rows = result.rows();
            for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
                BackpressureStrategy.WaitResult ready = backpressure.waitForListener(CLIENT_WAIT_MS);
                if (ready == BackpressureStrategy.WaitResult.CANCELLED) {
                    return;
                }
                if (ready != BackpressureStrategy.WaitResult.READY) {
                    listener.error(CallStatus.TIMED_OUT
                            .withDescription("the client read nothing for " + CLIENT_WAIT_MS / 1000 + " s")
                            .toRuntimeException());
                    return;
                }
                int to = Math.min(rows.size(), from + BATCH_ROWS);
                root.allocateNew();
                for (int c = 0; c < columns.size(); c++) {
                    fill(root.getVector(c), columns.get(c).type(), rows, from, to, c);
                }
                root.setRowCount(to - from);
                listener.putNext();
            }
            listener.completed();
        }
    }

    private static void fill(FieldVector v, ColumnType type, List<Object[]> rows, int from, int to, int c) {
        for (int r = from; r < to; r++) {
            VectorValues.set(v, type, r - from, rows.get(r)[c]);
        }
        v.setValueCount(to - from);
    }
}
