package io.river.connect;

import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns one {@link SinkRecord} into one River {@link Row}: its value into columns, plus the system
 * columns {@code _key}, {@code _topic}, {@code _partition}, {@code _offset}, {@code _timestamp}
 * and {@code _ingested_at}. Not thread-safe: one per task (its JSON scanner keeps caches and
 * scratch arrays).
 *
 * <p>Values: a {@link Struct} with its schema ({@link ConnectValues}); a {@link Map} with or
 * without a schema, one column per entry; a String holding a JSON object, read by
 * {@link FlatJsonScanner} (or parsed by {@link JsonRowParser} when the scanner leaves it), a byte[]
 * holding a JSON object, parsed by {@link JsonRowParser}; a String or byte[] holding anything else,
 * and any other top-level value, stored whole in {@code _value}.
 *
 * <p>Keys: {@code _key} is the record key as text: a string as is, bytes as UTF-8 when they are
 * valid UTF-8 (else {@code base64:} and the base64 text), numbers and booleans in decimal, a
 * Struct, Map or array as JSON text. In append mode the primary key is
 * {@link SystemColumns#appendKey(int, long)} of the record's original partition and offset
 * (prefixed by its topic when its table may hold other topics, see {@link TableRouter}); in upsert
 * mode it is {@code _key}, and a record with no key is a record error.
 *
 * <p>Null values follow {@code river.behavior.on.null.values}: {@code delete} gives a tombstone in
 * upsert mode and skips the record in append mode, {@code ignore} skips, {@code fail} is a record
 * error.
 */
final class RecordConverter {
    private final TableMode mode;
    private final NullValueBehavior onNull;
    private final TableRouter router;
    private final FlatJsonScanner scanner = new FlatJsonScanner();

    RecordConverter(TableMode mode, NullValueBehavior onNull, TableRouter router) {
        this.mode = mode;
        this.onNull = onNull;
        this.router = router;
    }

    /**
     * The row of a record, or null when the record is to be skipped (a null value that is not a
     * delete). Throws {@link RecordException} with the reason when the record cannot be stored.
     */
    Row convert(SinkRecord record, Instant ingestedAt) throws RecordException {
        Map<String, Object> values = new LinkedHashMap<>();
        Keyed keyed = convertColumns(record, ingestedAt, values::put);
        if (keyed == null) {
            return null;
        }
        return keyed.delete() ? Row.tombstone(keyed.pk()) : Row.of(keyed.pk(), values);
    }

    /** A converted record's primary key and whether it is a delete. */
    record Keyed(String pk, boolean delete) {}

    /**
     * Embedded mode: the record's columns straight into {@code out} (no {@link Row}, no map): the
     * value's columns, then {@code _key}, {@code _topic}, {@code _partition}, {@code _offset},
     * {@code _timestamp} and {@code _ingested_at}; nothing for a delete. Returns the row's primary key
     * and whether it is a delete, or null, having put nothing, when the record is to be skipped;
     * throws {@link RecordException} as {@link #convert} (having possibly put some columns: the
     * caller drops the row).
     */
    Keyed convertColumns(SinkRecord record, Instant ingestedAt, RowTarget out) throws RecordException {
        String key = keyText(record.keySchema(), record.key());
        if (record.value() == null) {
            Row row = nullValue(record, key);
            return row == null ? null : new Keyed(row.pk(), true);
        }
        putValue(record.valueSchema(), record.value(), out);
        out.put(SystemColumns.KEY, key);
        out.put(SystemColumns.TOPIC, record.topic());
        out.put(SystemColumns.PARTITION, record.kafkaPartition());
        out.put(SystemColumns.OFFSET, record.kafkaOffset());
        out.put(SystemColumns.TIMESTAMP, record.timestamp() == null ? null : Instant.ofEpochMilli(record.timestamp()));
        out.put(SystemColumns.INGESTED_AT, ingestedAt);
        return new Keyed(primaryKey(record, key), false);
    }

    /**
     * Server mode: the record's columns as River's ingest route takes them, straight into {@code out}
     * (no {@link Row}, no map): the value's columns, {@code _key}, {@code _timestamp} and
     * {@code _ingested_at}, or for a delete {@code _key} and {@code _deleted}; then the record's
     * original {@code _topic}, {@code _partition} and {@code _offset}. Returns false, having put
     * nothing, when the record is to be skipped; throws {@link RecordException} as {@link #convert}
     * (having possibly put some columns: the caller drops the row).
     */
    boolean convertInto(SinkRecord record, Instant ingestedAt, RowTarget out) throws RecordException {
        String key = keyText(record.keySchema(), record.key());
        if (record.value() == null) {
            Row row = nullValue(record, key);
            if (row == null) {
                return false;
            }
            out.put(SystemColumns.KEY, row.pk());
            out.put(SystemColumns.DELETED, Boolean.TRUE);
        } else {
            if (mode == TableMode.UPSERT) {
                primaryKey(record, key); // an upsert record without a key is a record error here too
            }
            putValue(record.valueSchema(), record.value(), out);
            out.put(SystemColumns.KEY, key);
            out.put(
                    SystemColumns.TIMESTAMP,
                    record.timestamp() == null ? null : Instant.ofEpochMilli(record.timestamp()));
            out.put(SystemColumns.INGESTED_AT, ingestedAt);
        }
        out.put(SystemColumns.TOPIC, record.originalTopic());
        out.put(SystemColumns.PARTITION, record.originalKafkaPartition());
        out.put(SystemColumns.OFFSET, record.originalKafkaOffset());
        return true;
    }

    private Row nullValue(SinkRecord record, String key) throws RecordException {
        switch (onNull) {
            case DELETE:
                return mode == TableMode.UPSERT ? Row.tombstone(primaryKey(record, key)) : null;
            case IGNORE:
                return null;
            case FAIL:
            default:
                throw new RecordException("record has a null value and river.behavior.on.null.values=fail");
        }
    }

    private String primaryKey(SinkRecord record, String key) throws RecordException {
        if (mode == TableMode.UPSERT) {
            if (key == null) {
                throw new RecordException("upsert mode needs a record key, and this record has none");
            }
            return key;
        }
        String appendKey = SystemColumns.appendKey(record.originalKafkaPartition(), record.originalKafkaOffset());
        return router.isTopicExclusive(record.topic()) ? appendKey : record.originalTopic() + "/" + appendKey;
    }

    private void putValue(Schema schema, Object value, RowTarget out) throws RecordException {
        if (value instanceof Struct) {
            Struct struct = (Struct) value;
            for (Field field : struct.schema().fields()) {
                out.put(ColumnNames.of(field.name()), ConnectValues.withSchema(field.schema(), struct.get(field)));
            }
        } else if (value instanceof Map) {
            Schema valueSchema = schema == null ? null : schema.valueSchema();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                Object v = e.getValue();
                out.put(
                        ColumnNames.of(String.valueOf(e.getKey())),
                        valueSchema == null ? ConnectValues.schemaless(v) : ConnectValues.withSchema(valueSchema, v));
            }
        } else if (value instanceof String) {
            String text = (String) value;
            if (JsonRowParser.isObject(text)) {
                if (!scanner.scan(text, out)) {
                    JsonRowParser.parse(text, out);
                }
            } else {
                out.put(SystemColumns.VALUE, text);
            }
        } else if (value instanceof byte[] || value instanceof ByteBuffer) {
            byte[] bytes = value instanceof byte[] ? (byte[]) value : ConnectValues.bytes((ByteBuffer) value);
            if (JsonRowParser.isObject(bytes)) {
                JsonRowParser.parse(bytes, out);
            } else {
                out.put(SystemColumns.VALUE, bytes);
            }
        } else {
            out.put(
                    SystemColumns.VALUE,
                    schema == null ? ConnectValues.schemaless(value) : ConnectValues.withSchema(schema, value));
        }
    }

    /** The record key as text, or null for a null key. */
    static String keyText(Schema schema, Object key) throws RecordException {
        if (key == null) {
            return null;
        } else if (key instanceof String) {
            return (String) key;
        } else if (key instanceof byte[] || key instanceof ByteBuffer) {
            byte[] bytes = key instanceof byte[] ? (byte[]) key : ConnectValues.bytes((ByteBuffer) key);
            return utf8OrBase64(bytes);
        } else if (key instanceof Struct || key instanceof Map || key instanceof Collection) {
            return JsonText.of(schema, key);
        }
        Object value = schema == null ? ConnectValues.schemaless(key) : ConnectValues.withSchema(schema, key);
        return String.valueOf(value);
    }

    private static String utf8OrBase64(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(bytes);
        }
    }
}
