package io.river.engine.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * A block codec over direct byte buffers inside Arrow's framing (the uncompressed length prefixed,
 * raw fallback and empty buffers handled by {@link AbstractCompressionCodec}): decompression into a
 * buffer of the prefixed length, the decoded length checked against it, the buffer released on any
 * failure. Subclasses compress and {@link #decode}. Stateless and thread-safe if the subclass is.
 */
abstract class DirectBufferCodec extends AbstractCompressionCodec {
    static final int LENGTH_PREFIX = (int) CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;

    /** The codec's name in error messages. */
    protected abstract String name();

    /** Decodes all of {@code src} (little-endian, position 0) into {@code dst}; returns the bytes written. */
    protected abstract int decode(ByteBuffer src, ByteBuffer dst);

    @Override
    protected final ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
        long length = readUncompressedLength(compressed);
        ArrowBuf out = allocator.buffer(length);
        try {
            int srcLength = checkedInt(compressed.writerIndex() - LENGTH_PREFIX);
            ByteBuffer src =
                    compressed.nioBuffer(LENGTH_PREFIX, srcLength).slice().order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer dst = out.nioBuffer(0, checkedInt(length));
            int n = decode(src, dst);
            if (n != length) {
                throw new RuntimeException(
                        "expected " + length + " bytes after " + name() + " decompression, got " + n);
            }
            out.writerIndex(length);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw new RuntimeException(name() + " decompression failed: " + e.getMessage(), e);
        }
    }

    static int checkedInt(long n) {
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new RuntimeException("buffer length out of range: " + n);
        }
        return (int) n;
    }
}
