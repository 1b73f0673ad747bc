package io.river.http.ingest;

import static io.river.http.ingest.Bodies.comparable;
import static io.river.http.ingest.Bodies.row;
import static io.river.http.ingest.Bodies.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NDJSON bodies: JSON's own types for new columns, coercion into existing ones, errors by line. */
class NdjsonReaderTest {
    private static final TableSchema NEW_TABLE = TableSchema.initial();
    private final NdjsonReader reader = new NdjsonReader();

    private List<Map<String, Object>> read(String body, TableSchema schema) throws Exception {
        return comparable(reader.read(text(body), schema, Long.MAX_VALUE));
    }

    private IngestRowException refused(String body, TableSchema schema) {
        return assertThrows(IngestRowException.class, () -> reader.read(text(body), schema, Long.MAX_VALUE));
    }

    private static TableSchema existing() {
        return TableSchema.initial()
                .evolve(Row.of(
                        "k",
                        Map.of(
                                "n",
                                1,
                                "l",
                                1L,
                                "f",
                                1.0,
                                "t",
                                Instant.EPOCH,
                                "raw",
                                new byte[] {0},
                                "ok",
                                true,
                                "s",
                                "x")));
    }

    @Test
    void newColumnsKeepJsonTypesInBodyOrder() throws Exception {
        String line = "{\"s\":\"x\",\"i\":42,\"big\":123456789012345678901234567890,\"d\":1.5,\"e\":1e3,"
                + "\"b\":true,\"o\":{\"k\":[1, 2]},\"a\":[1,\"x\"],\"n\":null,\"empty\":\"\",\"f\":false}";
        assertEquals(
                List.of(row(
                        "s",
                        "x",
                        "i",
                        42L,
                        "big",
                        1.2345678901234568E29,
                        "d",
                        1.5,
                        "e",
                        1000.0,
                        "b",
                        true,
                        "o",
                        "{\"k\":[1,2]}",
                        "a",
                        "[1,\"x\"]",
                        "f",
                        false)),
                read(line, NEW_TABLE));
        assertEquals(
                List.of("s", "i", "big", "d", "e", "b", "o", "a", "f"),
                List.copyOf(reader.read(text(line), NEW_TABLE, 10).get(0).keySet()));
    }

    @Test
    void blankLinesAreSkippedAndLineEndsMayBeCrlf() throws Exception {
        assertEquals(List.of(row("a", 1L), row("a", 2L)), read("\n{\"a\":1}\r\n   \r\n{\"a\":2}\n\n", NEW_TABLE));
    }

    @Test
    void emptyBodyGivesNoRows() throws Exception {
        assertEquals(List.of(), read("", NEW_TABLE));
        assertEquals(List.of(), read("\n \n", NEW_TABLE));
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        assertEquals(List.of(row("a", 1L)), read("\uFEFF{\"a\":1}\n", NEW_TABLE));
    }

    @Test
    void badNdjsonLineIsNamedByItsNumber() {
        IngestRowException e = refused("{\"a\":1}\n\n{\"a\":2}\n{\"a\":\n{\"a\":4}\n", NEW_TABLE);
        assertEquals(4, e.line());
        assertEquals(3, e.row());
        assertEquals(null, e.column());
        assertTrue(e.getMessage().startsWith("line 4 (row 3): not valid JSON: "), e.getMessage());
    }

    @Test
    void lineThatIsNotOneObjectIsRefused() {
        assertEquals(
                "line 1 (row 1): not a JSON object but an array",
                refused("[1,2]", NEW_TABLE).getMessage());
        assertEquals(
                "line 2 (row 2): not a JSON object but a number",
                refused("{}\n42", NEW_TABLE).getMessage());
        assertEquals(
                "line 1 (row 1): more than one JSON value on the line",
                refused("{\"a\":1} {\"b\":2}", NEW_TABLE).getMessage());
    }

