package io.river.engine.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.ColumnType;
import io.river.engine.model.Mutation;
import io.river.engine.model.Row;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableColumns;
import io.river.engine.model.WriteBatch;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteBatchCodecTest {

    static WriteBatch sampleBatch() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("b_true", true);
        all.put("b_false", false);
        all.put("i32", Integer.MIN_VALUE);
        all.put("i32_max", Integer.MAX_VALUE);
        all.put("i64", Long.MIN_VALUE);
        all.put("i64_max", Long.MAX_VALUE);
        all.put("i64_neg", -1L);
        all.put("f64", 3.25);
        all.put("f64_nan", Double.NaN);
        all.put("f64_neg_zero", -0.0);
        all.put("f64_inf", Double.NEGATIVE_INFINITY);
        all.put("s", "plain ascii");
        all.put("s_empty", "");
        all.put("s_utf8", "Grüße, 世界 🌊");
        all.put("bytes", new byte[] {0, 1, (byte) 0xFF, 127, -128});
        all.put("bytes_empty", new byte[0]);
        all.put("ts", Instant.ofEpochMilli(1_700_000_000_123L));
        all.put("ts_before_epoch", Instant.ofEpochMilli(-86_400_001L));
        all.put("nothing", null);
        return WriteBatch.builder()
                .add("events", Row.of("k1", all))
                .add("events", Row.tombstone("k2"))
                .add("other_table", Row.builder("k3").set("x", 1).set("y", null).build())
                .add("events", Row.of("empty-row", new LinkedHashMap<>()))
                .position(new SourcePartition("orders.v1-eu", 0), 100)
                .position(new SourcePartition("orders.v1-eu", 7), Long.MAX_VALUE)
                .position(new SourcePartition("clicks", 3), 0)
                .build();
    }

    @Test
    void roundTripsEveryTypeNullsTombstonesAndPositions() throws IOException {
        WriteBatch in = sampleBatch();
        WriteBatch out = WriteBatchCodec.decode(WriteBatchCodec.encode(in));
        assertSameBatch(in, out);
    }

    @Test
    void roundTripsAnEmptyBatch() throws IOException {
        WriteBatch out = WriteBatchCodec.decode(
                WriteBatchCodec.encode(WriteBatch.builder().build()));
        assertTrue(out.isEmpty());
    }

    @Test
    void narrowJavaTypesComeBackAsTheirColumnType() throws IOException {
        WriteBatch in = WriteBatch.of(
                "t",
                Row.builder("k")
                        .set("s", (short) -3)
                        .set("b", (byte) 9)
                        .set("f", 1.5f)
                        .build());
        Row row = WriteBatchCodec.decode(WriteBatchCodec.encode(in))
                .mutations()
                .get(0)
                .row();
        assertEquals(Integer.valueOf(-3), row.get("s"));
        assertEquals(Integer.valueOf(9), row.get("b"));
        assertEquals(Double.valueOf(1.5), row.get("f"));
    }

    @Test
    void refusesUnsupportedValueTypes() {
        WriteBatch in =
                WriteBatch.of("t", Row.builder("k").set("bad", new Object()).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WriteBatchCodec.encode(in));
        assertTrue(e.getMessage().contains("bad"), e.getMessage());
    }

    @Test
    void everyTruncationAndTrailingGarbageIsRejected() {
        byte[] bytes = WriteBatchCodec.encode(sampleBatch());
        for (int n = 0; n < bytes.length; n++) {
            byte[] prefix = Arrays.copyOf(bytes, n);
            assertThrows(IOException.class, () -> WriteBatchCodec.decode(prefix), "prefix of " + n + " bytes");
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IOException.class, () -> WriteBatchCodec.decode(longer));
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = WriteBatchCodec.COLUMNS_VERSION + 1;
        IOException e = assertThrows(IOException.class, () -> WriteBatchCodec.decode(otherVersion));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    /** Every type in columns, NULLs, a column of only NULLs, deletes, two tables, rows too, positions. */
    static WriteBatch sampleColumnBatch() {
        TableColumns.Builder events = new TableColumns.Builder("events");
        for (int r = 0; r < 21; r++) {
            if (r % 7 == 3) {
                events.endRow("del" + r, true);
                continue;
            }
            events.put("b", r % 2 == 0);
            events.put("i32", r % 5 == 0 ? null : r - 10);
            events.put("widened", r < 10 ? (Object) r : (Object) (r * 1.5));
            events.put("i64", Long.MIN_VALUE + r);
            events.put("f64", r == 4 ? Double.NaN : -0.0 + r);
            events.put("s", r % 3 == 0 ? "Grüße 🌊 " + r : "s" + r);
            events.put("bytes", new byte[] {(byte) r, (byte) 0xFF});
            events.put("ts", Instant.ofEpochMilli(-86_400_001L + r));
            events.put("d", LocalDate.ofEpochDay(-5 + r));
            events.put("nothing", null);
            events.endRow("k" + r, false);
        }
        TableColumns other = TableColumns.of(
                "other_table", List.of(Row.builder("x").set("v", 1).build()));
        return WriteBatch.builder()
                .add("events", Row.builder("row-first").set("s", "as a row").build())
                .add(events.build())
                .add(other)
                .position(new SourcePartition("orders", 2), 99)
                .build();
    }

    @Test
    void columnBatchesRoundTripAsVersionTwo() throws IOException {
        WriteBatch in = sampleColumnBatch();
        byte[] bytes = WriteBatchCodec.encode(in);
        assertEquals(WriteBatchCodec.COLUMNS_VERSION, bytes[0]);
        assertSameColumnBatch(in, WriteBatchCodec.decode(bytes));
    }

    /** Batches on disk stay readable: a version-2 batch committed as bytes decodes to the batch it was made of. */
    @Test
    void committedVersionTwoBatchStillDecodes() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/wal/batch-v2.bin")) {
            bytes = in.readAllBytes();
        }
        assertEquals(WriteBatchCodec.COLUMNS_VERSION, bytes[0], "the fixture is a version-2 batch");
        assertSameColumnBatch(sampleColumnBatch(), WriteBatchCodec.decode(bytes));
    }

    private static void assertSameColumnBatch(WriteBatch in, WriteBatch out) {
        assertEquals(in.positions(), out.positions());
        assertSameBatch(
                new WriteBatch(in.mutations(), in.positions()), new WriteBatch(out.mutations(), out.positions()));
        assertEquals(in.columns().size(), out.columns().size());
        for (int t = 0; t < in.columns().size(); t++) {
            TableColumns a = in.columns().get(t);
            TableColumns b = out.columns().get(t);
            assertEquals(a.table(), b.table());
            assertEquals(a.rows(), b.rows());
            for (int r = 0; r < a.rows(); r++) {
                assertEquals(a.row(r), b.row(r), "row " + r + " of " + a.table());
            }
            for (TableColumns.Values v : b.columns()) {
                assertEquals(a.column(v.name()).type(), v.type(), v.name());
            }
        }
        assertEquals(ColumnType.FLOAT64, out.columns().get(0).column("widened").type());
        assertEquals(null, out.columns().get(0).column("nothing"), "a column of only NULLs is left out");
    }

    @Test
    void columnBatchesRejectEveryTruncationAndSurviveEveryBitFlip() throws IOException {
        assertTruncationsRejectedAndFlipsSurvived(WriteBatchCodec.encode(sampleColumnBatch()));
        try (InputStream in = getClass().getResourceAsStream("/wal/batch-v2.bin")) {
            assertTruncationsRejectedAndFlipsSurvived(in.readAllBytes());
        }
    }

    private static void assertTruncationsRejectedAndFlipsSurvived(byte[] bytes) {
        for (int n = 0; n < bytes.length; n++) {
            byte[] prefix = Arrays.copyOf(bytes, n);
            assertThrows(IOException.class, () -> WriteBatchCodec.decode(prefix), "prefix of " + n + " bytes");
        }
        assertThrows(IOException.class, () -> WriteBatchCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
        // Below the WAL's CRC: a flipped bit either decodes to some batch or is an IOException, never
        // another exception (the codec bounds-checks every count, length, tag and bitmap).
        for (int i = 0; i < bytes.length * 8; i++) {
            byte[] flipped = bytes.clone();
            flipped[i / 8] ^= (byte) (1 << (i % 8));
            try {
                WriteBatchCodec.decode(flipped);
            } catch (IOException expected) {
                // detected
            }
        }
    }

    @Test
    void rowOnlyBatchesStayVersionOne() {
        assertEquals(WriteBatchCodec.VERSION, WriteBatchCodec.encode(sampleBatch())[0]);
    }

    @Test
    void repeatedNamesAreWrittenOnce() throws IOException {
        WriteBatch.Builder one = WriteBatch.builder();
        one.add(
                "a_rather_long_table_name",
                Row.builder("k0").set("a_rather_long_column_name", 1).build());
        WriteBatch.Builder many = WriteBatch.builder();
        for (int i = 0; i < 100; i++) {
            many.add(
                    "a_rather_long_table_name",
                    Row.builder("k" + (i % 10))
                            .set("a_rather_long_column_name", 1)
                            .build());
        }
        int single = WriteBatchCodec.encode(one.build()).length;
        WriteBatch hundred = many.build();
        byte[] encoded = WriteBatchCodec.encode(hundred);
        // Each further row costs its key, two one-byte name references, kind, count, tag and value.
        assertTrue(encoded.length < single + 99 * 10, encoded.length + " bytes for 100 rows, " + single + " for one");
        assertSameBatch(hundred, WriteBatchCodec.decode(encoded));
    }

    @Test
    void largeBatchesGrowTheBufferAndStillRoundTrip() throws IOException {
        WriteBatch.Builder b = WriteBatch.builder();
        byte[] blob = new byte[300_000];
        Arrays.fill(blob, (byte) 7);
        for (int i = 0; i < 10; i++) {
            b.add("t", Row.builder("k" + i).set("v", blob).set("n", (long) i).build());
        }
        WriteBatch big = b.build();
        assertSameBatch(big, WriteBatchCodec.decode(WriteBatchCodec.encode(big)));
        // The thread's buffer was reset: a small batch afterwards is encoded on its own.
        assertSameBatch(sampleBatch(), WriteBatchCodec.decode(WriteBatchCodec.encode(sampleBatch())));
    }

    /** Exact equality: same mutations in order, same value keys in order, same Java classes and values. */
    static void assertSameBatch(WriteBatch expected, WriteBatch actual) {
        assertEquals(expected.positions(), actual.positions());
        List<Mutation> e = expected.mutations();
        List<Mutation> a = actual.mutations();
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).table(), a.get(i).table());
            Row er = e.get(i).row();
            Row ar = a.get(i).row();
            assertEquals(er.pk(), ar.pk());
            assertEquals(er.isTombstone(), ar.isTombstone());
            assertEquals(
                    new ArrayList<>(er.values().keySet()),
                    new ArrayList<>(ar.values().keySet()));
            for (Map.Entry<String, Object> v : er.values().entrySet()) {
                Object x = v.getValue();
                Object y = ar.values().get(v.getKey());
                if (x == null) {
                    assertEquals(null, y, v.getKey());
                } else if (x instanceof byte[]) {
                    assertArrayEquals((byte[]) x, (byte[]) y, v.getKey());
                } else {
                    assertEquals(x.getClass(), y.getClass(), v.getKey());
                    assertEquals(x, y, v.getKey());
                }
            }
        }
    }
}
