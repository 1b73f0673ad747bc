package io.river.connect;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Parses raw JSON text (a String from {@code StringConverter}, bytes from
 * {@code ByteArrayConverter}) with Jackson's streaming parser straight into row values, with no
 * tree or Map in between: this is the fast path for schemaless topics. Stateless and thread-safe.
 *
 * <p>Type inference: JSON integers are INT64 (an integer wider than a long is FLOAT64), other
 * numbers FLOAT64, strings STRING, booleans BOOLEAN, null NULL, and nested objects and arrays are
 * kept as their JSON text in a STRING column. A document whose first non-blank character is not
 * {@code '{'} is not an object: the caller stores it whole in {@code _value}. A document that
 * starts as an object but is malformed, or has content after it, is a record error.
 */
final class JsonRowParser {
    private JsonRowParser() {}

    /** True when the text looks like a JSON object (its first non-blank character is '{'). */
    static boolean isObject(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isBlank(c)) {
                return c == '{';
            }
        }
        return false;
    }

    /** True when the UTF-8 bytes look like a JSON object (first non-blank byte '{', BOM skipped). */
    static boolean isObject(byte[] bytes) {
        int i = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                ? 3
                : 0;
        for (; i < bytes.length; i++) {
            char c = (char) (bytes[i] & 0xFF);
            if (!isBlank(c)) {
                return c == '{';
            }
        }
        return false;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Parses a JSON object into {@code out} (column name to value, see {@link ColumnNames}). */
    static void parse(String text, RowTarget out) throws RecordException {
        try (JsonParser parser = JsonText.FACTORY.createParser(text)) {
            parseObject(parser, out);
        } catch (JsonProcessingException e) {
            throw new RecordException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RecordException("unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** As {@link #parse(String, RowTarget)} for UTF-8 (or UTF-16/32, detected) bytes. */
    static void parse(byte[] bytes, RowTarget out) throws RecordException {
        int skip =
                bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                        ? 3
                        : 0;
        try (JsonParser parser = JsonText.FACTORY.createParser(bytes, skip, bytes.length - skip)) {
            parseObject(parser, out);
        } catch (JsonProcessingException e) {
            throw new RecordException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RecordException("unreadable JSON: " + e.getMessage(), e);
        }
    }

    private static void parseObject(JsonParser parser, RowTarget out) throws IOException, RecordException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new RecordException("expected a JSON object");
        }
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String column = ColumnNames.of(parser.currentName());
            out.put(column, value(parser, parser.nextToken()));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new RecordException("malformed JSON object: unexpected " + token);
        }
        if (parser.nextToken() != null) {
            throw new RecordException("unexpected content after the JSON object at "
                    + parser.currentLocation().offsetDescription());
        }
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getDoubleValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
            case START_ARRAY:
                StringWriter nested = new StringWriter();
                try (JsonGenerator gen = JsonText.FACTORY.createGenerator(nested)) {
                    gen.copyCurrentStructure(parser);
                }
                return nested.toString();
            default:
                throw new JsonParseFailure(parser, "unexpected " + token);
        }
    }

    private static final class JsonParseFailure extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        JsonParseFailure(JsonParser parser, String message) {
            super(message, parser.currentLocation());
        }
    }
}
