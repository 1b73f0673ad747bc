package io.river.engine.segment;

import static io.river.engine.segment.SegmentTestUtils.allTypesSchema;
import static io.river.engine.segment.SegmentTestUtils.key;
import static io.river.engine.segment.SegmentTestUtils.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.engine.cache.BlockCache;
import io.river.engine.model.Row;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment block codec is the writer's choice per file: ZSTD by default, LZ4 by
 * {@code river.segment.codec=lz4} except from {@code river.segment.codec.cold.level} on; each file names
 * its codec in the footer, and a reader reads files of either codec (so files written before LZ4, which
 * are ZSTD, stay readable) to the same rows.
 */
class SegmentCodecTest {
    private static final int N = 2000;

    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void close() {
        allocator.close(); // throws if any buffer leaked
    }

    @Test
    void filesOfEitherCodecReadToTheSameRows() throws IOException {
        List<Row> input = rows(N);
        for (CompressionUtil.CodecType codec : SegmentFormat.CODECS) {
            Path path = dir.resolve(SegmentFormat.codecName(codec) + ".arrow");
            SegmentWriter.write(
                    path,
                    allTypesSchema(),
                    input.iterator(),
                    new SegmentWriter.Options(64, 0.01, 16, codec, 0),
                    allocator);
            assertEquals(SegmentFormat.codecName(codec), footer(path).get(SegmentFormat.KEY_CODEC));
            try (BlockCache cache = new BlockCache(0);
                    SegmentReader r = SegmentReader.open(path, 1, allocator, cache)) {
                List<Row> back = new ArrayList<>();
                try (SegmentRowIterator it = r.rows()) {
                    it.forEachRemaining(back::add);
                }
                assertEquals(input, back, codec.name());
                for (int i = 0; i < N; i += 97) {
                    assertEquals(input.get(i), r.get(key(i)).orElseThrow(), codec + " " + key(i));
                }
            }
        }
    }

    @Test
    void theConfigChoosesTheCodecAndColdLevelsAreZstd() {
        SegmentWriter.Options defaults = SegmentWriter.Options.from(RiverConfig.from(Map.of("river.data.dir", "d")));
        assertEquals(CompressionUtil.CodecType.ZSTD, defaults.codec());
        assertSame(defaults, defaults.forLevel(5), "no cold level by default");
        SegmentWriter.Options lz4 = SegmentWriter.Options.from(
                RiverConfig.from(Map.of("river.data.dir", "d", "river.segment.codec", "lz4")));
        assertEquals(CompressionUtil.CodecType.LZ4_FRAME, lz4.codec());
        SegmentWriter.Options tiered = SegmentWriter.Options.from(RiverConfig.from(
                Map.of("river.data.dir", "d", "river.segment.codec", "lz4", "river.segment.codec.cold.level", "2")));
        assertEquals(CompressionUtil.CodecType.LZ4_FRAME, tiered.forLevel(0).codec());
        assertEquals(CompressionUtil.CodecType.LZ4_FRAME, tiered.forLevel(1).codec());
        assertEquals(CompressionUtil.CodecType.ZSTD, tiered.forLevel(2).codec());
        assertEquals(CompressionUtil.CodecType.ZSTD, tiered.forLevel(6).codec());
        assertEquals(tiered.blockRows(), tiered.forLevel(6).blockRows());
    }

    private Map<String, String> footer(Path path) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(path);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator, ZstdCodecFactory.INSTANCE)) {
            reader.getRecordBlocks(); // reads the footer
            Map<String, String> meta = reader.getMetaData();
            assertTrue(meta.containsKey(SegmentFormat.KEY_VERSION));
            return meta;
        }
    }
}
