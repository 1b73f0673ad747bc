package io.river.http.ingest;

import io.river.engine.model.ColumnType;
import io.river.engine.model.SchemaException;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads {@code application/vnd.apache.arrow.stream}: an Arrow IPC stream (uncompressed or with LZ4/ZSTD buffers)
 * of any number of batches, rows numbered from 1 across them. Once a batch has passed {@link ArrowChecks}, each
 * column is read whole through its vector's typed accessor ({@link ArrowCells}), then converted where the target
 * schema has the column ({@link Coercion}; strings do not fill BYTES). Columns of Arrow type Null are all absent.
 * The schema is checked before any batch: a refused name or an unsupported type is an {@link IngestRowException}
 * with row 0 naming the column and its Arrow type, as is a body that is not a valid Arrow stream. A failure of the
 * body stream itself is passed on as its IOException. Every buffer is allocated from the given allocator and
 * released before {@link #read} returns or throws; an allocation failure ({@link OutOfMemoryException}) is passed
 * on as it is. Thread-safe as far as the allocator is.
 */
public final class ArrowIngestReader implements IngestReader {
    private final BufferAllocator allocator;

    /** A reader allocating from {@code allocator}; a child allocator with a limit bounds what one body may use. */
    public ArrowIngestReader(BufferAllocator allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /** One body column: where it is, what it is called, and the type it is read as and converted to. */
    private record Column(int index, String name, ColumnType natural, ColumnType target) {
        /** The type cells must be converted to, or null when they are read as the right type already. */
        ColumnType conversion() {
            return target == null || target == natural ? null : target;
        }
    }

    /** The rows of {@link #readColumns}, each a map in the body's column order. */
    @Override
    public List<Map<String, Object>> read(InputStream body, TableSchema schema, long maxRows) throws IOException {
        List<String> order = new ArrayList<>();
        TableColumns columns = read(body, schema, maxRows, order);
        List<Map<String, Object>> rows = new ArrayList<>(columns.rows());
        for (int r = 0; r < columns.rows(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String name : order) {
                TableColumns.Values v = columns.column(name);
                Object value = v == null ? null : TableColumns.value(v, r);
                if (value != null) {
                    row.put(name, value);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    @Override
    public TableColumns readColumns(InputStream body, TableSchema schema, long maxRows) throws IOException {
        return read(body, schema, maxRows, new ArrayList<>());
    }

    /** Reads the body into columns, adding the names of its columns to {@code order} in body order. */
    private TableColumns read(InputStream body, TableSchema schema, long maxRows, List<String> order)
            throws IOException {
        IpcFrameGuard guard = new IpcFrameGuard(body);
        try (ArrowStreamReader reader = new ArrowStreamReader(guard, allocator, CommonsCompressionFactory.INSTANCE)) {
            VectorSchemaRoot root = decode(guard, reader::getVectorSchemaRoot);
            List<Column> columns = columns(root, reader, schema);
            columns.forEach(c -> order.add(c.name()));
            TableColumns.Builder out = new TableColumns.Builder("", schema);
            while (decode(guard, () -> loadValidBatch(reader, root))) {
                if (out.rows() + (long) root.getRowCount() > maxRows) {
                    throw new TooManyRowsException(maxRows);
                }
                readBatch(root, reader, columns, out);
            }
            return out.build();
        }
    }

    /** Loads the next batch and checks that every cell can be read ({@link ArrowChecks}); false at the end. */
    private static boolean loadValidBatch(ArrowStreamReader reader, VectorSchemaRoot root) throws IOException {
        if (!reader.loadNextBatch()) {
            return false;
        }
        for (FieldVector vector : root.getFieldVectors()) {
            ArrowChecks.check(vector);
        }
        for (long id : reader.getDictionaryIds()) {
            ArrowChecks.check(reader.lookup(id).getVector());
        }
        return true;
    }

    /** Checks every column of the stream's schema; the supported ones, Null-typed columns left out. */
    private static List<Column> columns(VectorSchemaRoot root, DictionaryProvider dictionaries, TableSchema schema) {
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Field> fields = root.getSchema().getFields();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            String name = field.getName();
            String refusal = IngestColumns.refusal(name);
            if (refusal != null) {
                throw IngestRowException.atRow(0, name, refusal);
            }
            if (!seen.add(name)) {
                throw IngestRowException.atRow(0, name, "the column appears twice in the Arrow schema");
            }
            ArrowType type = valueType(field, dictionaries);
            if (type instanceof ArrowType.Null) {
                continue;
            }
            ColumnType natural = ArrowCells.riverType(type);
            if (natural == null) {
                throw IngestRowException.atRow(
                        0,
                        name,
                        "Arrow type " + type + " is not supported (River stores"
                                + " booleans, integers, floating point, strings, binary, timestamps and dates)");
            }
            columns.add(new Column(i, name, natural, IngestColumns.target(schema, name)));
        }
        return columns;
    }

    /** The type of a field's values: its own, or its dictionary's when it is dictionary-encoded. */
    private static ArrowType valueType(Field field, DictionaryProvider dictionaries) {
        DictionaryEncoding encoding = field.getDictionary();
        return encoding == null
                ? field.getType()
                : dictionary(dictionaries, encoding, field.getName()).getVectorType();
    }

    private static Dictionary dictionary(DictionaryProvider dictionaries, DictionaryEncoding encoding, String name) {
        Dictionary dictionary = dictionaries.lookup(encoding.getId());
        if (dictionary == null) {
            throw IngestRowException.atRow(0, name, "dictionary " + encoding.getId() + " is not in the stream");
        }
        return dictionary;
    }

    /** Reads a batch's rows into {@code out}, row by row over the batch's column readers. */
    private static void readBatch(
            VectorSchemaRoot root, DictionaryProvider dictionaries, List<Column> columns, TableColumns.Builder out) {
        int first = out.rows();
        int count = root.getRowCount();
        ArrowCells.Reader[] cells = new ArrowCells.Reader[columns.size()];
        for (int c = 0; c < cells.length; c++) {
            Column column = columns.get(c);
            cells[c] = cells(root.getVector(column.index()), dictionaries, column.name());
        }
        for (int r = 0; r < count; r++) {
            for (int c = 0; c < cells.length; c++) {
                Column column = columns.get(c);
                try {
                    Object value = cells[c].get(r);
                    if (value == null || isEmpty(value)) {
                        continue;
                    }
                    ColumnType conversion = column.conversion();
                    out.put(column.name(), conversion == null ? value : Coercion.fromValue(value, conversion, false));
                } catch (BadValueException | SchemaException e) {
                    throw IngestRowException.atRow(first + r + 1, column.name(), e.getMessage());
                }
            }
            out.endRow(null, false);
        }
    }

    private static ArrowCells.Reader cells(FieldVector vector, DictionaryProvider dictionaries, String name) {
        DictionaryEncoding encoding = vector.getField().getDictionary();
        if (encoding == null) {
            return ArrowCells.of(vector, vector.getField().getType());
        }
        FieldVector values = dictionary(dictionaries, encoding, name).getVector();
        ArrowCells.Reader decoded = ArrowCells.of(values, values.getField().getType());
        return ArrowCells.decoded((BaseIntVector) vector, decoded, values.getValueCount());
    }

    private static boolean isEmpty(Object value) {
        return (value instanceof String text && text.isEmpty()) || (value instanceof byte[] bytes && bytes.length == 0);
    }

    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** An Arrow decoding step. */
    private interface Step<T> {
        T run() throws IOException;
    }

    /**
     * Runs a decoding step; a failure that is the body's fault becomes an {@link IngestRowException}, a failure
     * of the underlying stream its own IOException, and an allocation failure stays as it is.
     */
    private static <T> T decode(IpcFrameGuard guard, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (OutOfMemoryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (guard.sourceFailure() != null) {
                throw guard.sourceFailure();
            }
            throw IngestRowException.atRow(0, null, "body is not a valid Arrow IPC stream: " + message(e));
        }
    }
}
