package io.river.connect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Writes a nested Connect value (Struct, array, map) as JSON text, which River stores in a STRING
 * column. Struct fields keep their schema order; map keys are written as strings; bytes as
 * base64; Timestamp/Date/Time values as ISO-8601 instants; Decimal as an exact JSON number.
 * Stateless and thread-safe.
 */
final class JsonText {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonText() {}

    /** The value as JSON text; schema may be null (schemaless value). */
    static String of(Schema schema, Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            write(gen, schema, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator gen, Schema schema, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof Struct) {
            Struct struct = (Struct) value;
            gen.writeStartObject();
            for (Field field : struct.schema().fields()) {
                gen.writeFieldName(field.name());
                write(gen, field.schema(), struct.get(field));
            }
            gen.writeEndObject();
        } else if (value instanceof Map) {
            Schema valueSchema = schema == null ? null : schema.valueSchema();
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                gen.writeFieldName(String.valueOf(e.getKey()));
                write(gen, valueSchema, e.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof Collection) {
            Schema elementSchema = schema == null ? null : schema.valueSchema();
            gen.writeStartArray();
            for (Object element : (Collection<?>) value) {
                write(gen, elementSchema, element);
            }
            gen.writeEndArray();
        } else if (value instanceof String) {
            gen.writeString((String) value);
        } else if (value instanceof Boolean) {
            gen.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            gen.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long) {
            gen.writeNumber((Long) value);
        } else if (value instanceof Float) {
            gen.writeNumber((Float) value);
        } else if (value instanceof Double) {
            gen.writeNumber((Double) value);
        } else if (value instanceof BigDecimal) {
            gen.writeNumber((BigDecimal) value);
        } else if (value instanceof BigInteger) {
            gen.writeNumber((BigInteger) value);
        } else if (value instanceof byte[]) {
            gen.writeBinary((byte[]) value);
        } else if (value instanceof ByteBuffer) {
            gen.writeBinary(ConnectValues.bytes((ByteBuffer) value));
        } else if (value instanceof Date) {
            gen.writeString(Instant.ofEpochMilli(((Date) value).getTime()).toString());
        } else if (value instanceof Instant) {
            gen.writeString(value.toString());
        } else {
            gen.writeString(value.toString());
        }
    }
}
