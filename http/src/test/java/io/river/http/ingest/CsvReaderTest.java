package io.river.http.ingest;

import static io.river.http.ingest.Bodies.comparable;
import static io.river.http.ingest.Bodies.row;
import static io.river.http.ingest.Bodies.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CSV bodies: RFC 4180 records, whole-column type inference, coercion into existing columns, errors by line. */
class CsvReaderTest {
    private static final TableSchema NEW_TABLE = TableSchema.initial();
    private final CsvReader reader = new CsvReader();

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
                                "amount",
                                1.0,
                                "at",
                                Instant.EPOCH,
                                "raw",
                                new byte[] {0},
                                "ok",
                                true,
                                "s",
                                "x",
                                "l",
                                1L)));
    }

    @Test
    void newColumnTypeFitsEveryValueOfTheColumn() throws Exception {
        String body = "i,f,b,s,mixed,zip,big,when\n"
                + "1,2,true,x,1,00501,1,2026-01-02\n"
                + "-3,2.5e1,FALSE,y,true,00502,99999999999999999999,2026-01-03\n";
        assertEquals(
                List.of(
                        row(
                                "i",
                                1L,
                                "f",
                                2.0,
                                "b",
                                true,
                                "s",
                                "x",
                                "mixed",
                                "1",
                                "zip",
                                "00501",
                                "big",
                                1.0,
                                "when",
                                "2026-01-02"),
                        row(
                                "i",
                                -3L,
                                "f",
                                25.0,
                                "b",
                                false,
                                "s",
                                "y",
                                "mixed",
                                "true",
                                "zip",
                                "00502",
                                "big",
                                1e20,
                                "when",
                                "2026-01-03")),
                read(body, NEW_TABLE));
    }

    @Test
    void numbersAreRecognisedAsJsonWritesThem() throws Exception {
        assertEquals(
                List.of(row("a", "+1", "b", ".5", "c", "1.", "d", " 1", "e", "NaN", "g", "0x10")),
                read("a,b,c,d,e,g\n+1,.5,1., 1,NaN,0x10\n", NEW_TABLE));
    }

    @Test
    void quotedFieldMayHoldCommasQuotesAndLineBreaks() throws Exception {
        String body = "name,note\n\"a, \"\"b\"\"\",\"line one\nline two\"\nc,\"\"\"\"\n";
        assertEquals(
                List.of(row("name", "a, \"b\"", "note", "line one\nline two"), row("name", "c", "note", "\"")),
                read(body, NEW_TABLE));
    }

    @Test
    void lineNumbersCountLineBreaksInsideQuotes() {
        IngestRowException e = refused("s,n\n\"one\r\ntwo\",1\n\"x\",2\ny,abc\n", existing());
        assertEquals(3, e.row());
        assertEquals(5, e.line());
        assertEquals("n", e.column());
    }

    @Test
    void crlfAndBlankLinesAreAccepted() throws Exception {
        assertEquals(
                List.of(row("a", 1L, "b", "x"), row("a", 2L, "b", "y")), read("a,b\r\n1,x\r\n\r\n2,y\r\n", NEW_TABLE));
        assertEquals(List.of(row("a", 1L)), read("\uFEFFa\n1", NEW_TABLE));
    }

    @Test
    void emptyFieldIsAbsent() throws Exception {
        assertEquals(List.of(row("b", "x"), row("b", "y"), row()), read("a,b\n,x\n\"\",y\n,\n", NEW_TABLE));
    }

    @Test
    void emptyBodyOrHeaderOnlyGivesNoRows() throws Exception {
        assertEquals(List.of(), read("", NEW_TABLE));
        assertEquals(List.of(), read("a,b\n", NEW_TABLE));
        assertEquals(List.of(), read("a,b", NEW_TABLE));
    }

    @Test
    void raggedRowIsNamedByLineAndColumn() {
        IngestRowException shorter = refused("a,b,c\n1,2,3\n4,5\n", NEW_TABLE);
        assertEquals(
                "line 3 (row 2), column 'c': missing (2 fields, but the header has 3 columns)", shorter.getMessage());
        IngestRowException longer = refused("a,b\n1,2,3\n", NEW_TABLE);
        assertEquals("line 2 (row 1): 3 fields, but the header has 2 columns", longer.getMessage());
        assertNull(longer.column());
    }

    @Test
    void numberTooWideForItsColumnPassesThroughSoTheColumnWidens() throws Exception {
        assertEquals(List.of(Map.of("n", 3_000_000_000L, "l", 1.0)), read("n,l\n3000000000,1.0\n", existing()));
    }

    @Test
    void badValueIsNamedByLineRowAndColumn() {
        IngestRowException e = refused("id,amount\n1,2.5\n2,abc\n", existing());
        assertEquals("line 3 (row 2), column 'amount': 'abc' is not a number (column is FLOAT64)", e.getMessage());
        assertEquals("'abc' is not a number (column is FLOAT64)", e.detail());
        assertEquals(
                "line 2 (row 1), column 'ok': 'yes' is not true or false (column is BOOLEAN)",
                refused("ok\nyes\n", existing()).getMessage());
    }

    @Test
    void textIsParsedAsTheExistingColumnType() throws Exception {
        String body = "n,l,amount,ok,raw,s,at\n"
                + "+7,007,3,TRUE,AQID,12,2026-01-02T03:04:05Z\n"
                + "-7,8,-1.5e2,false,_-8,,2026-01-02T03:04:05.123+01:00\n";
        assertEquals(
                List.of(
                        row(
                                "n",
                                7,
                                "l",
                                7L,
                                "amount",
                                3.0,
                                "ok",
                                true,
                                "raw",
                                new byte[] {1, 2, 3},
                                "s",
                                "12",
                                "at",
                                Instant.parse("2026-01-02T03:04:05Z")),
                        row(
                                "n",
                                -7,
                                "l",
                                8L,
                                "amount",
                                -150.0,
                                "ok",
                                false,
                                "raw",
                                new byte[] {-1, -17},
                                "at",
                                Instant.parse("2026-01-02T02:04:05.123Z"))),
                read(body, existing()));
    }

    @Test
    void timestampTextMayTakeEveryAcceptedForm() throws Exception {
        String body = "at\n2026-01-02T03:04:05\n2026-01-02 03:04:05\n2026-01-02 03:04:05.123\n2026-01-02\n"
                + "1767323045123\n2026-01-02T03:04:05.123999Z\n2026-01-02T03:04:05-02:30\n";
        List<Object> expected = List.of(
                Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2026-01-02T03:04:05.123Z"),
                Instant.parse("2026-01-02T00:00:00Z"),
                Instant.parse("2026-01-02T03:04:05.123Z"),
                Instant.parse("2026-01-02T03:04:05.123Z"),
                Instant.parse("2026-01-02T05:34:05Z"));
        assertEquals(
                expected, read(body, existing()).stream().map(r -> r.get("at")).toList());
        IngestRowException e = refused("at\n2026-02-30\n", existing());
        assertEquals("at", e.column());
        assertTrue(e.detail().startsWith("'2026-02-30' is not a timestamp"), e.detail());
    }

    @Test
    void deletedMarkerIsBooleanEvenInANewTable() throws Exception {
        assertEquals(
                List.of(row("_key", "k", "_deleted", true), row("_key", "j", "_deleted", false)),
                read("_key,_deleted\nk,True\nj,false\n", NEW_TABLE));
        assertEquals("_deleted", refused("_deleted\n1\n", NEW_TABLE).column());
    }

    @Test
    void quoteProblemsAreNamedByLine() {
        assertEquals(
                "line 3 (row 2): a quoted field is not closed before the end of the body",
                refused("a,b\n1,2\n3,\"open\n\n", NEW_TABLE).getMessage());
        assertEquals(
                "line 2 (row 1): unexpected 'x' after a closing quote",
                refused("a\n\"q\"x\n", NEW_TABLE).getMessage());
    }

    @Test
    void invalidRepeatedOrInternalHeaderNameIsRefused() {
        assertEquals(
                "line 1 (header), column 'a b': 'a b' is not a valid column name ([A-Za-z_][A-Za-z0-9_]{0,127})",
                refused("id,a b\n1,2\n", NEW_TABLE).getMessage());
        assertEquals(
                "line 1 (header), column 'a': the column appears twice in the header",
                refused("a,b,a\n1,2,3\n", NEW_TABLE).getMessage());
        assertEquals("", refused("a,,b\n1,2,3\n", NEW_TABLE).column());
        assertEquals(3, refused("\n\na,a\n", NEW_TABLE).line());
        assertEquals("_pk", refused("_pk,a\nx,1\n", NEW_TABLE).column());
    }

    @Test
    void readingStopsAsSoonAsRowsPassTheLimit() throws Exception {
        String threeRowsThenBroken = "a\n1\n2\n3\n\"never closed\n";
        TooManyRowsException e =
                assertThrows(TooManyRowsException.class, () -> reader.read(text(threeRowsThenBroken), NEW_TABLE, 2));
        assertEquals(2, e.limit());
        assertEquals(2, reader.read(text("a\n1\n2\n"), NEW_TABLE, 2).size());
    }

    @Test
    void columnsHoldTheSameRowsAsTheMapsAndABadCellNamesItsLine() throws Exception {
        String body =
                "n,amount,at,ok,s,z,new_i\n1,2.5,2026-01-02T03:04:05Z,true,\"a,b\",,7\n,,,false,,x,\n3,4,,,t,,9\n";
        List<Map<String, Object>> maps = reader.read(text(body), existing(), 10);
        io.river.engine.model.TableColumns columns = reader.readColumns(text(body), existing(), 10);
        assertEquals(3, columns.rows());
        for (int r = 0; r < maps.size(); r++) {
            Map<String, Object> actual = new java.util.HashMap<>();
            for (io.river.engine.model.TableColumns.Values v : columns.columns()) {
                Object value = io.river.engine.model.TableColumns.value(v, r);
                if (value != null) {
                    actual.put(v.name(), value);
                }
            }
            assertEquals(new java.util.HashMap<>(maps.get(r)), actual, "row " + r); // no bytes: plain equals
        }
        IngestRowException e = assertThrows(
                IngestRowException.class, () -> reader.readColumns(text("n,amount\n1,2\n\n3,abc\n"), existing(), 10));
        assertEquals("line 4 (row 2), column 'amount': 'abc' is not a number (column is FLOAT64)", e.getMessage());
    }
}
