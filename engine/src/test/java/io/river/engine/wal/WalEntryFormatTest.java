package io.river.engine.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class WalEntryFormatTest {

    @Test
    void fileHeaderHasTheDrawnLayout() {
        byte[] h = WalEntryFormat.fileHeader(42);
        assertEquals(WalEntryFormat.FILE_HEADER_BYTES, h.length);
        ByteBuffer b = ByteBuffer.wrap(h);
        assertEquals("RWAL", new String(h, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(WalEntryFormat.VERSION, b.getShort(WalEntryFormat.VERSION_OFFSET));
        assertEquals(0, b.getShort(WalEntryFormat.FLAGS_OFFSET));
        assertEquals(42, b.getLong(WalEntryFormat.FIRST_LSN_OFFSET));
        CRC32C crc = new CRC32C();
        crc.update(h, 0, 16);
        assertEquals((int) crc.getValue(), b.getInt(WalEntryFormat.HEADER_CRC_OFFSET));
        assertNull(WalEntryFormat.checkFileHeader(h, 42));
    }

    @Test
    void everyDamagedHeaderByteIsDetected() {
        byte[] good = WalEntryFormat.fileHeader(7);
        for (int i = 0; i < good.length; i++) {
            byte[] h = good.clone();
            h[i] ^= 0x10;
            assertNotNull(WalEntryFormat.checkFileHeader(h, 7), "flip in byte " + i);
        }
        assertNotNull(WalEntryFormat.checkFileHeader(good, 8), "first LSN must match the file name");
        assertNotNull(WalEntryFormat.checkFileHeader(new byte[5], 7));
    }

    @Test
    void entryHeaderCarriesLengthLsnAndCrcOverLsnAndPayload() {
        byte[] payload = "hello wal".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[WalEntryFormat.ENTRY_HEADER_BYTES];
        CRC32C crc = new CRC32C();
        WalEntryFormat.putEntryHeader(frame, 0, 0x0102030405060708L, payload, 0, payload.length, crc);
        ByteBuffer b = ByteBuffer.wrap(frame);
        assertEquals(payload.length, b.getInt(WalEntryFormat.LENGTH_OFFSET));
        assertEquals(0x0102030405060708L, b.getLong(WalEntryFormat.LSN_OFFSET));

        CRC32C expected = new CRC32C();
        expected.update(frame, WalEntryFormat.LSN_OFFSET, 8);
        expected.update(payload);
        assertEquals((int) expected.getValue(), b.getInt(WalEntryFormat.CRC_OFFSET));

        int base = WalEntryFormat.entryCrc(crc, 5, payload, 0, payload.length);
        assertNotEquals(base, WalEntryFormat.entryCrc(crc, 6, payload, 0, payload.length), "the CRC covers the LSN");
        for (int i = 0; i < payload.length; i++) {
            byte[] p = payload.clone();
            p[i] ^= 1;
            assertNotEquals(base, WalEntryFormat.entryCrc(crc, 5, p, 0, p.length), "the CRC covers payload byte " + i);
        }
        // An all-zero entry header (a zero-filled tail) never passes for an empty entry.
        assertTrue(WalEntryFormat.entryCrc(crc, 0, new byte[0], 0, 0) != 0);
    }
}
