package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * River's ZSTD codec is byte-compatible with Arrow's own in both directions (what River writes, Arrow
 * reads, and the reverse), for compressible, incompressible (raw fallback) and empty buffers, and
 * from many threads at once; the allocator is checked for leaks.
 */
class ZstdCodecFactoryTest {
    private final BufferAllocator allocator = new RootAllocator();
    private final CompressionCodec river = ZstdCodecFactory.INSTANCE.createCodec(CompressionUtil.CodecType.ZSTD);
    private final CompressionCodec arrow =
            CommonsCompressionFactory.INSTANCE.createCodec(CompressionUtil.CodecType.ZSTD);

    @AfterEach
    void noLeaks() {
        allocator.close(); // throws on a leaked buffer
    }

    @Test
    void roundTripsBothWaysWithArrowsCodec() {
        Random rnd = new Random(7);
        for (int size : new int[] {0, 1, 7, 100, 4096, 65_537, 1 << 20}) {
            for (boolean compressible : new boolean[] {true, false}) {
                byte[] data = data(rnd, size, compressible);
                assertArrayEquals(data, roundTrip(data, river, arrow), "river -> arrow, " + size);
                assertArrayEquals(data, roundTrip(data, arrow, river), "arrow -> river, " + size);
                assertArrayEquals(data, roundTrip(data, river, river), "river -> river, " + size);
            }
        }
    }

    @Test
    void manyThreadsShareTheFactory() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 200; i++) {
                        byte[] data = data(rnd, rnd.nextInt(20_000), rnd.nextBoolean());
                        assertArrayEquals(data, roundTrip(data, river, river));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void otherCodecTypesAreArrows() {
        assertSame(
                NoCompressionCodec.INSTANCE,
                ZstdCodecFactory.INSTANCE.createCodec(CompressionUtil.CodecType.NO_COMPRESSION));
        assertEquals(CompressionUtil.CodecType.ZSTD, river.getCodecType());
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
        // compress() takes ownership of its input; decompress() of the compressed buffer.
        ArrowBuf compressed = writer.compress(allocator, raw);
        try (ArrowBuf back = reader.decompress(allocator, compressed)) {
            byte[] out = new byte[(int) back.writerIndex()];
            back.getBytes(0, out);
            return out;
        }
    }
}
