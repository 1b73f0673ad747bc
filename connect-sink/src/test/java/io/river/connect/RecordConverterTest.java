package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordConverterTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.006Z");
    private static final long RECORD_TS = 1_700_000_000_123L;

    private final RecordConverter append = converter(TableMode.APPEND, NullValueBehavior.DELETE, Map.of());
    private final RecordConverter upsert = converter(TableMode.UPSERT, NullValueBehavior.DELETE, Map.of());

    private static RecordConverter converter(TableMode mode, NullValueBehavior onNull, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("river.data.dir", "/tmp/unused");
        RiverConfig config = RiverSinkConnectorConfig.riverConfig(props);
        return new RecordConverter(mode, onNull, new TableRouter(config));
    }

    private static SinkRecord record(Schema keySchema, Object key, Schema valueSchema, Object value) {
        return new SinkRecord(
                "orders.v1", 3, keySchema, key, valueSchema, value, 42L, RECORD_TS, TimestampType.CREATE_TIME);
    }

    private static SinkRecord record(Object value) {
        return record(Schema.OPTIONAL_STRING_SCHEMA, "k1", null, value);
    }

    @Test
    void structWithEveryPrimitiveType() throws Exception {
        Schema schema = SchemaBuilder.struct()
                .name("Order")
                .field("i8", Schema.INT8_SCHEMA)
                .field("i16", Schema.INT16_SCHEMA)
                .field("i32", Schema.INT32_SCHEMA)
                .field("i64", Schema.INT64_SCHEMA)
                .field("f32", Schema.FLOAT32_SCHEMA)
                .field("f64", Schema.FLOAT64_SCHEMA)
                .field("flag", Schema.BOOLEAN_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .field("blob", Schema.BYTES_SCHEMA)
                .build();
        Struct value = new Struct(schema)
                .put("i8", (byte) -8)
                .put("i16", (short) 1600)
                .put("i32", 32)
                .put("i64", 1L << 40)
                .put("f32", 0.1f)
                .put("f64", 2.5)
                .put("flag", true)
                .put("name", "ünïcode")
                .put("blob", new byte[] {1, 2, 3});

        Row row = append.convert(record(Schema.STRING_SCHEMA, "k1", schema, value), NOW);

        assertEquals(-8, row.get("i8"));
        assertEquals(1600, row.get("i16"));
        assertEquals(32, row.get("i32"));
        assertEquals(1L << 40, row.get("i64"));
        assertEquals(0.1, row.get("f32"), "a float keeps the decimal value it was written with");
        assertEquals(2.5, row.get("f64"));
        assertEquals(true, row.get("flag"));
        assertEquals("ünïcode", row.get("name"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) row.get("blob"));
        assertEquals(ColumnType.INT32, ColumnType.of(row.get("i8")));
        assertEquals(ColumnType.INT32, ColumnType.of(row.get("i16")));
        assertEquals(ColumnType.FLOAT64, ColumnType.of(row.get("f32")));
    }

    @Test
    void systemColumnsAndAppendKey() throws Exception {
        Row row = append.convert(record(Schema.STRING_SCHEMA, "k1", null, Map.of("a", 1L)), NOW);

        assertEquals(SystemColumns.appendKey(3, 42), row.pk());
        assertFalse(row.isTombstone());
        assertEquals("k1", row.get(SystemColumns.KEY));
        assertEquals("orders.v1", row.get(SystemColumns.TOPIC));
        assertEquals(3, row.get(SystemColumns.PARTITION));
        assertEquals(42L, row.get(SystemColumns.OFFSET));
        assertEquals(Instant.ofEpochMilli(RECORD_TS), row.get(SystemColumns.TIMESTAMP));
        assertEquals(NOW, row.get(SystemColumns.INGESTED_AT));
        // The row fits the system columns' declared types.
        TableSchema evolved = TableSchema.initial().evolve(row);
        assertEquals(ColumnType.INT64, evolved.column("a").type());
        assertEquals(TableSchema.initial().columns(), evolved.columns().subList(0, SystemColumns.ALL.size()));
    }

    @Test
    void appendKeyUsesOriginalPartitionAndOffsetAndIsQualifiedWhenTopicsShareATable() throws Exception {
        SinkRecord original = record(Map.of("a", 1L));
        SinkRecord renamed = original.newRecord(
                "renamed",
                0,
                original.keySchema(),
                original.key(),
                original.valueSchema(),
                original.value(),
                original.timestamp());

        assertEquals(
                SystemColumns.appendKey(3, 42), append.convert(renamed, NOW).pk());
        RecordConverter shared = converter(
                TableMode.APPEND, NullValueBehavior.DELETE, Map.of("river.topic.table.map", "orders.v1:all_orders"));
        assertEquals(
                "orders.v1/" + SystemColumns.appendKey(3, 42),
                shared.convert(original, NOW).pk());
        RecordConverter constant =
                converter(TableMode.APPEND, NullValueBehavior.DELETE, Map.of("river.table.name.format", "everything"));
        assertEquals(
                "orders.v1/" + SystemColumns.appendKey(3, 42),
                constant.convert(original, NOW).pk());
    }

    @Test
    void logicalTypesBecomeTimestampsDatesAndDecimalsDoubles() throws Exception {
        Schema schema = SchemaBuilder.struct()
                .field("ts", Timestamp.SCHEMA)
                .field("day", org.apache.kafka.connect.data.Date.SCHEMA)
                .field("time", Time.SCHEMA)
                .field("price", Decimal.schema(2))
                .build();
        Struct value = new Struct(schema)
                .put("ts", new Date(1_700_000_000_500L))
                .put("day", new Date(19_000L * 86_400_000L))
                .put("time", new Date(3_600_000L + 1))
                .put("price", new BigDecimal("1234.56"));

        Row row = append.convert(record(null, null, schema, value), NOW);

        assertEquals(Instant.ofEpochMilli(1_700_000_000_500L), row.get("ts"));
        assertEquals(LocalDate.of(2022, 1, 8), row.get("day"));
        assertEquals(Instant.parse("1970-01-01T01:00:00.001Z"), row.get("time"));
        assertEquals(1234.56, row.get("price"));
        TableSchema evolved = TableSchema.initial().evolve(row);
        assertEquals(ColumnType.TIMESTAMP, evolved.column("ts").type());
        assertEquals(ColumnType.DATE, evolved.column("day").type());
        // A table whose column got TIMESTAMP before River had DATE keeps taking dates, as midnight UTC.
        TableSchema older = TableSchema.initial().evolve(Row.of("k", Map.of("day", Instant.EPOCH)));
        Object fitted = ConnectValues.fitTo(older.column("day").type(), row.get("day"));
        assertEquals(Instant.parse("2022-01-08T00:00:00Z"), fitted);
        assertEquals(LocalDate.of(2022, 1, 8), ConnectValues.fitTo(ColumnType.DATE, row.get("day")));
        assertEquals(ColumnType.TIMESTAMP, evolved.column("time").type());
        assertEquals(ColumnType.FLOAT64, evolved.column("price").type());
    }

    @Test
    void optionalFieldsAreNullAndAddNoColumnUntilAValueComes() throws Exception {
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Row row = append.convert(record(null, null, schema, new Struct(schema).put("id", 7L)), NOW);

        assertTrue(row.values().containsKey("note"));
        assertNull(row.get("note"));
        assertNull(row.get(SystemColumns.KEY));
        TableSchema evolved = TableSchema.initial().evolve(row);
        assertNull(evolved.column("note"));
        assertEquals(ColumnType.INT64, evolved.column("id").type());
    }

    @Test
    void nestedStructArrayAndMapAreStoredAsJsonText() throws Exception {
        Schema address = SchemaBuilder.struct()
                .field("city", Schema.STRING_SCHEMA)
                .field("zip", Schema.OPTIONAL_INT32_SCHEMA)
                .build();
        Schema schema = SchemaBuilder.struct()
                .field("address", address)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .field(
                        "attrs",
                        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA)
                                .build())
                .field("raw", SchemaBuilder.array(Schema.BYTES_SCHEMA).build())
                .build();
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("w", 1.5);
        attrs.put("h", 2.0);
        Struct value = new Struct(schema)
                .put("address", new Struct(address).put("city", "Zürich"))
                .put("tags", List.of("a", "b\"c"))
                .put("attrs", attrs)
                .put("raw", List.of(new byte[] {0, 1}));

        Row row = append.convert(record(null, null, schema, value), NOW);

        assertEquals("{\"city\":\"Zürich\",\"zip\":null}", row.get("address"));
        assertEquals("[\"a\",\"b\\\"c\"]", row.get("tags"));
        assertEquals("{\"w\":1.5,\"h\":2.0}", row.get("attrs"));
        assertEquals("[\"AAE=\"]", row.get("raw"));
    }

    @Test
    void schemalessMapFromJsonConverter() throws Exception {
        SchemaAndValue data = jsonConverter(false)
                .toConnectData(
                        "orders.v1",
                        ("{\"id\": 5, \"price\": 9.5, \"ok\": false, \"name\": \"x\", \"none\": null, \"nested\": "
                                        + "{\"a\": [1, 2]}}")
                                .getBytes(StandardCharsets.UTF_8));

        Row row = append.convert(record(Schema.STRING_SCHEMA, "k", data.schema(), data.value()), NOW);

        assertEquals(5L, row.get("id"));
        assertEquals(9.5, row.get("price"));
        assertEquals(false, row.get("ok"));
        assertEquals("x", row.get("name"));
        assertNull(row.get("none"));
        assertEquals("{\"a\":[1,2]}", row.get("nested"));
    }

    @Test
    void structFromJsonConverterWithSchemas() throws Exception {
        String json = "{\"schema\":{\"type\":\"struct\",\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int32\"},"
                + "{\"field\":\"at\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"},"
                + "{\"field\":\"score\",\"type\":\"float\",\"optional\":true}]},"
                + "\"payload\":{\"id\":3,\"at\":1700000000000,\"score\":0.25}}";
        SchemaAndValue data = jsonConverter(true).toConnectData("orders.v1", json.getBytes(StandardCharsets.UTF_8));

        Row row = append.convert(record(null, null, data.schema(), data.value()), NOW);

        assertEquals(3, row.get("id"));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), row.get("at"));
        assertEquals(0.25, row.get("score"));
    }

    @Test
    void rawJsonStringIsParsedIntoColumns() throws Exception {
        Row row = append.convert(
                record(" {\"id\": 12345678901, \"big\": 123456789012345678901234567890, \"f\": 1e3, \"s\": \"t\","
                        + " \"b\": true, \"n\": null, \"arr\": [1, {\"x\": null}], \"obj\": {}, \"user-id\": 9}\n"),
                NOW);

        assertEquals(12345678901L, row.get("id"));
        assertEquals(1.2345678901234568E29, row.get("big"));
        assertEquals(1000.0, row.get("f"));
        assertEquals("t", row.get("s"));
        assertEquals(true, row.get("b"));
        assertNull(row.get("n"));
        assertEquals("[1,{\"x\":null}]", row.get("arr"));
        assertEquals("{}", row.get("obj"));
        assertEquals(9L, row.get("user_id"), "field names are sanitized like topic names");
        assertNull(row.get(SystemColumns.VALUE));
    }

    @Test
    void rawJsonBytesAreParsedIntoColumns() throws Exception {
        byte[] json = "\uFEFF{\"id\": 1, \"name\": \"ö\"}".getBytes(StandardCharsets.UTF_8);
        Row row = append.convert(
                record(
                        Schema.OPTIONAL_BYTES_SCHEMA,
                        "k".getBytes(StandardCharsets.UTF_8),
                        Schema.OPTIONAL_BYTES_SCHEMA,
                        json),
                NOW);

        assertEquals(1L, row.get("id"));
        assertEquals("ö", row.get("name"));
        assertEquals("k", row.get(SystemColumns.KEY));
        Row fromBuffer = append.convert(record(ByteBuffer.wrap("{\"id\": 2}".getBytes(StandardCharsets.UTF_8))), NOW);
        assertEquals(2L, fromBuffer.get("id"));
    }

    @Test
    void anythingButAJsonObjectGoesWholeIntoValue() throws Exception {
        assertEquals("hello world", append.convert(record("hello world"), NOW).get(SystemColumns.VALUE));
        assertEquals("[1,2]", append.convert(record("[1,2]"), NOW).get(SystemColumns.VALUE));
        assertEquals("", append.convert(record(""), NOW).get(SystemColumns.VALUE));
        byte[] binary = {(byte) 0xFF, 0, 1, '{'};
        assertArrayEquals(binary, (byte[]) append.convert(record(binary), NOW).get(SystemColumns.VALUE));
        Row number = append.convert(record(null, null, Schema.INT64_SCHEMA, 17L), NOW);
        assertEquals(17L, number.get(SystemColumns.VALUE));
    }

    @Test
    void malformedJsonObjectIsARecordError() {
        RecordException truncated = assertThrows(RecordException.class, () -> append.convert(record("{\"a\": 1"), NOW));
        assertTrue(truncated.getMessage().startsWith("malformed JSON"), truncated.getMessage());
        RecordException trailing =
                assertThrows(RecordException.class, () -> append.convert(record("{\"a\": 1} {\"b\": 2}"), NOW));
        assertTrue(trailing.getMessage().contains("after the JSON object"), trailing.getMessage());
        assertThrows(
                RecordException.class,
                () -> append.convert(record("{\"a\": 1, }".getBytes(StandardCharsets.UTF_8)), NOW));
    }

    @Test
    void aFieldNamedLikeASystemColumnIsARecordError() {
        RecordException e =
                assertThrows(RecordException.class, () -> append.convert(record("{\"_topic\": \"spoof\"}"), NOW));
        assertTrue(e.getMessage().contains("_topic"), e.getMessage());
        assertThrows(RecordException.class, () -> append.convert(record(Map.of("_pk", "x")), NOW));
    }

    @Test
    void upsertKeysByRecordKeyAndNeedsOne() throws Exception {
        Row row = upsert.convert(record(Map.of("v", 1L)), NOW);
        assertEquals("k1", row.pk());

        RecordException e = assertThrows(
                RecordException.class, () -> upsert.convert(record(null, null, null, Map.of("v", 1L)), NOW));
        assertTrue(e.getMessage().contains("needs a record key"), e.getMessage());
    }

    @Test
    void keysAreStringified() throws Exception {
        Schema keySchema = SchemaBuilder.struct()
                .field("id", Schema.INT32_SCHEMA)
                .field("region", Schema.STRING_SCHEMA)
                .build();
        assertEquals(
                "{\"id\":7,\"region\":\"eu\"}",
                RecordConverter.keyText(
                        keySchema, new Struct(keySchema).put("id", 7).put("region", "eu")));
        assertEquals("42", RecordConverter.keyText(Schema.INT64_SCHEMA, 42L));
        assertEquals("true", RecordConverter.keyText(null, true));
        assertEquals("é", RecordConverter.keyText(null, "é".getBytes(StandardCharsets.UTF_8)));
        assertEquals("base64:/w==", RecordConverter.keyText(null, new byte[] {(byte) 0xFF}));
        assertEquals("{\"a\":1}", RecordConverter.keyText(null, Map.of("a", 1L)));
        assertNull(RecordConverter.keyText(null, null));
    }

    @Test
    void tombstonesFollowTheNullValueBehavior() throws Exception {
        SinkRecord tombstone = record(Schema.STRING_SCHEMA, "k1", null, null);

        Row delete = upsert.convert(tombstone, NOW);
        assertTrue(delete.isTombstone());
        assertEquals("k1", delete.pk());
        assertNull(append.convert(tombstone, NOW), "a delete in append mode is skipped");
        assertNull(
                converter(TableMode.UPSERT, NullValueBehavior.IGNORE, Map.of()).convert(tombstone, NOW));
        RecordException fail = assertThrows(
                RecordException.class,
                () -> converter(TableMode.UPSERT, NullValueBehavior.FAIL, Map.of())
                        .convert(tombstone, NOW));
        assertTrue(fail.getMessage().contains("river.behavior.on.null.values=fail"), fail.getMessage());
        assertThrows(
                RecordException.class,
                () -> upsert.convert(record(null, null, null, null), NOW),
                "a delete needs a key");
    }

    @Test
    void widensAcrossRecordsAndRefusesValuesThatDoNotFit() throws Exception {
        Schema small = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
        TableSchema schema = TableSchema.initial()
                .evolve(append.convert(record(null, null, small, new Struct(small).put("n", 1)), NOW));
        assertEquals(ColumnType.INT32, schema.column("n").type());

        schema = schema.evolve(append.convert(record("{\"n\": 5000000000}"), NOW));
        assertEquals(ColumnType.INT64, schema.column("n").type());
        schema = schema.evolve(append.convert(record("{\"n\": 1.5, \"extra\": \"new\"}"), NOW));
        assertEquals(ColumnType.FLOAT64, schema.column("n").type());
        assertEquals(ColumnType.STRING, schema.column("extra").type());

        TableSchema settled = schema;
        Row bad = append.convert(record("{\"n\": \"not a number\"}"), NOW);
        SchemaException e = assertThrows(SchemaException.class, () -> settled.evolve(bad));
        assertTrue(e.getMessage().contains("'n'"), e.getMessage());
        Row numberIntoText = append.convert(record("{\"extra\": 3}"), NOW);
        assertThrows(SchemaException.class, () -> settled.evolve(numberIntoText));
    }

    private static JsonConverter jsonConverter(boolean schemas) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", String.valueOf(schemas)), false);
        return converter;
    }
}
