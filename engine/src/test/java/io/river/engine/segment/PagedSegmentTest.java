package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.cache.BlockCache;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.VectorValues;
import io.river.engine.scan.StringDictionary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Segment format 4: blocks compressed in pages with a page index. A stock Arrow reader (Arrow's own
 * codecs) reads the files to the same values; single-row reads from pages equal the rows written,
 * whatever the cache holds; format 3 files still read; damage inside a page or the page index is
 * refused, never served.
 */
class PagedSegmentTest {
    private static final int N = 1000;
    private static final int BLOCK = 100;
    private static final List<Row> ROWS = PointReadRows.rows(N);

    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();
    private BlockCache cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
        allocator.close(); // throws if any buffer leaked
    }

    private Path write(CompressionUtil.CodecType codec) throws IOException {
        Path path = dir.resolve("paged-" + codec + ".arrow");
        SegmentWriter.write(
                path,
                PointReadRows.SCHEMA,
                ROWS.iterator(),
                Map.of("city", StringDictionary.of(Arrays.asList(PointReadRows.CITIES))),
                new SegmentWriter.Options(BLOCK, 0.01, 1000, codec, 0),
                allocator);
        return path;
    }

    /** A row's values with byte arrays compared by content. */
    private static Map<String, Object> norm(Row r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_tombstone", r.isTombstone());
        r.values().forEach((k, v) -> out.put(k, v instanceof byte[] b ? ByteBuffer.wrap(b) : v));
        return out;
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionUtil.CodecType.class,
            names = {"ZSTD", "LZ4_FRAME"})
    void aStockArrowReaderReadsPagedFilesToTheSameValues(CompressionUtil.CodecType codec) throws IOException {
        Path path = write(codec);
        int row = 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator, CommonsCompressionFactory.INSTANCE)) {
            List<ArrowBlock> blocks = reader.getRecordBlocks(); // reads the footer
            assertEquals("4", reader.getMetaData().get(SegmentFormat.KEY_VERSION));
            assertNotNull(reader.getMetaData().get(SegmentFormat.KEY_PAGES));
            for (ArrowBlock block : blocks) {
                assertTrue(reader.loadRecordBatch(block));
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                for (int i = 0; i < root.getRowCount(); i++, row++) {
                    Row want = ROWS.get(row);
                    assertEquals(
                            want.pk(),
                            new String(((VarCharVector) root.getVector("_pk")).get(i), StandardCharsets.UTF_8));
                    assertEquals(want.isTombstone(), ((BitVector) root.getVector("_deleted")).get(i) != 0);
                    Map<String, Object> got = new LinkedHashMap<>();
                    got.put("_tombstone", want.isTombstone());
                    for (var c : PointReadRows.SCHEMA.columns()) {
                        FieldVector v = root.getVector(c.name());
                        if (v.isNull(i)) {
                            continue;
                        }
                        Object value;
                        if (v.getField().getDictionary() != null) {
                            Dictionary d = reader.getDictionaryVectors()
                                    .get(v.getField().getDictionary().getId());
                            int code = (int) ((BaseIntVector) v).getValueAsLong(i);
                            value = new String(((VarCharVector) d.getVector()).get(code), StandardCharsets.UTF_8);
                        } else {
                            value = VectorValues.get(v, c.type(), c.type(), i);
                        }
                        got.put(c.name(), value instanceof byte[] b ? ByteBuffer.wrap(b) : value);
                    }
                    assertEquals(norm(want), got, want.pk());
                }
            }
        }
        assertEquals(N, row);
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionUtil.CodecType.class,
            names = {"ZSTD", "LZ4_FRAME"})
    void rowsReadFromPagesEqualTheRowsWrittenWhateverTheCacheHolds(CompressionUtil.CodecType codec) throws IOException {
        Path path = write(codec);
        // No cache: every read from pages. A cache too small for a block's columns: pages too. A large
        // cache: blocks decoded into it while it has room, then hits.
        for (long capacity : new long[] {0, 1 << 10, 64 << 20}) {
            cache = new BlockCache(capacity);
            try (SegmentReader r = SegmentReader.open(path, 7, allocator, cache)) {
                assertEquals(4, r.footer().version());
                assertEquals(N, r.verify()); // whole-block decoding of paged blocks, CRCs checked
                SplittableRandom rnd = new SplittableRandom(capacity);
                for (int k = 0; k < 3 * N; k++) {
                    int i = k < N ? k : rnd.nextInt(N);
                    Row want = ROWS.get(i);
                    assertEquals(norm(want), norm(r.getAt(i, want.pk(), null)), "row " + i + ", cache " + capacity);
                    assertEquals(norm(want), norm(r.get(want.pk()).orElseThrow()), want.pk());
                }
                if (capacity < 1 << 20) {
                    assertTrue(r.pageReads() >= N, "reads served from pages: " + r.pageReads());
                } else {
                    assertEquals(0, r.pageReads(), "a cache with room takes the blocks");
                }
            }
            cache.close();
        }
        cache = null;
    }

    @Test
    void narrowedColumnsAreWidenedOnTheirWayOutOfPages() throws IOException {
        Path plain = write(CompressionUtil.CodecType.ZSTD);
        Map<String, ColumnEncoding> plan;
        try (BlockCache planCache = new BlockCache(0);
                SegmentReader r = SegmentReader.open(plain, 8, allocator, planCache)) {
            EncodingCollector collector = new EncodingCollector();
            collector.offerSegment(r);
            plan = collector.build(PointReadRows.SCHEMA);
        }
        assertTrue(plan.keySet().containsAll(List.of("n", "ts", "day")), "narrowed: " + plan.keySet());
        Path narrowed = dir.resolve("paged-narrowed.arrow");
        SegmentWriter.write(
                narrowed,
                PointReadRows.SCHEMA,
                ROWS.iterator(),
                Map.of("city", StringDictionary.of(Arrays.asList(PointReadRows.CITIES))),
                plan,
                new SegmentWriter.Options(BLOCK, 0.01, 1000, CompressionUtil.CodecType.ZSTD, 0),
                allocator);
        cache = new BlockCache(0);
        try (SegmentReader r = SegmentReader.open(narrowed, 9, allocator, cache)) {
            for (String column : plan.keySet()) {
                assertNotNull(r.encoding(column), column);
            }
            for (int i = 0; i < N; i++) {
                Row want = ROWS.get(i);
                assertEquals(norm(want), norm(r.getAt(i, want.pk(), null)), "row " + i);
            }
            assertTrue(r.pageReads() >= N, "reads served from pages: " + r.pageReads());
        }
        cache.close();
        cache = null;
    }

    @Test
    void widenedReadsFromPagesMatchTheCachedPath() throws IOException {
        Path path = write(CompressionUtil.CodecType.ZSTD);
        var wider = PointReadRows.SCHEMA.columns().stream()
                .map(c ->
                        c.type() == ColumnType.INT32 ? new io.river.engine.model.Column(c.name(), ColumnType.INT64) : c)
                .toList();
        var schema = new io.river.engine.model.TableSchema(2, wider);
        cache = new BlockCache(0);
        try (SegmentReader r = SegmentReader.open(path, 8, allocator, cache)) {
            for (int i = 0; i < N; i += 7) {
                Row want = ROWS.get(i);
                Row got = r.getAt(i, want.pk(), schema);
                assertEquals(norm(r.get(want.pk(), schema).orElseThrow()), norm(got), want.pk());
                if (want.get("i") != null) {
                    assertEquals(((Integer) want.get("i")).longValue(), got.get("i"));
                }
            }
        }
    }

    @Test
    void aFormat3SegmentWrittenByThePreviousWriterStillReads() throws IOException {
        Path path = dir.resolve("v3.arrow");
        try (InputStream in = getClass().getResourceAsStream("/segments/v3-point-rows.arrow")) {
            assertNotNull(in, "fixture written by the format-3 writer (see PointReadRows)");
            Files.copy(in, path);
        }
        for (long capacity : new long[] {0, 64 << 20}) {
            cache = new BlockCache(capacity);
            try (SegmentReader r = SegmentReader.open(path, 9, allocator, cache)) {
                assertEquals(3, r.footer().version());
                assertEquals(N, r.verify());
                for (int i = 0; i < N; i++) {
                    Row want = ROWS.get(i);
                    assertEquals(norm(want), norm(r.getAt(i, want.pk(), null)), want.pk());
                    assertEquals(norm(want), norm(r.get(want.pk()).orElseThrow()), want.pk());
                }
                assertEquals(0, r.pageReads());
            }
            cache.close();
        }
        cache = null;
    }

    @Test
    void aDamagedPageIsRefusedNeverServed() throws IOException {
        Path path = write(CompressionUtil.CodecType.ZSTD);
        long damaged;
        int block = 3;
        int blobData; // the data buffer of column "blob"
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
                BufferAllocator a = allocator.newChildAllocator("probe", 0, Long.MAX_VALUE)) {
            SegmentFile file = SegmentFile.read(ch, a);
            int buffers = SegmentFormat.bufferCount(file.schema());
            PageIndex index = PageIndex.decode(
                    file.metadata().get(SegmentFormat.KEY_PAGES), file.blocks().size(), buffers, ch.size());
            int field = file.schema().getFields().indexOf(file.schema().findField("blob"));
            int first = 0;
            for (int f = 0; f < field; f++) {
                first += org.apache.arrow.vector.TypeLayout.getTypeBufferCount(
                        file.schema().getFields().get(f).getType());
            }
            blobData = first + 2;
            assertTrue(index.length(block, blobData) > index.pageBytes(), "blob data spans pages");
            damaged = index.storedOffset(block, blobData, 1) + 3;
        }
        flip(path, damaged);
        cache = new BlockCache(0);
        try (SegmentReader r = SegmentReader.open(path, 10, allocator, cache)) {
            int refused = 0;
            for (int i = block * BLOCK; i < (block + 1) * BLOCK; i++) {
                Row want = ROWS.get(i);
                try {
                    assertEquals(norm(want), norm(r.getAt(i, want.pk(), null)), want.pk());
                } catch (UncheckedIOException e) {
                    assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
                    refused++;
                }
            }
            assertTrue(refused > 0, "rows whose bytes lie in the damaged page are refused");
            assertThrows(IOException.class, r::verify); // the whole block fails its block CRC too
        }
    }

    @Test
    void aDamagedPageIndexRefusesTheFile() throws IOException {
        Path path = write(CompressionUtil.CodecType.ZSTD);
        String value;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
                BufferAllocator a = allocator.newChildAllocator("probe", 0, Long.MAX_VALUE)) {
            value = SegmentFile.read(ch, a).metadata().get(SegmentFormat.KEY_PAGES);
        }
        byte[] file = Files.readAllBytes(path);
        byte[] needle = value.substring(0, 64).getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(file, needle);
        assertTrue(at > 0, "page index found in the footer");
        // A different base64 character in the middle of the index: still decodes, wrong offsets or CRCs.
        file[at + 40] = (byte) (file[at + 40] == 'A' ? 'B' : 'A');
        Files.write(path, file);
        cache = new BlockCache(0);
        IOException e = assertThrows(IOException.class, () -> SegmentReader.open(path, 11, allocator, cache));
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void flip(Path path, long pos) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, pos);
        }
    }
}
