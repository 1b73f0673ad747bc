package io.river.http.ingest;

import io.river.engine.model.SchemaException;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** One body format's reader. Implementations are stateless and safe to share between threads. */
public interface IngestReader {
    /**
     * Reads every row of the body. {@code schema} is the target table's current schema (for a new table the caller
     * passes {@link TableSchema#initial()}, which holds the system columns). Each row is a {@code LinkedHashMap},
     * column name to value, in body column order; a null or empty value is simply absent. Values are the Java types
     * of {@link io.river.engine.model.ColumnType}: Boolean, Integer (INT32), Long (INT64), Double (FLOAT64),
     * String, byte[] (BYTES), {@link java.time.Instant} (TIMESTAMP, millisecond precision),
     * {@link java.time.LocalDate} (DATE). Does not close {@code body}.
     *
     * @param maxRows the most rows accepted; reading stops with {@link TooManyRowsException} at the next one
     * @throws IngestRowException for a bad row, column or body (no partial result is returned)
     * @throws TooManyRowsException as soon as the body holds more than {@code maxRows} rows
     * @throws IOException when reading {@code body} itself fails
     */
    List<Map<String, Object>> read(InputStream body, TableSchema schema, long maxRows) throws IOException;

    /**
     * Reads every row of the body into columns, as {@link #read} reads rows (the same values, checks and
     * exceptions): no row is a delete and no row has a key yet ({@link TableColumns#pk} is null); a
     * {@code _deleted} value is a BOOLEAN column like any other. A value that cannot join its column
     * (a number after a string in a column the schema lacks) is an {@link IngestRowException} naming its
     * row and column. This default collects {@link #read}'s rows; a columnar format reads its columns
     * straight.
     */
    default TableColumns readColumns(InputStream body, TableSchema schema, long maxRows) throws IOException {
        List<Map<String, Object>> rows = read(body, schema, maxRows);
        TableColumns.Builder out = new TableColumns.Builder("", schema);
        for (int r = 0; r < rows.size(); r++) {
            for (Map.Entry<String, Object> e : rows.get(r).entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue());
                } catch (SchemaException misfit) {
                    throw IngestRowException.atRow(r + 1, e.getKey(), misfit.getMessage());
                }
            }
            out.endRow(null, false);
        }
        return out.build();
    }
}
