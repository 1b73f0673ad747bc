package io.river.http.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.river.engine.model.ColumnType;
import io.river.engine.model.SchemaException;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads {@code application/x-ndjson}: one JSON object per line (LF or CRLF), blank lines skipped, an optional
 * UTF-8 byte order mark ignored. A line that is not exactly one JSON object, or that repeats a field, is an
 * {@link IngestRowException} naming the line. Values of a column the schema lacks keep JSON's type: string STRING,
 * integer INT64 (beyond 64 bits FLOAT64), other number FLOAT64, boolean BOOLEAN, object or array its JSON text
 * (STRING); null and "" are absent. Values of an existing column go through {@link Coercion}, base64 text filling
 * BYTES. Stateless and thread-safe.
 */
public final class NdjsonReader implements IngestReader {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int BUFFER_CHARS = 64 * 1024;
    private static final int MAX_PARSER_MESSAGE = 200;

    @Override
    public List<Map<String, Object>> read(InputStream body, TableSchema schema, long maxRows) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> current = new ArrayList<>(List.of(new LinkedHashMap<>()));
        read(body, schema, maxRows, (name, value) -> current.get(0).put(name, value), () -> {
            rows.add(current.get(0));
            current.set(0, new LinkedHashMap<>());
        });
        return rows;
    }

    /** The rows straight into columns: no map per line. */
    @Override
    public TableColumns readColumns(InputStream body, TableSchema schema, long maxRows) throws IOException {
        TableColumns.Builder out = new TableColumns.Builder("", schema);
        read(body, schema, maxRows, out::put, () -> out.endRow(null, false));
        return out.build();
    }

    /** Reads every line: each value of a row goes to {@code put}, then {@code endRow} runs. */
    private static void read(
            InputStream body, TableSchema schema, long maxRows, BiConsumer<String, Object> put, Runnable endRow)
            throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), BUFFER_CHARS);
        long lineNumber = 0;
        int count = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (count >= maxRows) {
                throw new TooManyRowsException(maxRows);
            }
            count++;
            row(line, count, lineNumber, schema, put);
            endRow.run();
        }
    }

    private static void row(
            String line, int row, long lineNumber, TableSchema schema, BiConsumer<String, Object> values) {
        try (JsonParser parser = JSON.createParser(line)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw IngestRowException.atLine(row, lineNumber, null, "not a JSON object but " + kind(first));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                put(values, name, value(parser), schema, row, lineNumber);
            }
            if (parser.nextToken() != null) {
                throw IngestRowException.atLine(row, lineNumber, null, "more than one JSON value on the line");
            }
        } catch (JsonProcessingException e) {
            throw IngestRowException.atLine(row, lineNumber, null, "not valid JSON: " + parserMessage(e));
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a string", e);
        }
    }

    /** The value at the parser's current token: its natural Java type, or null for JSON null. */
    private static Object value(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                // Objects and arrays keep their JSON text.
                return JSON.readTree(parser).toString();
        }
    }

    private static void put(
            BiConsumer<String, Object> values,
            String name,
            Object value,
            TableSchema schema,
            int row,
            long lineNumber) {
        String refusal = IngestColumns.refusal(name);
        if (refusal != null) {
            throw IngestRowException.atLine(row, lineNumber, name, refusal);
        }
        if (value == null || "".equals(value)) {
            return;
        }
        ColumnType target = IngestColumns.target(schema, name);
        try {
            values.accept(name, target == null ? natural(value) : Coercion.fromValue(value, target, true));
        } catch (BadValueException | SchemaException e) {
            throw IngestRowException.atLine(row, lineNumber, name, e.getMessage());
        }
    }

    private static Object natural(Object value) {
        return value instanceof BigInteger big ? (Object) big.doubleValue() : value;
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(token);
        };
    }

    private static String parserMessage(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        return message.length() <= MAX_PARSER_MESSAGE ? message : message.substring(0, MAX_PARSER_MESSAGE) + "...";
    }
}
