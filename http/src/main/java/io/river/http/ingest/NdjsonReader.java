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
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads {@code application/x-ndjson}: one JSON object per line (LF, CRLF or CR), blank lines skipped, an optional
 * UTF-8 byte order mark ignored; one parser reads the whole body (malformed UTF-8 is a syntax error of its row). A
 * line that is not exactly one JSON object, or that repeats a field, is an {@link IngestRowException} naming the
 * line. Values of a column the schema lacks keep JSON's type: string STRING,
 * integer INT64 (beyond 64 bits FLOAT64), other number FLOAT64, boolean BOOLEAN, object or array its JSON text
 * (STRING); null and "" are absent. Values of an existing column go through {@link Coercion}, base64 text filling
 * BYTES. Stateless and thread-safe.
 */
public final class NdjsonReader implements IngestReader {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
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

    /**
     * Reads every line with one parser over the whole body: each value of a row goes to {@code put}, then
     * {@code endRow} runs. A row is a root-level object that starts and ends on one line, with no other value
     * after it on that line; a syntax error is named by the line its row starts on.
     */
    private static void read(
            InputStream body, TableSchema schema, long maxRows, BiConsumer<String, Object> put, Runnable endRow)
            throws IOException {
        Fields fields = new Fields(schema);
        int count = 0;
        long rowLine = 0;
        long lastLine = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first;
            while ((first = nextRoot(parser, count, lastLine)) != null) {
                long line = parser.currentTokenLocation().getLineNr();
                if (line == lastLine) {
                    throw IngestRowException.atLine(count, line, null, "more than one JSON value on the line");
                }
                if (count >= maxRows) {
                    throw new TooManyRowsException(maxRows);
                }
                count++;
                if (first != JsonToken.START_OBJECT) {
                    throw IngestRowException.atLine(count, line, null, "not a JSON object but " + kind(first));
                }
                rowLine = line;
                row(parser, count, line, fields, put);
                lastLine = parser.currentTokenLocation().getLineNr();
                if (lastLine != line) {
                    throw IngestRowException.atLine(
                            count, line, null, "not valid JSON: the object does not end on its line");
                }
                endRow.run();
            }
        } catch (JsonProcessingException e) {
            long line = rowLine > lastLine
                    ? rowLine
                    : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int row = rowLine > lastLine ? count : count + 1;
            throw IngestRowException.atLine(row, line, null, "not valid JSON: " + parserMessage(e));
        }
    }

    /** The next root-level token; a syntax error between rows is named by its own line. */
    private static JsonToken nextRoot(JsonParser parser, int count, long lastLine) throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? lastLine + 1 : e.getLocation().getLineNr();
            throw IngestRowException.atLine(
                    line == lastLine ? count : count + 1, line, null, "not valid JSON: " + parserMessage(e));
        }
    }

    /** Reads the fields of the object whose start the parser is at, up to its end. */
    private static void row(JsonParser parser, int row, long line, Fields fields, BiConsumer<String, Object> values)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            put(values, fields.of(name, row, line), value(parser), row, line);
        }
    }

    /**
     * What a body field name means: its refusal, if any, and the type its values take. Field names come
     * canonicalized from the parser, so the few names of a body are resolved once each.
     */
    private static final class Fields {
        private final TableSchema schema;
        private final Map<String, Field> byName = new HashMap<>();

        Fields(TableSchema schema) {
            this.schema = schema;
        }

        Field of(String name, int row, long line) {
            Field field = byName.get(name);
            if (field == null) {
                field = new Field(name, IngestColumns.refusal(name), IngestColumns.target(schema, name));
                byName.put(name, field);
            }
            if (field.refusal() != null) {
                throw IngestRowException.atLine(row, line, name, field.refusal());
            }
            return field;
        }
    }

    private record Field(String name, String refusal, ColumnType target) {}

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

    private static void put(BiConsumer<String, Object> values, Field field, Object value, int row, long line) {
        if (value == null || "".equals(value)) {
            return;
        }
        ColumnType target = field.target();
        try {
            values.accept(field.name(), target == null ? natural(value) : Coercion.fromValue(value, target, true));
        } catch (BadValueException | SchemaException e) {
            throw IngestRowException.atLine(row, line, field.name(), e.getMessage());
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
