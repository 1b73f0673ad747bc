package io.river.engine.segment;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.nio.ByteBuffer;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * Arrow's IPC body compression for segments, ZSTD with contexts reused per thread. Writes and reads
 * exactly what Arrow's own {@code ZstdCompressionCodec} does (each buffer: 8-byte little-endian
 * uncompressed length, then one standard ZSTD frame, or length -1 and the raw bytes when compression
 * does not pay), so files stay readable by any Arrow reader and old segments read unchanged. The
 * difference is cost: Arrow's codec calls zstd-jni's static one-shot functions, which create and free
 * a native ZSTD context on every buffer — about 13 µs each on the CI machine, more than decompressing
 * a whole 4 KB buffer, and a block decode touches two or three buffers per column. Here each thread
 * keeps one decompression and one compression context (freed by zstd-jni's cleaner when the thread
 * dies). {@code LZ4_FRAME} is {@link Lz4FrameCodec} (lz4-java). Thread-safe: contexts are
 * thread-confined. Other codec types are delegated to Arrow's factory.
 */
public final class ZstdCodecFactory implements CompressionCodec.Factory {
    /** The factory segments are written and read with. */
    public static final ZstdCodecFactory INSTANCE = new ZstdCodecFactory();
    /** ZSTD level of segment blocks (Arrow's default). */
    public static final int LEVEL = 3;

    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS = ThreadLocal.withInitial(ZstdDecompressCtx::new);
    private static final ThreadLocal<ZstdCompressCtx> COMPRESS =
            ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(LEVEL));
    private static final Codec CODEC = new Codec();

    private ZstdCodecFactory() {}

    /** This thread's ZSTD compression context (level {@value #LEVEL}). */
    static ZstdCompressCtx compressor() {
        return COMPRESS.get();
    }

    /** This thread's ZSTD decompression context. */
    static ZstdDecompressCtx decompressor() {
        return DECOMPRESS.get();
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
        switch (codecType) {
            case ZSTD:
                return CODEC;
            case LZ4_FRAME:
                return Lz4FrameCodec.INSTANCE;
            case NO_COMPRESSION:
                return NoCompressionCodec.INSTANCE;
            default:
                return CommonsCompressionFactory.INSTANCE.createCodec(codecType);
        }
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
        if (codecType == CompressionUtil.CodecType.ZSTD && compressionLevel != LEVEL) {
            return CommonsCompressionFactory.INSTANCE.createCodec(codecType, compressionLevel);
        }
        return createCodec(codecType);
    }

    /** The ZSTD codec; framing (length prefix, raw fallback, empty buffers) is Arrow's base class. */
    private static final class Codec extends DirectBufferCodec {
        @Override
        protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
            int length = checkedInt(uncompressed.writerIndex());
            long bound = Zstd.compressBound(length);
            ArrowBuf out = allocator.buffer(LENGTH_PREFIX + bound);
            try {
                ByteBuffer dst = out.nioBuffer(LENGTH_PREFIX, checkedInt(bound));
                ByteBuffer src = uncompressed.nioBuffer(0, length);
                int written = COMPRESS.get().compressDirectByteBuffer(dst, 0, dst.capacity(), src, 0, length);
                out.writerIndex(LENGTH_PREFIX + written);
                return out;
            } catch (RuntimeException e) {
                out.close();
                throw new RuntimeException("ZSTD compression failed: " + e.getMessage(), e);
            }
        }

        @Override
        protected String name() {
            return "ZSTD";
        }

        @Override
        protected int decode(ByteBuffer src, ByteBuffer dst) {
            return DECOMPRESS.get().decompressDirectByteBuffer(dst, 0, dst.capacity(), src, 0, src.capacity());
        }

        @Override
        public CompressionUtil.CodecType getCodecType() {
            return CompressionUtil.CodecType.ZSTD;
        }
    }
}
