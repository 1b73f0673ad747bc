package io.river.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.river.engine.model.Column;
import io.river.engine.model.Names;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts between JSON objects and row values for the key-value routes. JSON to columns:
 * strings are STRING, integers INT64 (beyond 64 bits FLOAT64), other numbers FLOAT64, booleans
 * BOOLEAN, nulls are skipped, nested objects and arrays are kept as their JSON text (STRING).
 * Row to JSON: user columns in schema order, then the non-null system columns; timestamps as
 * ISO-8601 text, dates as yyyy-mm-dd, bytes as base64. Stateless.
 */
final class RowJson {
    /** Per thread: the buffer a row's JSON is written into before it is copied out at its exact size. */
    private static final ThreadLocal<ByteArrayBuilder> BUFFER =
            ThreadLocal.withInitial(() -> new ByteArrayBuilder(512));

    private RowJson() {}

    /** The column values of a JSON object body; 400 for a field name that cannot be a column. */
    static Map<String, Object> values(JsonNode object) {
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!Names.isValid(name)) {
                throw ApiException.badRequest(
                        "invalid_field",
                        "field name '" + RequestLimits.clip(name)
                                + "' cannot be a column: names must match [A-Za-z_][A-Za-z0-9_]{0,127}");
            }
            if (isReserved(name)) {
                throw ApiException.badRequest(
                        "reserved_field",
                        "field name '" + name + "' is a River system column and cannot be set through /put");
            }
            Object value = value(field.getValue());
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    static boolean isReserved(String name) {
        return SystemColumns.isSystem(name) || name.equals(SystemColumns.VALUE);
    }

    private static Object value(JsonNode node) {
        switch (node.getNodeType()) {
            case NULL:
            case MISSING:
                return null;
            case STRING:
                return node.textValue();
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                if (node.isIntegralNumber()) {
                    return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
                }
                return node.doubleValue();
            default:
                // Objects, arrays (and anything else) keep their JSON text.
                return node.toString();
        }
    }

    /**
     * The JSON object of a stored row: user columns in schema order, then values the (older) schema
     * did not list, then the system columns that are set; NULLs left out.
     */
    static void write(Row row, TableSchema schema, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (Column c : schema.columns()) {
            if (!isReserved(c.name())) {
                field(out, c.name(), row.get(c.name()));
            }
        }
        for (Map.Entry<String, Object> e : row.values().entrySet()) {
            // A value the (older) schema did not list: still the user's data.
            if (schema.column(e.getKey()) == null && !isReserved(e.getKey())) {
                field(out, e.getKey(), e.getValue());
            }
        }
        for (Column c : SystemColumns.ALL) {
            field(out, c.name(), row.get(c.name()));
        }
        out.writeEndObject();
    }

    /** {@link #write} into a new array (through this thread's reused buffer). */
    static byte[] toJson(Row row, TableSchema schema) {
        ByteArrayBuilder bytes = BUFFER.get();
        bytes.reset();
        try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(bytes)) {
            write(row, schema, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a row: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static void field(JsonGenerator out, String name, Object value) throws IOException {
        if (value == null) {
            return;
        }
        out.writeFieldName(name);
        if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Long l) {
            out.writeNumber(l);
        } else if (value instanceof Integer i) {
            out.writeNumber(i);
        } else if (value instanceof Double d) {
            out.writeNumber(d);
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Instant || value instanceof LocalDate) {
            out.writeString(value.toString());
        } else if (value instanceof byte[] bytes) {
            out.writeString(Base64.getEncoder().encodeToString(bytes));
        } else {
            out.writeObject(value);
        }
    }
}
