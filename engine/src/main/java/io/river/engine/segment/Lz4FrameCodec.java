package io.river.engine.segment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow's {@code LZ4_FRAME} IPC body compression through lz4-java's block compressor: each buffer is
 * Arrow's 8-byte little-endian uncompressed length, then one standard LZ4 frame (magic, a descriptor of
 * independent blocks of at most 4 MiB with no checksums, the blocks, the end mark), so a stock Arrow
 * reader reads it. Decoding takes the blocks of such a frame straight into the output buffer; a frame
 * with anything else (content size, checksums, linked blocks: another writer's) goes through lz4-java's
 * frame reader. Arrow's own LZ4 codec (commons-compress) decodes several times slower. Damaged input is
 * a {@link RuntimeException} (the safe decompressor checks every bound). Stateless and thread-safe.
 */
final class Lz4FrameCodec extends DirectBufferCodec {
    static final Lz4FrameCodec INSTANCE = new Lz4FrameCodec();

    static final int MAGIC = 0x184D2204;
    /** Version 01, independent blocks, no block checksum, no content size, no content checksum, no dictionary. */
    static final int FLG = 0x60;
    /** Block maximum size 4 MiB. */
    private static final int BD = 0x70;

    private static final int MAX_BLOCK = 4 << 20;
    static final int UNCOMPRESSED_BIT = 0x80000000;
    static final int HEADER = 7;

    static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHash32 XXH32 = XXHashFactory.fastestInstance().hash32();
    private static final byte HEADER_CHECKSUM = headerChecksum();

    private Lz4FrameCodec() {}

    private static byte headerChecksum() {
        return (byte) ((XXH32.hash(new byte[] {(byte) FLG, (byte) BD}, 0, 2, 0) >> 8) & 0xFF);
    }

    @Override
    protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
        int length = checkedInt(uncompressed.writerIndex());
        int blocks = Math.max(1, (length + MAX_BLOCK - 1) / MAX_BLOCK);
        long bound = (long) LENGTH_PREFIX
                + HEADER
                + (long) blocks * (4 + COMPRESSOR.maxCompressedLength(Math.min(length, MAX_BLOCK)))
                + 4;
        ArrowBuf out = allocator.buffer(bound);
        try {
            ByteBuffer dst = out.nioBuffer(0, checkedInt(bound)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer src = uncompressed.nioBuffer(0, length);
            int pos = LENGTH_PREFIX;
            dst.putInt(pos, MAGIC);
            dst.put(pos + 4, (byte) FLG);
            dst.put(pos + 5, (byte) BD);
            dst.put(pos + 6, HEADER_CHECKSUM);
            pos += HEADER;
            for (int off = 0; off < length; off += MAX_BLOCK) {
                int chunk = Math.min(MAX_BLOCK, length - off);
                int room = dst.capacity() - pos - 8;
                int written = COMPRESSOR.compress(src, off, chunk, dst, pos + 4, room);
                if (written >= chunk) {
                    dst.putInt(pos, chunk | UNCOMPRESSED_BIT);
                    ByteBuffer raw = src.duplicate();
                    raw.limit(off + chunk).position(off);
                    ByteBuffer target = dst.duplicate();
                    target.position(pos + 4);
                    target.put(raw);
                    pos += 4 + chunk;
                } else {
                    dst.putInt(pos, written);
                    pos += 4 + written;
                }
            }
            dst.putInt(pos, 0);
            out.writerIndex(pos + 4);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw new RuntimeException("LZ4 compression failed: " + e.getMessage(), e);
        }
    }

    @Override
    protected String name() {
        return "LZ4";
    }

    @Override
    protected int decode(ByteBuffer src, ByteBuffer dst) {
        return isPlainFrame(src) ? decodeBlocks(src, dst) : decodeAnyFrame(src, dst);
    }

    /** True for a frame as this codec writes it (independent blocks, no checksums or sizes). */
    private static boolean isPlainFrame(ByteBuffer src) {
        return src.remaining() >= HEADER + 4
                && src.getInt(0) == MAGIC
                && (src.get(4) & 0xFF) == FLG
                && (src.get(5) & 0x8F) == 0
                && src.get(6) == headerChecksum((src.get(5) & 0xFF));
    }

    static byte headerChecksum(int bd) {
        return bd == BD
                ? HEADER_CHECKSUM
                : (byte) ((XXH32.hash(new byte[] {(byte) FLG, (byte) bd}, 0, 2, 0) >> 8) & 0xFF);
    }

    /** Decodes the blocks of a plain frame into {@code dst}; the number of bytes written. */
    private static int decodeBlocks(ByteBuffer src, ByteBuffer dst) {
        int pos = HEADER;
        int written = 0;
        while (true) {
            if (pos + 4 > src.limit()) {
                throw new RuntimeException("LZ4 frame ends without its end mark");
            }
            int size = src.getInt(pos);
            pos += 4;
            if (size == 0) {
                break;
            }
            boolean raw = (size & UNCOMPRESSED_BIT) != 0;
            int len = size & ~UNCOMPRESSED_BIT;
            if (len < 0 || len > src.limit() - pos) {
                throw new RuntimeException("LZ4 block of " + len + " bytes runs past the frame");
            }
            if (raw) {
                if (len > dst.capacity() - written) {
                    throw new RuntimeException("LZ4 frame holds more than the buffer's length");
                }
                ByteBuffer from = src.duplicate();
                from.limit(pos + len).position(pos);
                ByteBuffer to = dst.duplicate();
                to.position(written);
                to.put(from);
                written += len;
            } else {
                written += DECOMPRESSOR.decompress(src, pos, len, dst, written, dst.capacity() - written);
            }
            pos += len;
        }
        if (pos != src.limit()) {
            throw new RuntimeException("content after the LZ4 frame's end mark");
        }
        return written;
    }

    /** Decodes any LZ4 frame through lz4-java's frame reader (checksums verified). */
    private static int decodeAnyFrame(ByteBuffer src, ByteBuffer dst) {
        byte[] frame = new byte[src.remaining()];
        src.duplicate().get(frame);
        try (InputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
            byte[] buf = new byte[64 << 10];
            int written = 0;
            int n;
            while ((n = in.read(buf)) != -1) {
                if (n > dst.capacity() - written) {
                    throw new RuntimeException("LZ4 frame holds more than the buffer's length");
                }
                dst.put(written, buf, 0, n);
                written += n;
            }
            return written;
        } catch (IOException e) {
            throw new RuntimeException("unreadable LZ4 frame: " + e.getMessage(), e);
        }
    }

    @Override
    public CompressionUtil.CodecType getCodecType() {
        return CompressionUtil.CodecType.LZ4_FRAME;
    }
}