    @Test
    void oneParserOverTheBodyKeepsLinesApart() throws Exception {
        assertEquals(
                List.of(row("a", 1L), row("a", 2L), row("a", 3L)),
                read("{\"a\":1}\r{\"a\":2}\r\n\n{\"a\":3}", NEW_TABLE));
        IngestRowException spanning = refused("{\"a\":1}\r{\"b\":\n2}\n", NEW_TABLE);
        assertEquals(2, spanning.line());
        assertEquals(2, spanning.row());
        assertTrue(spanning.getMessage().startsWith("line 2 (row 2): not valid JSON: "), spanning.getMessage());
        IngestRowException between = refused("{\"a\":1}\n\n}\n{\"a\":2}", NEW_TABLE);
        assertEquals(3, between.line());
        assertEquals(2, between.row());
        IngestRowException badUtf8 = assertThrows(
                IngestRowException.class,
                () -> reader.read(
                        new java.io.ByteArrayInputStream(
                                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}),
                        NEW_TABLE,
                        10));
        assertEquals(1, badUtf8.line());
    }

    @Test
    void bodyIsLeftOpen() throws Exception {
        boolean[] closed = {false};
        java.io.InputStream body = new java.io.FilterInputStream(text("{\"a\":1}\n")) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertEquals(1, reader.readColumns(body, NEW_TABLE, 10).rows());
        assertTrue(!closed[0], "the reader closed the body");
    }

    @Test
    void repeatedFieldIsRefused() {
        IngestRowException e = refused("{\"a\":1,\"a\":2}", NEW_TABLE);
        assertTrue(e.getMessage().startsWith("line 1 (row 1): not valid JSON: Duplicate"), e.getMessage());
    }

    @Test
    void valuesAreConvertedToExistingColumnTypes() throws Exception {
        String line = "{\"n\":7,\"l\":8,\"f\":2,\"t\":\"2026-01-02T03:04:05.123Z\",\"raw\":\"AQID\",\"ok\":true,"
                + "\"s\":\"{}\",\"_partition\":3,\"_offset\":9,\"_timestamp\":1767323045123,\"_deleted\":false}";
        Instant at = Instant.parse("2026-01-02T03:04:05.123Z");
        assertEquals(
                List.of(row(
                        "n",
                        7,
                        "l",
                        8L,
                        "f",
                        2.0,
                        "t",
                        at,
                        "raw",
                        new byte[] {1, 2, 3},
                        "ok",
                        true,
                        "s",
                        "{}",
                        "_partition",
                        3,
                        "_offset",
                        9L,
                        "_timestamp",
                        at,
                        "_deleted",
                        false)),
                read(line, existing()));
    }

    @Test
    void numberTooWideForItsColumnPassesThroughSoTheColumnWidens() throws Exception {
        assertEquals(
                List.of(Map.of("n", 1), Map.of("n", 3_000_000_000L), Map.of("l", 1.5)),
                read("{\"n\":1}\n{\"n\":3000000000}\n{\"l\":1.5}", existing()));
    }

    @Test
    void valueThatDoesNotFitNamesLineRowAndColumn() {
        assertEquals(
                "line 1 (row 1), column 'l': '12' is a string, not an integer (column is INT64)",
                refused("{\"l\":\"12\"}", existing()).getMessage());
        assertEquals(
                "line 1 (row 1), column 's': 5 is an integer, not a string (column is STRING)",
                refused("{\"s\":5}", existing()).getMessage());
        assertEquals(
                "line 1 (row 1), column 'raw': '%%' is not base64 (column is BYTES)",
                refused("{\"raw\":\"%%\"}", existing()).getMessage());
        IngestRowException e = refused("{\"t\":\"yesterday\"}", existing());
        assertEquals("t", e.column());
        assertTrue(e.detail().startsWith("'yesterday' is not a timestamp"), e.detail());
        assertTrue(e.detail().endsWith("(column is TIMESTAMP)"), e.detail());
    }

    @Test
    void deletedMarkerMustBeBoolean() throws Exception {
        assertEquals(
                List.of(row("_key", "k", "_deleted", true)), read("{\"_key\":\"k\",\"_deleted\":true}", NEW_TABLE));
        assertEquals(
                "line 1 (row 1), column '_deleted': 'yes' is a string, not a boolean (column is BOOLEAN)",
                refused("{\"_deleted\":\"yes\"}", NEW_TABLE).getMessage());
    }

    @Test
    void invalidOrInternalColumnNameIsRefused() {
        IngestRowException bad = refused("{\"bad-name\":1}", NEW_TABLE);
        assertEquals("bad-name", bad.column());
        assertEquals(
                "line 1 (row 1), column 'bad-name': 'bad-name' is not a valid column name"
                        + " ([A-Za-z_][A-Za-z0-9_]{0,127})",
                bad.getMessage());
        IngestRowException pk = refused("{\"_pk\":null}", NEW_TABLE);
        assertEquals("_pk", pk.column());
        assertTrue(pk.detail().contains("internal key"), pk.detail());
    }

    @Test
    void readingStopsAsSoonAsRowsPassTheLimit() throws Exception {
        String threeRowsThenGarbage = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\nnot json at all\n";
        TooManyRowsException e =
                assertThrows(TooManyRowsException.class, () -> reader.read(text(threeRowsThenGarbage), NEW_TABLE, 2));
        assertEquals(2, e.limit());
        assertEquals(
                2, reader.read(text("{\"a\":1}\n\n{\"a\":2}\n"), NEW_TABLE, 2).size());
    }

    @Test
    void columnsHoldTheSameRowsAsTheMapsAndAMisfitNamesItsLine() throws Exception {
        String body = "{\"a\":1,\"s\":\"x\"}\n\n{\"s\":\"y\",\"a\":2.5,\"t\":\"2026-01-02T03:04:05Z\"}\n{\"b\":true}\n";
        List<Map<String, Object>> maps = reader.read(text(body), NEW_TABLE, 10);
        io.river.engine.model.TableColumns columns = reader.readColumns(text(body), NEW_TABLE, 10);
        assertEquals(maps.size(), columns.rows());
        for (int r = 0; r < maps.size(); r++) {
            Map<String, Object> expected = new java.util.HashMap<>(maps.get(r));
            expected.computeIfPresent("a", (k, v) -> ((Number) v).doubleValue());
            Map<String, Object> actual = new java.util.HashMap<>();
            for (io.river.engine.model.TableColumns.Values v : columns.columns()) {
                Object value = io.river.engine.model.TableColumns.value(v, r);
                if (value != null) {
                    actual.put(v.name(), value);
                }
            }
            assertEquals(expected, actual, "row " + r);
        }
        IngestRowException e = assertThrows(
                IngestRowException.class,
                () -> reader.readColumns(text("{\"c\":\"text\"}\n\n{\"c\":5}\n"), NEW_TABLE, 10));
        assertEquals(3, e.line());
        assertEquals("c", e.column());
    }
}
