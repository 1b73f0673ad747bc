package io.river.engine.segment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * The page index of a segment (format version 4 on; footer key {@value SegmentFormat#KEY_PAGES},
 * base64 of the bytes below): where each page ({@link PagedCodec}) of every buffer of every block
 * lies in the file, and the CRC32C of its bytes, so a point read decodes just the pages covering
 * the bytes it needs, each checked first. Integers are unsigned LEB128 varints unless noted:
 * <pre>
 * codec (1 byte: 0 = ZSTD, 1 = LZ4 frame) | page bytes P | block count
 * per block:  buffer count (the record batch's buffers, in its order)
 *   per buffer: kind (1 byte: 0 = empty, 1 = raw, 2 = compressed)
 *     raw, compressed: file offset of the buffer's data (after Arrow's 8-byte length) | uncompressed length
 *     compressed:      bytes before the first page (LZ4 frame header: 7; ZSTD: 0) | compressed length of
 *                      each page (LZ4: with its 4-byte block size)
 *     raw, compressed: CRC32C of each page's bytes as stored (int32 big-endian)
 * </pre>
 * Page {@code p} of a buffer holds uncompressed bytes {@code [p * P, min((p + 1) * P, length))}, so a
 * buffer of length {@code L} has {@code ceil(L / P)} pages; a raw buffer's pages are those ranges of
 * its stored bytes. The index is covered by the footer CRC ({@link SegmentChecksums}), so damage to
 * it refuses the file at open; damage to a page fails its CRC when read. Immutable once decoded;
 * reads are thread-safe (positional).
 */
final class PageIndex {
    static final byte EMPTY = 0;
    static final byte RAW = 1;
    static final byte COMPRESSED = 2;

    /** One buffer's pages as the writer compressed them (offset not yet known). */
    record BufferPages(byte kind, int length, int header, int[] lengths, int[] crcs) {
        static BufferPages empty() {
            return new BufferPages(EMPTY, 0, 0, new int[0], new int[0]);
        }

        static BufferPages of(byte kind, int length, int header, int[] lengths, int[] crcs) {
            return new BufferPages(kind, length, header, lengths, crcs);
        }
    }

    /** Uncompressed bytes {@code [base, base + bytes.length)} of one buffer. */
    record Slice(byte[] bytes, int base) {
        int intAt(int pos) {
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(pos - base);
        }

        short shortAt(int pos) {
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(pos - base);
        }

        long longAt(int pos) {
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(pos - base);
        }

        byte byteAt(int pos) {
            return bytes[pos - base];
        }
    }

    private final CompressionUtil.CodecType codec;
    private final int pageBytes;
    private final int[] blockFirstBuffer;
    private final byte[] kind;
    private final long[] offset;
    private final int[] length;
    private final int[] firstPage;
    private final int[] pageStart;
    private final int[] pageLength;
    private final int[] pageCrc;

    private PageIndex(
            CompressionUtil.CodecType codec,
            int pageBytes,
            int[] blockFirstBuffer,
            byte[] kind,
            long[] offset,
            int[] length,
            int[] firstPage,
            int[] pageStart,
            int[] pageLength,
            int[] pageCrc) {
        this.codec = codec;
        this.pageBytes = pageBytes;
        this.blockFirstBuffer = blockFirstBuffer;
        this.kind = kind;
        this.offset = offset;
        this.length = length;
        this.firstPage = firstPage;
        this.pageStart = pageStart;
        this.pageLength = pageLength;
        this.pageCrc = pageCrc;
    }

    int pageBytes() {
        return pageBytes;
    }

    /** Uncompressed length of buffer {@code buffer} of block {@code block}. */
    int length(int block, int buffer) {
        return length[blockFirstBuffer[block] + buffer];
    }

    /** File offset of page {@code page} of a buffer's stored bytes. */
    long storedOffset(int block, int buffer, int page) {
        int b = blockFirstBuffer[block] + buffer;
        return offset[b] + pageStart[firstPage[b] + page];
    }

    /**
     * Uncompressed bytes {@code [from, to)} of a buffer ({@code 0 <= from < to <=} its length),
     * decoded from the pages that cover them with one positional read, each page checked against
     * its CRC32C before it is decoded. Throws IOException for a bad range or damaged bytes.
     */
    Slice read(FileChannel file, int block, int buffer, int from, int to) throws IOException {
        int b = blockFirstBuffer[block] + buffer;
        if (from < 0 || from >= to || to > length[b]) {
            throw new IOException("bytes [" + from + ", " + to + ") outside buffer " + buffer + " of block " + block
                    + " (" + length[b] + " bytes)");
        }
        int p0 = from / pageBytes;
        int p1 = (to - 1) / pageBytes;
        int first = firstPage[b];
        int start = pageStart[first + p0];
        int span = pageStart[first + p1] + pageLength[first + p1] - start;
        byte[] stored = new byte[span];
        readFully(file, ByteBuffer.wrap(stored), offset[b] + start);
        CRC32C crc = new CRC32C();
        for (int p = p0; p <= p1; p++) {
            crc.reset();
            crc.update(stored, pageStart[first + p] - start, pageLength[first + p]);
            if ((int) crc.getValue() != pageCrc[first + p]) {
                throw new IOException("page " + p + " of buffer " + buffer + " of block " + block
                        + " fails its CRC32C (damaged on disk)");
            }
        }
        int base = p0 * pageBytes;
        if (kind[b] == RAW) {
            return new Slice(stored, base);
        }
        byte[] out = new byte[Math.min(length[b], (p1 + 1) * pageBytes) - base];
        for (int p = p0; p <= p1; p++) {
            int at = (p - p0) * pageBytes;
            int expected = Math.min(pageBytes, length[b] - p * pageBytes);
            int n;
            try {
                n = PagedCodec.decodePage(
                        codec, stored, pageStart[first + p] - start, pageLength[first + p], out, at, expected);
            } catch (RuntimeException e) {
                throw new IOException(
                        "page " + p + " of buffer " + buffer + " of block " + block + " does not decode: "
                                + e.getMessage(),
                        e);
            }
            if (n != expected) {
                throw new IOException("page " + p + " of buffer " + buffer + " of block " + block + " decodes to " + n
                        + " bytes, not " + expected);
            }
        }
        return new Slice(out, base);
    }

    private static void readFully(FileChannel file, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = file.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file reading a page at byte " + pos);
            }
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * The index of a written file: {@code blocks.get(i)} are block i's buffers as {@link PagedCodec}
     * recorded them; their file offsets are read from the blocks' record batch headers in {@code
     * file}. Returns the footer value (base64).
     */
    static String encode(
            FileChannel file,
            CompressionUtil.CodecType codec,
            int pageBytes,
            List<ArrowBlock> written,
            List<List<BufferPages>> blocks)
            throws IOException {
        if (written.size() != blocks.size()) {
            throw new IllegalStateException(written.size() + " blocks written, " + blocks.size() + " recorded");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(codec == CompressionUtil.CodecType.ZSTD ? 0 : 1);
        writeVarint(out, pageBytes);
        writeVarint(out, blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            List<BufferPages> buffers = blocks.get(i);
            long[] starts = bufferDataStarts(file, written.get(i));
            if (starts.length != buffers.size()) {
                throw new IllegalStateException(
                        "block " + i + " has " + starts.length + " buffers, " + buffers.size() + " were compressed");
            }
            writeVarint(out, buffers.size());
            for (int j = 0; j < buffers.size(); j++) {
                BufferPages bp = buffers.get(j);
                out.write(bp.kind());
                if (bp.kind() == EMPTY) {
                    continue;
                }
                writeVarint(out, starts[j]);
                writeVarint(out, bp.length());
                if (bp.kind() == COMPRESSED) {
                    writeVarint(out, bp.header());
                    for (int len : bp.lengths()) {
                        writeVarint(out, len);
                    }
                }
                for (int crc : bp.crcs()) {
                    out.write(crc >>> 24);
                    out.write(crc >>> 16);
                    out.write(crc >>> 8);
                    out.write(crc);
                }
            }
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** File offset of each buffer's data (after Arrow's 8-byte length) of a record batch, read from its header. */
    private static long[] bufferDataStarts(FileChannel file, ArrowBlock block) throws IOException {
        byte[] meta = new byte[block.getMetadataLength()];
        readFully(file, ByteBuffer.wrap(meta), block.getOffset());
        int prefix = ByteBuffer.wrap(meta).getInt(0) == MessageSerializer.IPC_CONTINUATION_TOKEN ? 8 : 4;
        Message message = Message.getRootAsMessage(
                ByteBuffer.wrap(meta, prefix, meta.length - prefix).slice());
        if (message.headerType() != MessageHeader.RecordBatch) {
            throw new IOException("block at " + block.getOffset() + " is not a record batch");
        }
        RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
        long body = block.getOffset() + block.getMetadataLength();
        long[] out = new long[batch.buffersLength()];
        for (int i = 0; i < out.length; i++) {
            out[i] = body + batch.buffers(i).offset() + CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
        }
        return out;
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    // ------------------------------------------------------------------ reading

    /**
     * Decodes a footer value, checking it against the file: {@code blockCount} blocks of {@code
     * buffersPerBlock} buffers each, every page inside {@code fileSize}, page counts matching the
     * lengths. Throws IOException when it does not.
     */
    static PageIndex decode(String value, int blockCount, int buffersPerBlock, long fileSize) throws IOException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IOException("segment page index is not base64: " + e.getMessage());
        }
        Reader in = new Reader(bytes);
        int codecByte = in.byteValue();
        if (codecByte > 1) {
            throw new IOException("segment page index names unknown codec " + codecByte);
        }
        int pageBytes = in.intVarint();
        if (pageBytes < 1 || pageBytes > PagedCodec.MAX_PAGE_BYTES) {
            throw new IOException("segment page index has page size " + pageBytes);
        }
        if (in.intVarint() != blockCount) {
            throw new IOException("segment page index does not list the file's " + blockCount + " blocks");
        }
        int buffers = blockCount * buffersPerBlock;
        int[] blockFirstBuffer = new int[blockCount + 1];
        byte[] kind = new byte[buffers];
        long[] offset = new long[buffers];
        int[] length = new int[buffers];
        int[] firstPage = new int[buffers + 1];
        IntList starts = new IntList();
        IntList lengths = new IntList();
        IntList crcs = new IntList();
        for (int block = 0; block < blockCount; block++) {
            blockFirstBuffer[block] = block * buffersPerBlock;
            if (in.intVarint() != buffersPerBlock) {
                throw new IOException("segment page index lists the wrong buffer count for block " + block);
            }
            for (int j = 0; j < buffersPerBlock; j++) {
                int b = block * buffersPerBlock + j;
                firstPage[b] = starts.size;
                kind[b] = (byte) in.byteValue();
                if (kind[b] == EMPTY) {
                    continue;
                }
                if (kind[b] != RAW && kind[b] != COMPRESSED) {
                    throw new IOException("segment page index has buffer kind " + kind[b]);
                }
                offset[b] = in.varint();
                length[b] = in.intVarint();
                int pages = (int) ((length[b] + (long) pageBytes - 1) / pageBytes);
                long end;
                if (kind[b] == RAW) {
                    for (int p = 0; p < pages; p++) {
                        starts.add(p * pageBytes);
                        lengths.add(Math.min(pageBytes, length[b] - p * pageBytes));
                    }
                    end = length[b];
                } else {
                    long pos = in.intVarint();
                    for (int p = 0; p < pages; p++) {
                        int len = in.intVarint();
                        starts.add((int) pos);
                        lengths.add(len);
                        pos += len;
                        if (pos > Integer.MAX_VALUE) {
                            throw new IOException("segment page index lists a buffer over 2 GiB");
                        }
                    }
                    end = pos;
                }
                if (offset[b] < 0 || offset[b] + end > fileSize) {
                    throw new IOException(
                            "segment page index places buffer " + j + " of block " + block + " outside the file");
                }
                for (int p = 0; p < pages; p++) {
                    crcs.add(in.int32());
                }
            }
        }
        blockFirstBuffer[blockCount] = buffers;
        firstPage[buffers] = starts.size;
        if (!in.done()) {
            throw new IOException("segment page index has trailing bytes");
        }
        return new PageIndex(
                codecByte == 0 ? CompressionUtil.CodecType.ZSTD : CompressionUtil.CodecType.LZ4_FRAME,
                pageBytes,
                blockFirstBuffer,
                kind,
                offset,
                length,
                firstPage,
                starts.toArray(),
                lengths.toArray(),
                crcs.toArray());
    }

    /** Bounds-checked reading of the encoded index. */
    private static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int byteValue() throws IOException {
            if (pos >= bytes.length) {
                throw new IOException("segment page index is truncated");
            }
            return bytes[pos++] & 0xFF;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = byteValue();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("segment page index has a malformed varint");
        }

        int intVarint() throws IOException {
            long v = varint();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IOException("segment page index has a value out of range: " + v);
            }
            return (int) v;
        }

        int int32() throws IOException {
            return (byteValue() << 24) | (byteValue() << 16) | (byteValue() << 8) | byteValue();
        }

        boolean done() {
            return pos == bytes.length;
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
