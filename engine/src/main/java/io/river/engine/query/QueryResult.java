package io.river.engine.query;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The answer to a query: columns, rows and run figures. Row values are the Java types of
 * {@link io.river.engine.model.ColumnType}: Boolean, Integer (INT32), Long (INT64), Double,
 * String, byte[] (BYTES) and {@link Instant} (TIMESTAMP, millisecond precision, UTC); SQL NULL is
 * Java null. {@link #jsonValue(Object)} maps a value to what JSON can carry (ISO-8601 instant,
 * base64 bytes). Immutable once built (do not modify the row arrays); holds no Arrow buffers, so
 * it needs no closing and may be shared between threads.
 */
public final class QueryResult {
    private final List<ResultColumn> columns;
    private final List<Object[]> rows;
    private final QueryStats stats;

    public QueryResult(List<ResultColumn> columns, List<Object[]> rows, QueryStats stats) {
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
        this.stats = stats;
    }

    public List<ResultColumn> columns() {
        return columns;
    }

    public List<Object[]> rows() {
        return rows;
    }

    public QueryStats stats() {
        return stats;
    }

    public int rowCount() {
        return rows.size();
    }

    /**
     * Writes the result as an Arrow IPC stream (schema, then record batches of at most 64Ki rows,
     * types per {@link io.river.engine.model.ArrowTypes}). Buffers come from {@code allocator} and are
     * released before this returns; the stream is not closed.
     */
    public void writeArrowStream(OutputStream out, BufferAllocator allocator) throws IOException {
        ArrowResultWriter.write(this, out, allocator);
    }

    /**
     * A row value as JSON carries it: TIMESTAMP as an ISO-8601 string ({@code 2024-01-01T00:00:00Z}),
     * BYTES as base64, everything else unchanged.
     */
    public static Object jsonValue(Object value) {
        if (value instanceof Instant || value instanceof LocalDate) {
            return value.toString();
        }
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        return value;
    }
}
