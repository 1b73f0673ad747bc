package io.river.http.ingest;

import io.river.engine.model.ColumnType;
import io.river.engine.model.SchemaException;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads {@code text/csv} ({@link CsvRecords}): the first record is the header of column names, every other record
 * must have as many fields, and an empty field is absent. A column of the target schema is parsed as its type
 * ({@link Coercion#fromText}); a new column gets the type that fits every non-empty value in the whole body, as
 * DuckDB's sniffer does: all integers in 64 bits INT64, else all numbers FLOAT64, else all true/false (any case)
 * BOOLEAN, else STRING. Numbers are recognised as JSON writes them (no '+', no leading zeros), so {@code 00501}
 * stays text, as it would in NDJSON. Stateless and thread-safe.
 */
public final class CsvReader implements IngestReader {
    /** One data record and the line it starts on. */
    private record Record(long line, String[] fields) {}

    @Override
    public List<Map<String, Object>> read(InputStream body, TableSchema schema, long maxRows) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        read(body, schema, maxRows, (header, types, record, row) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            cells(header, types, record, row, values::put);
            rows.add(values);
        });
        return rows;
    }

    /** The records straight into columns: no map per record. */
    @Override
    public TableColumns readColumns(InputStream body, TableSchema schema, long maxRows) throws IOException {
        TableColumns.Builder out = new TableColumns.Builder("", schema);
        read(body, schema, maxRows, (header, types, record, row) -> {
            cells(header, types, record, row, out::put);
            out.endRow(null, false);
        });
        return out.build();
    }

    /** What becomes of each data record, in order, once the column types are known. */
    @FunctionalInterface
    private interface RecordSink {
        void accept(String[] header, ColumnType[] types, Record record, int row);
    }

    private static void read(InputStream body, TableSchema schema, long maxRows, RecordSink sink) throws IOException {
        CsvRecords records = new CsvRecords(new InputStreamReader(body, StandardCharsets.UTF_8));
        String[] header = records.next();
        if (header == null) {
            return;
        }
        checkHeader(header, records.line());
        List<Record> data = new ArrayList<>();
        String[] fields;
        while ((fields = records.next()) != null) {
            if (data.size() >= maxRows) {
                throw new TooManyRowsException(maxRows);
            }
            checkWidth(fields, header, data.size() + 1, records.line());
            data.add(new Record(records.line(), fields));
        }
        ColumnType[] types = types(header, data, schema);
        for (int r = 0; r < data.size(); r++) {
            sink.accept(header, types, data.get(r), r + 1);
        }
    }

    private static void checkHeader(String[] header, long line) {
        Set<String> seen = new HashSet<>();
        for (String field : header) {
            String name = field == null ? "" : field;
            String refusal = IngestColumns.refusal(name);
            if (refusal != null) {
                throw IngestRowException.atLine(0, line, name, refusal);
            }
            if (!seen.add(name)) {
                throw IngestRowException.atLine(0, line, name, "the column appears twice in the header");
            }
        }
    }

    private static void checkWidth(String[] fields, String[] header, int row, long line) {
        if (fields.length == header.length) {
            return;
        }
        String detail = fields.length + " fields, but the header has " + header.length + " columns";
        String missing = fields.length < header.length ? header[fields.length] : null;
        throw IngestRowException.atLine(row, line, missing, missing == null ? detail : "missing (" + detail + ")");
    }

    private static ColumnType[] types(String[] header, List<Record> data, TableSchema schema) {
        ColumnType[] types = new ColumnType[header.length];
        for (int c = 0; c < header.length; c++) {
            ColumnType target = IngestColumns.target(schema, header[c]);
            types[c] = target != null ? target : inferred(data, c);
        }
        return types;
    }

    /** The narrowest of INT64, FLOAT64, BOOLEAN, STRING that holds every non-empty value of column {@code c}. */
    private static ColumnType inferred(List<Record> data, int c) {
        boolean integers = true;
        boolean numbers = true;
        boolean booleans = true;
        for (Record record : data) {
            String value = record.fields()[c];
            if (value == null) {
                continue;
            }
            boolean number = NumberText.isNumber(value, false);
            numbers &= number;
            integers &= number && NumberText.isInteger(value, false) && NumberText.parseLong(value) != null;
            booleans &= value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            if (!numbers && !booleans) {
                return ColumnType.STRING;
            }
        }
        if (integers) {
            return ColumnType.INT64;
        }
        return numbers ? ColumnType.FLOAT64 : booleans ? ColumnType.BOOLEAN : ColumnType.STRING;
    }

    /** The record's non-empty cells, each parsed as its column's type, to {@code out}. */
    private static void cells(
            String[] header, ColumnType[] types, Record record, int row, BiConsumer<String, Object> out) {
        String[] fields = record.fields();
        for (int c = 0; c < fields.length; c++) {
            if (fields[c] == null) {
                continue;
            }
            try {
                out.accept(header[c], Coercion.fromText(fields[c], types[c]));
            } catch (BadValueException | SchemaException e) {
                throw IngestRowException.atLine(row, record.line(), header[c], e.getMessage());
            }
        }
    }
}
