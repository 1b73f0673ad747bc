package io.river.http.ingest;

import static io.river.http.ingest.ArrowValues.field;
import static io.river.http.ingest.ArrowValues.rows;
import static io.river.http.ingest.Bodies.bytes;
import static io.river.http.ingest.Bodies.comparable;
import static io.river.http.ingest.Bodies.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Arrow IPC stream bodies: every supported type, dictionaries, batches, coercion, errors and buffer release. */
class ArrowIngestReaderTest {
    private static final TableSchema NEW_TABLE = TableSchema.initial();
    private static final ArrowType INT64 = new ArrowType.Int(64, true);
    private static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;

    private final RootAllocator allocator = new RootAllocator();
    private final ArrowIngestReader reader = new ArrowIngestReader(allocator);

    @AfterEach
    void everyBufferIsReleased() {
        assertEquals(0, allocator.getAllocatedMemory(), "bytes still allocated after the test");
        allocator.close();
    }

    private List<Map<String, Object>> read(byte[] body, TableSchema schema) throws IOException {
        return comparable(reader.read(bytes(body), schema, Long.MAX_VALUE));
    }

    private IngestRowException refused(byte[] body, TableSchema schema) {
        return assertThrows(IngestRowException.class, () -> reader.read(bytes(body), schema, Long.MAX_VALUE));
    }

