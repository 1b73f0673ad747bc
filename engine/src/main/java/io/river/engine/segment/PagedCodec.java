package io.river.engine.segment;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * The writer's body compression from format version 4 on: Arrow's framing (8-byte little-endian
 * uncompressed length, or -1 and the raw bytes when compression does not pay), with the compressed
 * stream cut into independently decodable <em>pages</em> of {@code pageBytes} uncompressed bytes
 * (the last one shorter), so a point read decodes only the pages covering the bytes it needs:
 * <ul>
 * <li>ZSTD: one standard ZSTD frame per page, concatenated. The ZSTD format defines a stream of
 * concatenated frames as their concatenated content, and every stock decoder (zstd's {@code
 * ZSTD_decompress}, which Arrow's codecs call) decodes it as one buffer.</li>
 * <li>LZ4: one LZ4 frame (independent blocks, 64 KiB block maximum, no checksums) whose blocks are
 * the pages, each with its 4-byte block size; {@link Lz4FrameCodec} and Arrow's reader decode it
 * like any frame.</li>
 * </ul>
 * It records, per compressed buffer in the order Arrow compresses them (the batch's buffer order),
 * each page's compressed extent and the CRC32C of its bytes ({@link PageIndex.BufferPages}), which
 * {@link SegmentWriter} collects per block with {@link #takeRecorded()}. Not thread-safe: one
 * instance per file written.
 */
final class PagedCodec extends AbstractCompressionCodec implements CompressionCodec.Factory {
    /** Largest page: an LZ4 block of a frame with the 64 KiB block maximum. */
    static final int MAX_PAGE_BYTES = 64 << 10;

    private static final int LENGTH_PREFIX = (int) CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
    /** Block maximum size 64 KiB. */
    private static final int LZ4_BD = 0x40;

    private final CompressionUtil.CodecType type;
    private final int pageBytes;
    private final List<PageIndex.BufferPages> recorded = new ArrayList<>();
    private int[] lastPages;
    private int lastHeader;

    PagedCodec(CompressionUtil.CodecType type, int pageBytes) {
        if (type != CompressionUtil.CodecType.ZSTD && type != CompressionUtil.CodecType.LZ4_FRAME) {
            throw new IllegalArgumentException("paged compression needs ZSTD or LZ4_FRAME: " + type);
        }
        if (pageBytes < 64 || pageBytes > MAX_PAGE_BYTES) {
            throw new IllegalArgumentException("page size must be in [64, " + MAX_PAGE_BYTES + "]: " + pageBytes);
        }
        this.type = type;
        this.pageBytes = pageBytes;
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
        if (codecType != type) {
            return ZstdCodecFactory.INSTANCE.createCodec(codecType);
        }
        return this;
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
        return createCodec(codecType);
    }

    /**
     * The pages of the last {@code count} buffers compressed (one record batch's, in its buffer
     * order); clears the record, dropping what came before them (dictionary batches, read whole).
     */
    List<PageIndex.BufferPages> takeRecorded(int count) {
        if (recorded.size() < count) {
            throw new IllegalStateException(count + " buffers expected, " + recorded.size() + " compressed");
        }
        List<PageIndex.BufferPages> out = List.copyOf(recorded.subList(recorded.size() - count, recorded.size()));
        recorded.clear();
        return out;
    }

    @Override
    public ArrowBuf compress(BufferAllocator allocator, ArrowBuf uncompressed) {
        int length = DirectBufferCodec.checkedInt(uncompressed.writerIndex());
        lastPages = null;
        ArrowBuf out = super.compress(allocator, uncompressed); // releases uncompressed
        if (length == 0) {
            recorded.add(PageIndex.BufferPages.empty());
        } else if (out.getLong(0) == CompressionUtil.NO_COMPRESSION_LENGTH) {
            int pages = (length + pageBytes - 1) / pageBytes;
            int[] lengths = new int[pages];
            for (int p = 0; p < pages; p++) {
                lengths[p] = Math.min(pageBytes, length - p * pageBytes);
            }
            recorded.add(PageIndex.BufferPages.of(PageIndex.RAW, length, 0, lengths, crcs(out, 0, lengths)));
        } else {
            recorded.add(PageIndex.BufferPages.of(
                    PageIndex.COMPRESSED, length, lastHeader, lastPages, crcs(out, lastHeader, lastPages)));
        }
        return out;
    }

    private static int[] crcs(ArrowBuf out, int header, int[] lengths) {
        int[] crcs = new int[lengths.length];
        long pos = LENGTH_PREFIX + header;
        CRC32C crc = new CRC32C();
        for (int p = 0; p < lengths.length; p++) {
            crc.reset();
            crc.update(out.nioBuffer(pos, lengths[p]));
            crcs[p] = (int) crc.getValue();
            pos += lengths[p];
        }
        return crcs;
    }

    @Override
    protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
        int length = DirectBufferCodec.checkedInt(uncompressed.writerIndex());
        int pages = (length + pageBytes - 1) / pageBytes;
        return type == CompressionUtil.CodecType.ZSTD
                ? zstd(allocator, uncompressed, length, pages)
                : lz4(allocator, uncompressed, length, pages);
    }

    private ArrowBuf zstd(BufferAllocator allocator, ArrowBuf uncompressed, int length, int pages) {
        long bound = LENGTH_PREFIX + (long) pages * Zstd.compressBound(pageBytes);
        ArrowBuf out = allocator.buffer(bound);
        try {
            ByteBuffer dst = out.nioBuffer(0, DirectBufferCodec.checkedInt(bound));
            ByteBuffer src = uncompressed.nioBuffer(0, length);
            ZstdCompressCtx ctx = ZstdCodecFactory.compressor();
            int[] lengths = new int[pages];
            int pos = LENGTH_PREFIX;
            for (int p = 0; p < pages; p++) {
                int off = p * pageBytes;
                int len = Math.min(pageBytes, length - off);
                lengths[p] = ctx.compressDirectByteBuffer(dst, pos, dst.capacity() - pos, src, off, len);
                pos += lengths[p];
            }
            out.writerIndex(pos);
            lastPages = lengths;
            lastHeader = 0;
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw new RuntimeException("ZSTD compression failed: " + e.getMessage(), e);
        }
    }

    private ArrowBuf lz4(BufferAllocator allocator, ArrowBuf uncompressed, int length, int pages) {
        long bound = LENGTH_PREFIX
                + Lz4FrameCodec.HEADER
                + (long) pages * (4 + Lz4FrameCodec.COMPRESSOR.maxCompressedLength(pageBytes))
                + 4;
        ArrowBuf out = allocator.buffer(bound);
        try {
            ByteBuffer dst =
                    out.nioBuffer(0, DirectBufferCodec.checkedInt(bound)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer src = uncompressed.nioBuffer(0, length);
            int pos = LENGTH_PREFIX;
            dst.putInt(pos, Lz4FrameCodec.MAGIC);
            dst.put(pos + 4, (byte) Lz4FrameCodec.FLG);
            dst.put(pos + 5, (byte) LZ4_BD);
            dst.put(pos + 6, Lz4FrameCodec.headerChecksum(LZ4_BD));
            pos += Lz4FrameCodec.HEADER;
            int[] lengths = new int[pages];
            for (int p = 0; p < pages; p++) {
                int off = p * pageBytes;
                int chunk = Math.min(pageBytes, length - off);
                int written =
                        Lz4FrameCodec.COMPRESSOR.compress(src, off, chunk, dst, pos + 4, dst.capacity() - pos - 8);
                if (written >= chunk) {
                    dst.putInt(pos, chunk | Lz4FrameCodec.UNCOMPRESSED_BIT);
                    ByteBuffer raw = src.duplicate();
                    raw.limit(off + chunk).position(off);
                    ByteBuffer target = dst.duplicate();
                    target.position(pos + 4);
                    target.put(raw);
                    written = chunk;
                } else {
                    dst.putInt(pos, written);
                }
                lengths[p] = 4 + written;
                pos += lengths[p];
            }
            dst.putInt(pos, 0);
            out.writerIndex(pos + 4);
            lastPages = lengths;
            lastHeader = Lz4FrameCodec.HEADER;
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw new RuntimeException("LZ4 compression failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes like the reader's codec: pages are plain frames (ZSTD) or blocks (LZ4) of one stream.
     * That codec's {@code decompress} releases {@code compressed}, as the caller of this method does
     * too, so one more reference is taken for it.
     */
    @Override
    protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
        compressed.getReferenceManager().retain();
        return ZstdCodecFactory.INSTANCE.createCodec(type).decompress(allocator, compressed);
    }

    @Override
    public CompressionUtil.CodecType getCodecType() {
        return type;
    }

    /**
     * Decodes one page ({@code length} bytes of {@code src} at {@code offset}, as {@link
     * PageIndex} locates it) of a buffer compressed with {@code type} into {@code dst} at {@code
     * at}; returns the bytes written. Damaged input is a RuntimeException.
     */
    static int decodePage(
            CompressionUtil.CodecType type, byte[] src, int offset, int length, byte[] dst, int at, int room) {
        if (type == CompressionUtil.CodecType.ZSTD) {
            return ZstdCodecFactory.decompressor().decompressByteArray(dst, at, room, src, offset, length);
        }
        if (length < 4) {
            throw new IllegalStateException("LZ4 page of " + length + " bytes has no block header");
        }
        int size =
                ByteBuffer.wrap(src, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int len = size & ~Lz4FrameCodec.UNCOMPRESSED_BIT;
        if (len != length - 4) {
            throw new IllegalStateException("LZ4 page holds a block of " + len + " bytes in " + (length - 4));
        }
        if ((size & Lz4FrameCodec.UNCOMPRESSED_BIT) != 0) {
            if (len > room) {
                throw new IllegalStateException("LZ4 raw page of " + len + " bytes exceeds its page");
            }
            System.arraycopy(src, offset + 4, dst, at, len);
            return len;
        }
        return Lz4FrameCodec.DECOMPRESSOR.decompress(src, offset + 4, len, dst, at, room);
    }
}
