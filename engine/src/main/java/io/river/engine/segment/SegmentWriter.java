package io.river.engine.segment;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.io.AtomicFiles;
import io.river.engine.io.DataDir;
import io.river.engine.io.IoFaults;
import io.river.engine.model.ArrowTypes;
import io.river.engine.model.GatheredRows;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.StringDictionary;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Writes one immutable segment file ({@link SegmentFormat}) from rows in strictly ascending key
 * order: blocks of {@link Options#blockRows()} rows, compressed in pages ({@link PagedCodec}), with
 * the block index, zone maps, key bloom filter and page index in the footer, the string columns it
 * is given dictionaries for dictionary-encoded and the numeric columns it is given {@link
 * ColumnEncoding}s for narrowed. Durability: the file is written as {@code <path>.tmp}, fsynced, then
 * renamed over {@code path} and the directory fsynced ({@link AtomicFiles#commit}); a crash leaves
 * either no file or the whole file at {@code path} (plus maybe a {@code .tmp} that start-up deletes);
 * a failure deletes the temp file. Buffers come from a child of the given allocator and are all
 * released before {@link #write} returns. Stateless and thread-safe; one call writes one file.
 */
public final class SegmentWriter {
    private SegmentWriter() {}

    /**
     * Block size in rows, bloom filter false-positive rate, and the most distinct values a string
     * column may have to be dictionary-encoded (0 = never; see {@link DictionaryCollector}). Immutable.
     */
    public record Options(
            int blockRows,
            double bloomFpp,
            int dictionaryMaxEntries,
            CompressionUtil.CodecType codec,
            int coldLevel,
            boolean narrow) {
        public Options(int blockRows, double bloomFpp) {
            this(blockRows, bloomFpp, RiverConfigKeys.SEGMENT_DICTIONARY_MAX_ENTRIES.defaultValue());
        }

        public Options(int blockRows, double bloomFpp, int dictionaryMaxEntries) {
            this(
                    blockRows,
                    bloomFpp,
                    dictionaryMaxEntries,
                    SegmentFormat.codec(RiverConfigKeys.SEGMENT_CODEC.defaultValue()),
                    RiverConfigKeys.SEGMENT_CODEC_COLD_LEVEL.defaultValue());
        }

        /** Numeric columns narrowed as {@code river.segment.encoding}'s default says. */
        public Options(
                int blockRows,
                double bloomFpp,
                int dictionaryMaxEntries,
                CompressionUtil.CodecType codec,
                int coldLevel) {
            this(
                    blockRows,
                    bloomFpp,
                    dictionaryMaxEntries,
                    codec,
                    coldLevel,
                    narrow(RiverConfigKeys.SEGMENT_ENCODING.defaultValue()));
        }

        public Options {
            if (!SegmentFormat.CODECS.contains(codec)) {
                throw new IllegalArgumentException(
                        "segment codec must be one of " + SegmentFormat.CODECS + ": " + codec);
            }
            if (coldLevel < 0) {
                throw new IllegalArgumentException("coldLevel must not be negative: " + coldLevel);
            }
            if (dictionaryMaxEntries < 0) {
                throw new IllegalArgumentException(
                        "dictionaryMaxEntries must not be negative: " + dictionaryMaxEntries);
            }
            if (blockRows < 1) {
                throw new IllegalArgumentException("blockRows must be positive: " + blockRows);
            }
            if (!(bloomFpp > 0 && bloomFpp < 1)) {
                throw new IllegalArgumentException("bloomFpp must be in (0, 1): " + bloomFpp);
            }
        }

        public static Options defaults() {
            return new Options(
                    RiverConfigKeys.SEGMENT_BLOCK_ROWS.defaultValue(), RiverConfigKeys.BLOOM_FPP.defaultValue());
        }

        public static Options from(RiverConfig config) {
            return new Options(
                    config.get(RiverConfigKeys.SEGMENT_BLOCK_ROWS),
                    config.get(RiverConfigKeys.BLOOM_FPP),
                    config.get(RiverConfigKeys.SEGMENT_DICTIONARY_MAX_ENTRIES),
                    SegmentFormat.codec(config.get(RiverConfigKeys.SEGMENT_CODEC)),
                    config.get(RiverConfigKeys.SEGMENT_CODEC_COLD_LEVEL),
                    narrow(config.get(RiverConfigKeys.SEGMENT_ENCODING)));
        }

        /** True for {@code river.segment.encoding=auto}: numeric columns are narrowed ({@link ColumnEncoding}). */
        private static boolean narrow(String encoding) {
            return encoding.equals("auto");
        }

        /** These options for a file of LSM level {@code level}: ZSTD from {@link #coldLevel} on (0: never). */
        public Options forLevel(int level) {
            boolean cold = coldLevel > 0 && level >= coldLevel;
            return cold
                    ? new Options(blockRows, bloomFpp, dictionaryMaxEntries, CompressionUtil.CodecType.ZSTD, 0, narrow)
                    : this;
        }
    }

    /** The last step of a write: makes the fsynced temp file visible under its final name. */
    @FunctionalInterface
    interface Committer {
        void commit(Path tmp, Path target) throws IOException;
    }

    /**
     * Writes {@code rows} (at least one; keys strictly ascending; values fitting {@code schema})
     * to {@code path} with every column plain and returns its metadata. Throws
     * IllegalArgumentException for bad input (no file is left behind) and IOException when the
     * disk fails.
     */
    public static SegmentMeta write(
            Path path, TableSchema schema, Iterator<Row> rows, Options options, BufferAllocator allocator)
            throws IOException {
        return write(path, schema, rows, Map.of(), Map.of(), options, allocator, AtomicFiles::commit);
    }

    /**
     * Like {@link #write(Path, TableSchema, Iterator, Options, BufferAllocator)}, with the STRING
     * columns named in {@code dictionaries} dictionary-encoded with the given dictionaries (from a
     * {@link DictionaryCollector}); a row whose value a dictionary lacks is an
     * IllegalArgumentException.
     */
    public static SegmentMeta write(
            Path path,
            TableSchema schema,
            Iterator<Row> rows,
            Map<String, StringDictionary> dictionaries,
            Options options,
            BufferAllocator allocator)
            throws IOException {
        return write(path, schema, rows, dictionaries, Map.of(), options, allocator, AtomicFiles::commit);
    }

    /**
     * Like {@link #write(Path, TableSchema, Iterator, Map, Options, BufferAllocator)}, with the numeric
     * columns named in {@code encodings} (from an {@link EncodingCollector}) narrowed when {@link
     * Options#narrow()}; a row whose value lies outside its column's encoding is an
     * IllegalArgumentException.
     */
    public static SegmentMeta write(
            Path path,
            TableSchema schema,
            Iterator<Row> rows,
            Map<String, StringDictionary> dictionaries,
            Map<String, ColumnEncoding> encodings,
            Options options,
            BufferAllocator allocator)
            throws IOException {
        return write(path, schema, rows, dictionaries, encodings, options, allocator, AtomicFiles::commit);
    }

    static SegmentMeta write(
            Path path,
            TableSchema schema,
            Iterator<Row> rows,
            Options options,
            BufferAllocator allocator,
            Committer committer)
            throws IOException {
        return write(path, schema, rows, Map.of(), Map.of(), options, allocator, committer);
    }

    static SegmentMeta write(
            Path path,
            TableSchema schema,
            Iterator<Row> rows,
            Map<String, StringDictionary> dictionaries,
            Map<String, ColumnEncoding> encodings,
            Options options,
            BufferAllocator allocator,
            Committer committer)
            throws IOException {
        if (!rows.hasNext()) {
            throw new IllegalArgumentException("a segment needs at least one row: " + path.getFileName());
        }
        return write(path, schema, new RowSource(rows), dictionaries, encodings, options, allocator, committer);
    }

    /**
     * Like {@link #write(Path, TableSchema, Iterator, Map, Map, Options, BufferAllocator)}, from rows
     * gathered from Arrow vectors (at least one; keys strictly ascending), written column by column:
     * the same file as writing the same rows one by one.
     */
    public static SegmentMeta write(
            Path path,
            TableSchema schema,
            GatheredRows rows,
            Map<String, StringDictionary> dictionaries,
            Map<String, ColumnEncoding> encodings,
            Options options,
            BufferAllocator allocator)
            throws IOException {
        if (rows.size() == 0) {
            throw new IllegalArgumentException("a segment needs at least one row: " + path.getFileName());
        }
        return write(
                path,
                schema,
                new GatheredSource(rows),
                dictionaries,
                encodings,
                options,
                allocator,
                AtomicFiles::commit);
    }

    private static SegmentMeta write(
            Path path,
            TableSchema schema,
            BlockSource rows,
            Map<String, StringDictionary> dictionaries,
            Map<String, ColumnEncoding> encodings,
            Options options,
            BufferAllocator allocator,
            Committer committer)
            throws IOException {
        Path tmp = DataDir.temp(path);
        long created = System.currentTimeMillis();
        SegmentFooter footer;
        try {
            footer = writeTmp(
                    tmp,
                    schema,
                    rows,
                    dictionaries,
                    options.narrow() ? encodings : Map.of(),
                    options,
                    allocator,
                    created);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        committer.commit(tmp, path);
        List<BlockInfo> blocks = footer.blocks();
        Map<String, ColumnStats> stats = footer.fileStats();
        return new SegmentMeta(
                path.getFileName().toString(),
                Files.size(path),
                footer.rows(),
                footer.tombstones(),
                blocks.get(0).firstKey(),
                blocks.get(blocks.size() - 1).lastKey(),
                blocks.size(),
                stats,
                created,
                schema.version());
    }

    private static SegmentFooter writeTmp(
            Path tmp,
            TableSchema schema,
            BlockSource rows,
            Map<String, StringDictionary> dictionaries,
            Map<String, ColumnEncoding> encodings,
            Options options,
            BufferAllocator parent,
            long created)
            throws IOException {
        Map<String, String> footerMetadata = new HashMap<>();
        PagedCodec codec = new PagedCodec(options.codec(), SegmentFormat.PAGE_BYTES);
        List<List<PageIndex.BufferPages>> pages = new ArrayList<>();
        try (BufferAllocator allocator =
                        parent.newChildAllocator("segment-writer-" + tmp.getFileName(), 0, Long.MAX_VALUE);
                VectorSchemaRoot root = VectorSchemaRoot.create(
                        SegmentFormat.arrowSchema(schema, sizes(dictionaries), encodings), allocator);
                DictionaryVectors dictionaryVectors = new DictionaryVectors(root, dictionaries, allocator);
                FileChannel channel = FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.READ,
                        StandardOpenOption.TRUNCATE_EXISTING);
                // ArrowFileWriter keeps a reference to the metadata map and writes it at end(), so the
                // index can be added after the last block.
                ArrowFileWriter writer = new ArrowFileWriter(
                        root,
                        dictionaryVectors.provider(),
                        channel,
                        footerMetadata,
                        IpcOption.DEFAULT,
                        codec,
                        options.codec(),
                        Optional.empty())) {
            writer.start();
            int buffersPerBlock = SegmentFormat.bufferCount(root.getSchema());
            BlockBuilder block = new BlockBuilder(root, schema, dictionaries, encodings, options.blockRows());
            List<BlockInfo> blocks = new ArrayList<>();
            KeyHashes hashes = new KeyHashes();
            while (rows.fill(block, options.blockRows(), hashes)) {
                blocks.add(block.finish());
                writer.writeBatch();
                pages.add(codec.takeRecorded(buffersPerBlock));
                block.reset();
            }
            long count = hashes.size();
            long tombstones = 0;
            for (BlockInfo b : blocks) {
                tombstones += b.tombstones();
            }
            BloomFilter bloom = BloomFilter.create(count, options.bloomFpp());
            for (int i = 0; i < count; i++) {
                bloom.addHash(hashes.get(i));
            }
            SegmentFooter footer = new SegmentFooter(
                    SegmentFormat.VERSION, schema.version(), created, count, tombstones, blocks, bloom);
            footer.encodeInto(footerMetadata);
            footerMetadata.put(SegmentFormat.KEY_CODEC, SegmentFormat.codecName(options.codec()));
            // Every block is on the channel by now; checksum the bytes as written.
            List<ArrowBlock> written = writer.getRecordBlocks();
            footerMetadata.put(
                    SegmentFormat.KEY_PAGES,
                    PageIndex.encode(channel, options.codec(), SegmentFormat.PAGE_BYTES, written, pages));
            long[] blockCrcs = new long[written.size()];
            for (int i = 0; i < blockCrcs.length; i++) {
                blockCrcs[i] = SegmentChecksums.blockCrc(channel, written.get(i));
            }
            List<ArrowBlock> dictionaryBlocks = writer.getDictionaryBlocks();
            if (!dictionaryBlocks.isEmpty()) {
                footerMetadata.put(
                        SegmentFormat.KEY_DICTIONARY_CRC,
                        SegmentChecksums.encodeDictionaries(channel, dictionaryBlocks));
            }
            IoFaults.check(IoFaults.Op.WRITE, tmp);
            footerMetadata.put(
                    SegmentFormat.KEY_CRC,
                    SegmentChecksums.encode(
                            SegmentChecksums.footerCrc(root.getSchema(), footerMetadata, written, dictionaryBlocks),
                            blockCrcs));
            writer.end();
            IoFaults.check(IoFaults.Op.FSYNC, tmp);
            channel.force(true);
            return footer;
        }
    }

    /** Where a write's rows come from, a block at a time. */
    private interface BlockSource {
        /**
         * Adds up to {@code max} next rows to {@code block} (empty on entry), each key's hash to
         * {@code hashes}; false when no row was left.
         */
        boolean fill(BlockBuilder block, int max, KeyHashes hashes);
    }

    /** Rows one by one, their keys checked to ascend strictly. */
    private static final class RowSource implements BlockSource {
        private final Iterator<Row> rows;
        private String prev;

        RowSource(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean fill(BlockBuilder block, int max, KeyHashes hashes) {
            while (block.rows() < max && rows.hasNext()) {
                Row row = rows.next();
                if (prev != null && row.pk().compareTo(prev) <= 0) {
                    throw new IllegalArgumentException("segment rows must be in strictly ascending key order: '"
                            + row.pk() + "' after '" + prev + "'");
                }
                prev = row.pk();
                byte[] pk = row.pk().getBytes(StandardCharsets.UTF_8);
                block.add(row, pk);
                hashes.add(KeyHash.xxh64(pk, 0));
            }
            return block.rows() > 0;
        }
    }

    /** Gathered rows a block at a time, copied column by column (keys ascend by {@link GatheredRows}' contract). */
    private static final class GatheredSource implements BlockSource {
        private final GatheredRows rows;
        private int next;

        GatheredSource(GatheredRows rows) {
            this.rows = rows;
        }

        @Override
        public boolean fill(BlockBuilder block, int max, KeyHashes hashes) {
            int to = Math.min(rows.size(), next + max);
            if (next == to) {
                return false;
            }
            byte[][] pks = new byte[to - next][];
            for (int p = next; p < to; p++) {
                byte[] pk = rows.keys()[p].getBytes(StandardCharsets.UTF_8);
                pks[p - next] = pk;
                hashes.add(KeyHash.xxh64(pk, 0));
            }
            block.addGathered(rows, next, to, pks);
            next = to;
            return true;
        }
    }

    /** The key hashes of a write, for its bloom filter. */
    private static final class KeyHashes {
        private long[] hashes = new long[1024];
        private int size;

        void add(long h) {
            if (size == hashes.length) {
                hashes = Arrays.copyOf(hashes, hashes.length * 2);
            }
            hashes[size++] = h;
        }

        long get(int i) {
            return hashes[i];
        }

        int size() {
            return size;
        }
    }

    private static Map<String, Integer> sizes(Map<String, StringDictionary> dictionaries) {
        Map<String, Integer> out = new HashMap<>();
        dictionaries.forEach((name, d) -> out.put(name, d.size()));
        return out;
    }

    /**
     * The Arrow dictionary batches of one write: a Utf8 vector per encoded column, from the
     * writer's allocator, handed to Arrow's writer through a provider and closed with the write.
     */
    private static final class DictionaryVectors implements AutoCloseable {
        private final DictionaryProvider.MapDictionaryProvider provider =
                new DictionaryProvider.MapDictionaryProvider();
        private final List<FieldVector> vectors = new ArrayList<>();

        DictionaryVectors(
                VectorSchemaRoot root, Map<String, StringDictionary> dictionaries, BufferAllocator allocator) {
            try {
                for (Map.Entry<String, StringDictionary> e : dictionaries.entrySet()) {
                    Field field = root.getSchema().findField(e.getKey());
                    DictionaryEncoding encoding = field.getDictionary();
                    VarCharVector values = new VarCharVector(
                            new Field("dictionary-" + e.getKey(), FieldType.notNullable(ArrowTypes.UTF8), null),
                            allocator);
                    vectors.add(values);
                    StringDictionary d = e.getValue();
                    values.allocateNew(Math.max(1, d.byteSize()), Math.max(1, d.size()));
                    for (int i = 0; i < d.size(); i++) {
                        values.setSafe(i, d.bytes(i));
                    }
                    values.setValueCount(d.size());
                    provider.put(new Dictionary(values, encoding));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        DictionaryProvider provider() {
            return provider;
        }

        @Override
        public void close() {
            vectors.forEach(FieldVector::close);
            vectors.clear();
        }
    }
}