    /** A stream of {@code fields} with one batch per element of {@code batches}, each an array of rows. */
    private byte[] stream(List<Field> fields, Object[][]... batches) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            return Bodies.arrow(
                    root,
                    null,
                    CompressionUtil.CodecType.NO_COMPRESSION,
                    true,
                    Arrays.stream(batches).map(ArrowValues::rows).toList());
        }
    }

    private static TableSchema existing() {
        return TableSchema.initial()
                .evolve(Row.of(
                        "k",
                        Map.of("n", 1, "l", 1L, "amount", 1.0, "at", Instant.EPOCH, "raw", new byte[] {0}, "s", "x")));
    }

    @Test
    void arrowDatesFillDateColumnsAndOlderTimestampColumns() throws IOException {
        TableSchema schema = existing().evolve(Row.of("k", Map.of("day", LocalDate.EPOCH)));
        long day = LocalDate.of(2026, 1, 2).toEpochDay();
        List<Field> fields = List.of(
                field("day", new ArrowType.Date(DateUnit.DAY)), field("at", new ArrowType.Date(DateUnit.MILLISECOND)));
        assertEquals(
                List.of(row("day", LocalDate.of(2026, 1, 2), "at", Instant.parse("2026-01-02T00:00:00Z"))),
                read(stream(fields, new Object[][] {{(int) day, day * 86_400_000L + 7}}), schema));
        // a TIMESTAMP into a DATE column does not fit: dates never widen
        IngestRowException e = refused(
                stream(List.of(field("day", new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC"))), new Object[][] {{1L}
                }),
                schema);
        assertEquals("day", e.column());
    }

    @Test
    void everySupportedArrowTypeIsReadAsItsRiverType() throws IOException {
        List<Field> fields = List.of(
                field("bit", ArrowType.Bool.INSTANCE),
                field("i8", new ArrowType.Int(8, true)),
                field("i16", new ArrowType.Int(16, true)),
                field("i32", new ArrowType.Int(32, true)),
                field("u8", new ArrowType.Int(8, false)),
                field("u16", new ArrowType.Int(16, false)),
                field("i64", INT64),
                field("u32", new ArrowType.Int(32, false)),
                field("f32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                field("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                field("utf8", UTF8),
                field("large_utf8", ArrowType.LargeUtf8.INSTANCE),
                field("view_utf8", ArrowType.Utf8View.INSTANCE),
                field("bin", ArrowType.Binary.INSTANCE),
                field("large_bin", ArrowType.LargeBinary.INSTANCE),
                field("view_bin", ArrowType.BinaryView.INSTANCE),
                field("fixed_bin", new ArrowType.FixedSizeBinary(2)),
                field("ts_s", new ArrowType.Timestamp(TimeUnit.SECOND, "UTC")),
                field("ts_ms", new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)),
                field("ts_us", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "Europe/Paris")),
                field("ts_ns", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)),
                field("d32", new ArrowType.Date(DateUnit.DAY)),
                field("d64", new ArrowType.Date(DateUnit.MILLISECOND)),
                field("nothing", ArrowType.Null.INSTANCE));
        long day = LocalDate.of(2026, 1, 2).toEpochDay();
        String view = "a view string longer than twelve bytes";
        Object[] values = {
            true,
            -5,
            -300,
            123456,
            200,
            60000,
            1L << 40,
            4_000_000_000L,
            1.5f,
            2.25,
            "héllo",
            "large",
            view,
            new byte[] {1, 2},
            new byte[] {3},
            new byte[] {4, 5},
            new byte[] {6, 7},
            1767323045L,
            1767323045123L,
            1767323045123456L,
            1767323045123456789L,
            (int) day,
            day * 86_400_000L + 5,
            null
        };
        Object[] nulls = new Object[values.length];
        nulls[20] = -1L;

        Instant at = Instant.parse("2026-01-02T03:04:05.123Z");
        assertEquals(
                List.of(
                        row(
                                "bit",
                                true,
                                "i8",
                                -5,
                                "i16",
                                -300,
                                "i32",
                                123456,
                                "u8",
                                200,
                                "u16",
                                60000,
                                "i64",
                                1L << 40,
                                "u32",
                                4_000_000_000L,
                                "f32",
                                1.5,
                                "f64",
                                2.25,
                                "utf8",
                                "héllo",
                                "large_utf8",
                                "large",
                                "view_utf8",
                                view,
                                "bin",
                                new byte[] {1, 2},
                                "large_bin",
                                new byte[] {3},
                                "view_bin",
                                new byte[] {4, 5},
                                "fixed_bin",
                                new byte[] {6, 7},
                                "ts_s",
                                Instant.parse("2026-01-02T03:04:05Z"),
                                "ts_ms",
                                at,
                                "ts_us",
                                at,
                                "ts_ns",
                                at,
                                "d32",
                                LocalDate.of(2026, 1, 2),
                                "d64",
                                LocalDate.of(2026, 1, 2)),
                        row("ts_ns", Instant.parse("1969-12-31T23:59:59.999Z"))),
                read(stream(fields, new Object[][] {values, nulls}), NEW_TABLE));
    }

    @Test
    void dictionaryEncodedColumnIsDecoded() throws IOException {
        DictionaryEncoding encoding = new DictionaryEncoding(7L, false, new ArrowType.Int(32, true));
        Field color = new Field("color", new FieldType(true, new ArrowType.Int(32, true), encoding), null);
        try (VarCharVector words = new VarCharVector("colors", allocator);
                VectorSchemaRoot root =
                        VectorSchemaRoot.create(new Schema(List.of(color, field("n", INT64))), allocator)) {
            words.allocateNew();
            words.setSafe(0, "red".getBytes(StandardCharsets.UTF_8));
            words.setSafe(1, "green".getBytes(StandardCharsets.UTF_8));
            words.setValueCount(2);
            DictionaryProvider dictionaries =
                    new DictionaryProvider.MapDictionaryProvider(new Dictionary(words, encoding));
            byte[] body = Bodies.arrow(
                    root, dictionaries, rows(new Object[] {1, 1L}, new Object[] {null, 2L}, new Object[] {0, 3L}));
            assertEquals(
                    List.of(row("color", "green", "n", 1L), row("n", 2L), row("color", "red", "n", 3L)),
                    read(body, NEW_TABLE));
        }
    }

    @Test
    void rowsAreNumberedAcrossBatches() {
        byte[] body =
                stream(List.of(field("l", UTF8)), new Object[][] {{null}, {null}}, new Object[][] {{null}, {"x"}});
        IngestRowException e = refused(body, existing());
        assertEquals("row 4, column 'l': 'x' is a string, not an integer (column is INT64)", e.getMessage());
        assertEquals(4, e.row());
        assertEquals(4, e.line());
    }

    @Test
    void valuesAreConvertedToExistingColumnTypes() throws IOException {
        List<Field> fields = List.of(
                field("n", new ArrowType.Int(8, true)),
                field("l", new ArrowType.Int(32, true)),
                field("amount", INT64),
                field("at", UTF8),
                field("_timestamp", INT64),
                field("raw", ArrowType.Binary.INSTANCE),
                field("_deleted", ArrowType.Bool.INSTANCE));
        byte[] body =
                stream(fields, new Object[][] {{7, 8, 9L, "2026-01-02 03:04:05", 1767323045123L, new byte[] {1}, true}
                });
        assertEquals(
                List.of(row(
                        "n",
                        7,
                        "l",
                        8L,
                        "amount",
                        9.0,
                        "at",
                        Instant.parse("2026-01-02T03:04:05Z"),
                        "_timestamp",
                        Instant.parse("2026-01-02T03:04:05.123Z"),
                        "raw",
                        new byte[] {1},
                        "_deleted",
                        true)),
                read(body, existing()));
    }

    @Test
    void valueThatDoesNotFitNamesRowAndColumn() {
        assertEquals(
                "row 1, column 'raw': 'AQID' is a string, not binary (column is BYTES)",
                refused(stream(List.of(field("raw", UTF8)), new Object[][] {{"AQID"}}), existing())
                        .getMessage());
        ArrowType dbl = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        assertEquals(
                "row 2, column 's': 1.5 is a decimal number, not a string (column is STRING)",
                refused(stream(List.of(field("s", dbl)), new Object[][] {{null}, {1.5}}), existing())
                        .getMessage());
        assertEquals(
                "row 1, column '_deleted': 'yes' is a string, not a boolean (column is BOOLEAN)",
                refused(stream(List.of(field("_deleted", UTF8)), new Object[][] {{"yes"}}), NEW_TABLE)
                        .getMessage());
    }

    @Test
    void emptyStringsAndEmptyBytesAreAbsent() throws IOException {
        byte[] body = stream(List.of(field("s", UTF8), field("b", ArrowType.Binary.INSTANCE)), new Object[][] {
            {"", new byte[0]}, {"x", new byte[] {1}}
        });
        assertEquals(List.of(row(), row("s", "x", "b", new byte[] {1})), read(body, NEW_TABLE));
    }

    @Test
    void unsupportedArrowTypeNamesTheColumnAndItsType() {
        Field tags = new Field(
                "tags",
                FieldType.nullable(ArrowType.List.INSTANCE),
                List.of(field("item", new ArrowType.Int(32, true))));
        IngestRowException list = refused(stream(List.of(field("id", INT64), tags), new Object[0][]), NEW_TABLE);
        assertEquals(0, list.row());
        assertEquals("tags", list.column());
        assertTrue(list.getMessage().startsWith("column 'tags': Arrow type List is not supported"), list.getMessage());
        IngestRowException decimal =
                refused(stream(List.of(field("price", new ArrowType.Decimal(10, 2, 128))), new Object[0][]), NEW_TABLE);
        assertTrue(decimal.detail().startsWith("Arrow type Decimal(10, 2, 128) is not supported"), decimal.detail());
    }

    @Test
    void invalidRepeatedOrInternalColumnNameIsRefused() {
        assertEquals(
                "column '_pk': '_pk' is River's internal key and cannot be written",
                refused(stream(List.of(field("_pk", UTF8)), new Object[0][]), NEW_TABLE)
                        .getMessage());
        assertEquals(
                "a b",
                refused(stream(List.of(field("a b", UTF8)), new Object[0][]), NEW_TABLE)
                        .column());
        assertEquals(
                "column 'a': the column appears twice in the Arrow schema",
                refused(stream(List.of(field("a", UTF8), field("a", INT64)), new Object[0][]), NEW_TABLE)
                        .getMessage());
    }

    @Test
    void bodyThatIsNotAnArrowStreamIsRefused() {
        IngestRowException json = refused("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), NEW_TABLE);
        assertEquals(0, json.row());
        assertNull(json.column());
        assertEquals(
                "body is not a valid Arrow IPC stream: a message claims 576791163 bytes of metadata",
                json.getMessage());
        assertEquals(
                "body is not a valid Arrow IPC stream: this is the Arrow file format; send the IPC stream"
                        + " format instead",
                refused("ARROW1\0\0".getBytes(StandardCharsets.US_ASCII), NEW_TABLE)
                        .getMessage());
        byte[] garbage = {-1, -1, -1, -1, 16, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
        assertTrue(refused(garbage, NEW_TABLE).getMessage().startsWith("body is not a valid Arrow IPC stream: "));
        assertTrue(refused(new byte[0], NEW_TABLE).getMessage().startsWith("body is not a valid Arrow IPC stream: "));
    }

    @Test
    void truncatedStreamIsRefused() {
        byte[] whole = stream(List.of(field("s", UTF8)), new Object[][] {{"a"}, {"b"}});
        for (int cut : new int[] {3, 7, whole.length / 2, whole.length - 12}) {
            IngestRowException e = refused(Arrays.copyOf(whole, cut), NEW_TABLE);
            assertTrue(e.getMessage().startsWith("body is not a valid Arrow IPC stream: "), cut + ": " + e);
        }
    }

    @Test
    void batchWithInconsistentOffsetsIsRefused() {
        byte[] body = stream(List.of(field("s", UTF8)), new Object[][] {{"ab"}, {"cd"}});
        byte[] offsets = {0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0};
        int at = indexOf(body, offsets);
        assertTrue(at > 0, "offsets [0, 2, 4] are in the stream");
        byte[] pastTheData = body.clone();
        pastTheData[at + 9] = 0x7F;
        byte[] decreasing = body.clone();
        decreasing[at + 4] = 5;
        for (byte[] corrupt : List.of(pastTheData, decreasing)) {
            IngestRowException e = refused(corrupt, NEW_TABLE);
            assertTrue(e.getMessage().startsWith("body is not a valid Arrow IPC stream: "), e.getMessage());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void failureOfTheBodyStreamItselfStaysAnIoException() {
        byte[] whole = stream(List.of(field("s", UTF8)), new Object[][] {{"a"}});
        InputStream breaksHalfway = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position == whole.length / 2) {
                    throw new IOException("connection reset");
                }
                return whole[position++] & 0xFF;
            }
        };
        IOException e = assertThrows(IOException.class, () -> reader.read(breaksHalfway, NEW_TABLE, 10));
        assertEquals("connection reset", e.getMessage());
    }

    @Test
    void compressedStreamIsRead() throws IOException {
        List<Field> fields = List.of(field("s", UTF8), field("n", INT64));
        for (CompressionUtil.CodecType codec :
                List.of(CompressionUtil.CodecType.ZSTD, CompressionUtil.CodecType.LZ4_FRAME)) {
            try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
                byte[] body = Bodies.arrow(
                        root, null, codec, true, List.of(rows(new Object[] {"x", 1L}, new Object[] {"y", 2L})));
                assertEquals(List.of(row("s", "x", "n", 1L), row("s", "y", "n", 2L)), read(body, NEW_TABLE));
            }
        }
    }

    @Test
    void readingStopsAsSoonAsRowsPassTheLimit() throws IOException {
        byte[] firstBatch;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(field("n", INT64))), allocator)) {
            firstBatch = Bodies.arrow(
                    root,
                    null,
                    CompressionUtil.CodecType.NO_COMPRESSION,
                    false,
                    List.of(rows(new Object[] {1L}, new Object[] {2L}, new Object[] {3L})));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(firstBatch);
        body.write("then anything but Arrow".getBytes(StandardCharsets.UTF_8));
        TooManyRowsException e =
                assertThrows(TooManyRowsException.class, () -> reader.read(bytes(body.toByteArray()), NEW_TABLE, 2));
        assertEquals(2, e.limit());
        assertThrows(IngestRowException.class, () -> reader.read(bytes(body.toByteArray()), NEW_TABLE, 3));
        assertEquals(3, reader.read(bytes(firstBatch), NEW_TABLE, 3).size());
    }

    @Test
    void emptyStreamGivesNoRows() throws IOException {
        assertEquals(List.of(), read(stream(List.of(field("n", INT64))), NEW_TABLE));
    }
}
