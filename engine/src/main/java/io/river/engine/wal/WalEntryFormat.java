package io.river.engine.wal;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a WAL file, format version 1. Every file opens with a header, then holds
 * entries back to back until its end; all integers are big-endian.
 *
 * <pre>
 * File header (20 bytes, once per file)
 * +--------+--------+--------------------------------------------------------------+
 * | offset | length | field                                                        |
 * +--------+--------+--------------------------------------------------------------+
 * |      0 |      4 | magic "RWAL"                                                 |
 * |      4 |      2 | format version (1)                                           |
 * |      6 |      2 | flags (0, reserved)                                          |
 * |      8 |      8 | first LSN: LSN of the file's first entry (also in its name)  |
 * |     16 |      4 | CRC32C of bytes 0..15                                        |
 * +--------+--------+--------------------------------------------------------------+
 *
 * Entry (16 + n bytes, repeated)
 * +--------+--------+--------------------------------------------------------------+
 * |      0 |      4 | payload length n (0 <= n <= MAX_PAYLOAD_BYTES)               |
 * |      4 |      4 | CRC32C of bytes 8 .. 16+n (the LSN and the payload)          |
 * |      8 |      8 | LSN: the header's first LSN for the first entry, then +1     |
 * |     16 |      n | payload (a {@link WriteBatchCodec} batch; opaque here)       |
 * +--------+--------+--------------------------------------------------------------+
 * </pre>
 *
 * An entry is valid only if its length fits in the file, its CRC matches and its LSN is the next
 * one expected; the first entry that is not marks the end of the usable log (see
 * {@link WalReader}). Stateless and thread-safe; callers pass their own {@link CRC32C}.
 */
public final class WalEntryFormat {
    public static final byte[] MAGIC = "RWAL".getBytes(StandardCharsets.US_ASCII);
    public static final short VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int FIRST_LSN_OFFSET = 8;
    public static final int HEADER_CRC_OFFSET = 16;
    public static final int FILE_HEADER_BYTES = 20;

    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int LSN_OFFSET = 8;
    public static final int PAYLOAD_OFFSET = 16;
    public static final int ENTRY_HEADER_BYTES = 16;

    /** Largest payload one entry may carry; a larger length field is garbage. */
    public static final int MAX_PAYLOAD_BYTES = 256 << 20;

    private WalEntryFormat() {}

    /** The 20-byte header of a file whose first entry will have {@code firstLsn}. */
    public static byte[] fileHeader(long firstLsn) {
        byte[] h = new byte[FILE_HEADER_BYTES];
        System.arraycopy(MAGIC, 0, h, MAGIC_OFFSET, MAGIC.length);
        putShort(h, VERSION_OFFSET, VERSION);
        putShort(h, FLAGS_OFFSET, (short) 0);
        putLong(h, FIRST_LSN_OFFSET, firstLsn);
        CRC32C crc = new CRC32C();
        crc.update(h, 0, HEADER_CRC_OFFSET);
        putInt(h, HEADER_CRC_OFFSET, (int) crc.getValue());
        return h;
    }

    /**
     * Checks a file header against the first LSN its file name promises; returns null when it is
     * valid, else why not.
     */
    public static String checkFileHeader(byte[] h, long expectedFirstLsn) {
        if (h.length < FILE_HEADER_BYTES) {
            return "file header is short (" + h.length + " bytes)";
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (h[MAGIC_OFFSET + i] != MAGIC[i]) {
                return "bad magic (not a River WAL file)";
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(h, 0, HEADER_CRC_OFFSET);
        if ((int) crc.getValue() != getInt(h, HEADER_CRC_OFFSET)) {
            return "file header CRC mismatch";
        }
        short version = getShort(h, VERSION_OFFSET);
        if (version != VERSION) {
            return "unsupported WAL format version " + version;
        }
        long first = getLong(h, FIRST_LSN_OFFSET);
        if (first != expectedFirstLsn) {
            return "header first LSN " + first + " does not match file name (" + expectedFirstLsn + ")";
        }
        return null;
    }

    /** Writes an entry's 16-byte header for {@code payload[off, off+len)} at {@code dst[at]}. */
    public static void putEntryHeader(byte[] dst, int at, long lsn, byte[] payload, int off, int len, CRC32C crc) {
        putInt(dst, at + LENGTH_OFFSET, len);
        putLong(dst, at + LSN_OFFSET, lsn);
        putInt(dst, at + CRC_OFFSET, entryCrc(crc, lsn, payload, off, len));
    }

    /** CRC32C over the big-endian LSN followed by the payload bytes. */
    public static int entryCrc(CRC32C crc, long lsn, byte[] payload, int off, int len) {
        crc.reset();
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (lsn >>> shift));
        }
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }

    static void putShort(byte[] b, int at, short v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    static short getShort(byte[] b, int at) {
        return (short) (((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF));
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xFFFFFFFFL);
    }
}
