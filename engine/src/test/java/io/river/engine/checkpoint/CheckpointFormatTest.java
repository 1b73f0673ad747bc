package io.river.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.river.engine.model.Row;
import io.river.engine.model.TableColumns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint files: version 2 (sections in columns) reads back what was written; the committed
 * version-1 fixture (sections as rows, written by the code before version 2) still reads, to the
 * same rows; and every truncation and every bit flip of a version-2 file is refused.
 */
class CheckpointFormatTest {

    @Test
    void versionOneFixtureStillReads() throws IOException {
        CheckpointFormat.Checkpoint ckpt;
        try (InputStream in = getClass().getResourceAsStream("/checkpoints/checkpoint-v1.ckpt")) {
            byte[] bytes = in.readAllBytes();
            assertEquals(CheckpointFormat.ROWS_VERSION, bytes[4], "the fixture is a version-1 file");
            ckpt = CheckpointFormat.read(new ByteArrayInputStream(bytes), "checkpoint-v1.ckpt");
        }
        assertExpected(ckpt);
        assertEquals(5, ckpt.sections().get(0).firstLsn());
        assertEquals(30, ckpt.sections().get(0).lastLsn());
        assertEquals(31, ckpt.sections().get(1).firstLsn());
    }

    @Test
    void versionTwoRoundTripsInColumns() throws IOException {
        byte[] bytes = writeFixtureSections();
        assertEquals(CheckpointFormat.VERSION, bytes[4]);
        assertExpected(CheckpointFormat.read(new ByteArrayInputStream(bytes), "v2"));
    }

    @Test
    void everyTruncationAndBitFlipIsRefused() throws IOException {
        byte[] bytes = writeFixtureSections();
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, len);
            assertThrows(
                    IOException.class,
                    () -> CheckpointFormat.read(new ByteArrayInputStream(cut), "cut"),
                    "cut at " + len);
        }
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[i] ^= (byte) (1 << bit);
                int at = i;
                int b = bit;
                assertThrows(
                        IOException.class,
                        () -> CheckpointFormat.read(new ByteArrayInputStream(flipped), "flip"),
                        () -> "bit " + b + " of byte " + at);
            }
        }
    }

    private static byte[] writeFixtureSections() throws IOException {
        List<List<Row>> rows = CheckpointFixtures.rows();
        List<String> tables = CheckpointFixtures.tables();
        List<CheckpointSection> sections = new ArrayList<>();
        sections.add(new CheckpointSection(
                tables.get(0),
                CheckpointFixtures.schema(rows.get(0), 3),
                5,
                30,
                TableColumns.of(tables.get(0), rows.get(0))));
        sections.add(new CheckpointSection(
                tables.get(1),
                CheckpointFixtures.schema(rows.get(1), 1),
                31,
                42,
                TableColumns.of(tables.get(1), rows.get(1))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CheckpointFormat.write(out, CheckpointFixtures.LSN, sections);
        return out.toByteArray();
    }

    private static void assertExpected(CheckpointFormat.Checkpoint ckpt) {
        List<List<Row>> rows = CheckpointFixtures.rows();
        assertEquals(CheckpointFixtures.LSN, ckpt.lsn());
        assertEquals(2, ckpt.sections().size());
        int[] versions = {3, 1};
        for (int s = 0; s < 2; s++) {
            CheckpointSection sec = ckpt.sections().get(s);
            assertEquals(CheckpointFixtures.tables().get(s), sec.table());
            assertEquals(CheckpointFixtures.schema(rows.get(s), versions[s]), sec.schema());
            List<Row> actual = new ArrayList<>();
            for (int r = 0; r < sec.rows().rows(); r++) {
                actual.add(sec.rows().row(r));
            }
            assertEquals(rows.get(s), actual, "rows of section " + s);
        }
    }
}
