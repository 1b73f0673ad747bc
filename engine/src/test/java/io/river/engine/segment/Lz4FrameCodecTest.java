package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * River's LZ4 codec writes what Arrow's own {@code LZ4_FRAME} codec reads and reads what it writes, for
 * compressible, incompressible (raw blocks and Arrow's raw fallback), empty and multi-block (over 4 MiB)
 * buffers; reads frames with content size and checksums (lz4-java's frame writer); and on damaged input
 * either fails with a RuntimeException or, for damage LZ4 cannot see, returns a buffer of the right
 * length, never anything else and never leaking memory.
 */
class Lz4FrameCodecTest {
    private final BufferAllocator allocator = new RootAllocator();
    private final CompressionCodec river = ZstdCodecFactory.INSTANCE.createCodec(CompressionUtil.CodecType.LZ4_FRAME);
    private final CompressionCodec arrow =
            CommonsCompressionFactory.INSTANCE.createCodec(CompressionUtil.CodecType.LZ4_FRAME);

    @AfterEach
    void noLeaks() {
        allocator.close(); // throws on a leaked buffer
    }

    @Test
    void roundTripsBothWaysWithArrowsCodec() {
        Random rnd = new Random(11);
        for (int size : new int[] {0, 1, 7, 100, 4096, 65_537, 1 << 20, (4 << 20) + 3}) {
            for (boolean compressible : new boolean[] {true, false}) {
                byte[] data = data(rnd, size, compressible);
                assertArrayEquals(data, roundTrip(data, river, arrow), "river -> arrow, " + size);
                assertArrayEquals(data, roundTrip(data, arrow, river), "arrow -> river, " + size);
                assertArrayEquals(data, roundTrip(data, river, river), "river -> river, " + size);
            }
        }
        assertSame(Lz4FrameCodec.INSTANCE, river);
        assertEquals(CompressionUtil.CodecType.LZ4_FRAME, river.getCodecType());
    }

    @Test
    void readsFramesWithContentSizeAndChecksums() throws IOException {
        byte[] data = data(new Random(3), 300_000, true);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(
                frame,
                LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                data.length,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)) {
            out.write(data);
        }
        assertArrayEquals(data, decompress(prefixed(data.length, frame.toByteArray())));
    }

    @Test
    void damagedInputFailsWithARuntimeExceptionOrKeepsTheLength() {
        Random rnd = new Random(5);
        byte[] data = data(rnd, 20_000, true);
        ArrowBuf raw = allocator.buffer(data.length);
        raw.setBytes(0, data);
        raw.writerIndex(data.length);
        ArrowBuf c = river.compress(allocator, raw);
        byte[] good = new byte[(int) c.writerIndex()];
        c.getBytes(0, good);
        c.close();
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = good.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = 8 + rnd.nextInt(bad.length - 8); // the length prefix is Arrow's, checked by the caller
                bad[at] ^= (byte) (1 << rnd.nextInt(8));
            }
            if (rnd.nextInt(10) == 0) {
                bad = java.util.Arrays.copyOf(bad, 8 + rnd.nextInt(bad.length - 8));
            }
            try {
                byte[] back = decompress(bad);
                assertEquals(data.length, back.length, "trial " + trial);
            } catch (RuntimeException expected) {
                // damage detected
            } catch (Throwable t) {
                fail("trial " + trial + ": " + t, t);
            }
        }
    }

    private byte[] decompress(byte[] compressed) {
        ArrowBuf in = allocator.buffer(compressed.length);
        in.setBytes(0, compressed);
        in.writerIndex(compressed.length);
        ArrowBuf back;
        try {
            back = river.decompress(allocator, in); // takes the input buffer when it succeeds
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
        try (back) {
            byte[] out = new byte[(int) back.writerIndex()];
            back.getBytes(0, out);
            return out;
        }
    }

    private static byte[] prefixed(long length, byte[] frame) {
        ByteBuffer b = ByteBuffer.allocate(8 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(frame);
        return b.array();
    }

    private static byte[] data(Random rnd, int size, boolean compressible) {
        byte[] data = new byte[size];
        if (compressible) {
            byte[] word = new byte[100];
            rnd.nextBytes(word);
            for (int i = 0; i < size; i++) {
                data[i] = word[i % word.length];
            }
        } else {
            rnd.nextBytes(data);
        }
        return data;
    }

    private byte[] roundTrip(byte[] data, CompressionCodec writer, CompressionCodec reader) {
        ArrowBuf raw = allocator.buffer(Math.max(1, data.length));
        raw.setBytes(0, data);
        raw.writerIndex(data.length);
        ArrowBuf compressed = writer.compress(allocator, raw);
        try (ArrowBuf back = reader.decompress(allocator, compressed)) {
            byte[] out = new byte[(int) back.writerIndex()];
            back.getBytes(0, out);
            return out;
        }
    }
}
