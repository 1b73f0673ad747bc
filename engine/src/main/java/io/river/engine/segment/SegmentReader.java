package io.river.engine.segment;

import io.river.engine.cache.BlockCache;
import io.river.engine.cache.BlockKey;
import io.river.engine.cache.CachedBlock;
import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import io.river.engine.model.VectorValues;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.NarrowValues;
import io.river.engine.scan.ScanBatch;
import io.river.engine.scan.ScanVectors;
import io.river.engine.scan.StringDictionary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Reads one segment file ({@link SegmentFormat}): point lookups (bloom filter, then block index,
 * then binary search of {@code _pk} in one block), single rows by row number ({@link #getAt}: from
 * the cache, or from the pages covering the row in format 4), key-ordered row iteration for compaction and
 * range scans, and projected Arrow blocks for SQL scans (narrowed columns widened, or handed out narrow
 * with their {@link NarrowValues} when the scan asks). Decoded blocks are cached as stored.
 *
 * <p>Thread-safe: any number of threads may read at once (positional reads on one file channel;
 * decoded blocks shared through the {@link BlockCache}, read in place only while pinned).
 *
 * <p>Ownership: the reader owns its file channel and a child allocator of the one given to {@link
 * #open}, from which it decodes cached blocks and private scratch blocks. {@link #close()} drops
 * the file's cache entries, closes the channel and the child allocator; it must be called once no
 * thread reads any more and every iterator from {@link #rows} is closed (the engine's
 * reference-counted segment handle guarantees this), else the allocator reports the leak.
 * {@link #readBlock} results are allocated from the caller's allocator and belong to the caller,
 * independent of the reader and the cache (cached data is copied, never shared), so the caller may
 * keep them past {@link #close()} and may even write to them.
 */
public final class SegmentReader implements AutoCloseable {
    private final Path path;
    private final long fileId;
    private final BufferAllocator allocator;
    private final BlockCache cache;
    private final FileChannel channel;
    private final BlockDecoder decoder;
    private final Schema schema;
    private final SegmentFooter footer;
    private final SegmentMeta meta;
    private final Map<String, Integer> fieldIndex = new HashMap<>();
    private final Map<String, ColumnType> types = new HashMap<>();
    /** Dictionary-encoded columns' dictionaries by column name (format version 3 on). */
    private final Map<String, StringDictionary> dictionaries;
    /** Narrowed numeric columns' encodings by column name (format version 4 on). */
    private final Map<String, ColumnEncoding> encodings = new HashMap<>();

    private final List<String> tableColumns = new ArrayList<>();
    private final List<String> valueColumns;
    private final List<BlockStats> blockStats = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder bloomNegatives = new LongAdder();
    private final LongAdder bloomFalsePositives = new LongAdder();
    private final LongAdder blocksDecoded = new LongAdder();
    /** First file row of each block, and the file's row count last. */
    private final long[] blockFirstRow;
    /** Single-row reads from pages (format 4 on, every column of a known layout), else null. */
    private final PageRowReader pageRows;

    private final LongAdder pageReads = new LongAdder();

    private SegmentReader(
            Path path,
            long fileId,
            BufferAllocator allocator,
            BlockCache cache,
            FileChannel channel,
            Schema schema,
            List<ArrowBlock> blocks,
            Map<String, String> metadata,
            List<ArrowBlock> dictionaryBlocks,
            Map<String, StringDictionary> dictionaries)
            throws IOException {
        this.path = path;
        this.fileId = fileId;
        this.allocator = allocator;
        this.cache = cache;
        this.channel = channel;
        this.schema = schema;
        List<Field> fields = schema.getFields();
        if (fields.size() < SegmentFormat.KEY_COLUMNS
                || !fields.get(0).getName().equals(SegmentFormat.PK)
                || !fields.get(1).getName().equals(SegmentFormat.DELETED)) {
            throw new IOException("not a River segment (no leading _pk, _deleted columns): " + path);
        }
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            ColumnEncoding encoding = encoding(path, f);
            ColumnType t = f.getDictionary() != null
                    ? ColumnType.STRING
                    : encoding != null ? encoding.type() : ArrowTypes.fromArrow(f.getType());
            if (encoding != null) {
                if (i < SegmentFormat.KEY_COLUMNS) {
                    throw new IOException("segment " + path + " has a narrowed key column " + f.getName());
                }
                encodings.put(f.getName(), encoding);
            }
            if (f.getDictionary() != null
                    && (i < SegmentFormat.KEY_COLUMNS || !dictionaries.containsKey(f.getName()))) {
                throw new IOException("segment " + path + " has dictionary-encoded column " + f.getName()
                        + " without its dictionary");
            }
            if (t == null) {
                throw new IOException(
                        "segment " + path + " has column " + f.getName() + " of unsupported type " + f.getType());
            }
            fieldIndex.put(f.getName(), i);
            types.put(f.getName(), t);
            if (i >= SegmentFormat.KEY_COLUMNS) {
                tableColumns.add(f.getName());
            }
        }
        List<String> values = new ArrayList<>(tableColumns);
        values.add(0, SegmentFormat.DELETED);
        this.valueColumns = Collections.unmodifiableList(values);
        this.dictionaries = Map.copyOf(dictionaries);
        this.footer = SegmentFooter.decode(metadata, types);
        if (footer.blocks().isEmpty() || footer.blocks().size() != blocks.size()) {
            throw new IOException("segment " + path + " index lists "
                    + footer.blocks().size() + " blocks, the file has " + blocks.size());
        }
        if (!dictionaryBlocks.isEmpty() && footer.version() < 3) {
            throw new IOException("segment " + path + " of format version " + footer.version() + " has dictionaries");
        }
        if (!encodings.isEmpty() && footer.version() < SegmentFormat.FIRST_ENCODED_VERSION) {
            throw new IOException(
                    "segment " + path + " of format version " + footer.version() + " has narrowed columns");
        }
        long[] blockCrcs = null;
        if (footer.version() >= SegmentFormat.FIRST_CHECKSUMMED_VERSION) {
            blockCrcs = SegmentChecksums.verifyFooter(schema, metadata, blocks, dictionaryBlocks);
        }
        this.decoder = new BlockDecoder(channel, schema, blocks, blockCrcs);
        this.pageRows = pageRows(metadata, blocks.size());
        this.blockFirstRow = new long[footer.blocks().size() + 1];
        for (int b = 0; b < footer.blocks().size(); b++) {
            blockFirstRow[b + 1] = blockFirstRow[b] + footer.blocks().get(b).rows();
        }
        Set<String> columnSet = Collections.unmodifiableSet(new HashSet<>(fieldIndex.keySet()));
        for (BlockInfo b : footer.blocks()) {
            blockStats.add(new SegmentBlockStats(b, columnSet));
        }
        List<BlockInfo> bs = footer.blocks();
        this.meta = new SegmentMeta(
                path.getFileName().toString(),
                channel.size(),
                footer.rows(),
                footer.tombstones(),
                bs.get(0).firstKey(),
                bs.get(bs.size() - 1).lastKey(),
                bs.size(),
                footer.fileStats(),
                footer.createdMillis(),
                footer.schemaVersion());
    }

    /** The page reader of a version 4 file (its page index checked against the file), or null. */
    private PageRowReader pageRows(Map<String, String> metadata, int blocks) throws IOException {
        if (footer.version() < SegmentFormat.FIRST_PAGED_VERSION) {
            return null;
        }
        String value = metadata.get(SegmentFormat.KEY_PAGES);
        if (value == null) {
            throw new IOException(
                    "segment " + path + " of format version " + footer.version() + " lacks its page index");
        }
        PageIndex index = PageIndex.decode(value, blocks, SegmentFormat.bufferCount(schema), channel.size());
        PageRowReader reader = new PageRowReader(channel, index, schema, fieldIndex, types, dictionaries, encodings);
        return reader.supports() ? reader : null;
    }

    private static ColumnEncoding encoding(Path path, Field field) throws IOException {
        try {
            return ColumnEncoding.of(field);
        } catch (IllegalArgumentException e) {
            throw new IOException("segment " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a segment. {@code fileId} names the file in the cache (unique per engine, never reused);
     * {@code cache} may be disabled but not null. Throws IOException when the file is missing, not a
     * River segment, of a newer format version or corrupt.
     */
    public static SegmentReader open(Path path, long fileId, BufferAllocator allocator, BlockCache cache)
            throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        BufferAllocator child = null;
        try {
            child = allocator.newChildAllocator("segment-" + fileId, 0, Long.MAX_VALUE);
            SegmentFile file = SegmentFile.read(channel, child);
            return new SegmentReader(
                    path,
                    fileId,
                    child,
                    cache,
                    channel,
                    file.schema(),
                    file.blocks(),
                    file.metadata(),
                    file.dictionaryBlocks(),
                    file.dictionaries());
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (child != null) {
                child.close();
            }
            if (e instanceof IOException && String.valueOf(e.getMessage()).contains(path.toString())) {
                throw (IOException) e;
            }
            // Name the file in every refusal: an operator must know which segment is damaged.
            throw new IOException("cannot open segment " + path + ": " + e.getMessage(), e);
        }
    }

    public SegmentMeta meta() {
        return meta;
    }

    public SegmentFooter footer() {
        return footer;
    }

    public Path path() {
        return path;
    }

    public long fileId() {
        return fileId;
    }

    /** The file's Arrow schema ({@code _pk}, {@code _deleted}, then the table columns it holds). */
    public Schema arrowSchema() {
        return schema;
    }

    /** Stored type of every column in the file, {@code _pk} and {@code _deleted} included. */
    public Map<String, ColumnType> columnTypes() {
        return Collections.unmodifiableMap(types);
    }

    public int blockCount() {
        return decoder.blockCount();
    }

    /** How a numeric column is narrowed on disk, or null when it is stored plain (or absent). */
    public ColumnEncoding encoding(String column) {
        return encodings.get(column);
    }

    /** The dictionary of a dictionary-encoded column, or null when the column is stored plain (or absent). */
    public StringDictionary dictionary(String column) {
        return dictionaries.get(column);
    }

    /**
     * Offers {@code collector} every value this segment holds in STRING column {@code column}: its
     * dictionary when encoded, else the decoded values block by block (bypassing the cache), stopping
     * as soon as the collector gives up on the column. A column the file lacks offers nothing.
     */
    public void offerValues(String column, DictionaryCollector collector) {
        ensureOpen();
        StringDictionary d = dictionaries.get(column);
        if (d != null) {
            collector.addAll(column, d.values());
            return;
        }
        if (types.get(column) != ColumnType.STRING) {
            return;
        }
        for (int b = 0; b < blockCount() && collector.wants(column); b++) {
            ColumnStats cs = blockStats.get(b).column(column);
            if (cs != null && cs.nullCount() >= blockStats.get(b).rowCount()) {
                continue;
            }
            try (VectorSchemaRoot root = decode(b, List.of(column), allocator)) {
                VarCharVector v = (VarCharVector) root.getVector(column);
                for (int i = 0; i < v.getValueCount() && collector.wants(column); i++) {
                    if (!v.isNull(i)) {
                        collector.add(column, new String(v.get(i), StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    public BlockStats blockStats(int block) {
        return blockStats.get(block);
    }

    /** False when the key is certainly not in this segment (bloom filter). */
    public boolean mightContain(String pk) {
        return footer.bloom().mightContain(pk);
    }

    /** The stored version of {@code pk} in stored types, tombstones included; see {@link #get(String, TableSchema)}. */
    public Optional<Row> get(String pk) {
        return get(pk, null);
    }

    /**
     * The version of {@code pk} this segment holds, tombstones included ({@link Row#isTombstone()}),
     * with values widened to {@code schema}'s column types (stored types when null); NULLs are left
     * out of the value map. Empty when the segment does not hold the key.
     */
    public Optional<Row> get(String pk, TableSchema schema) {
        ensureOpen();
        if (!footer.bloom().mightContain(pk)) {
            bloomNegatives.increment();
            return Optional.empty();
        }
        int block = findBlock(pk);
        if (block < 0) {
            bloomFalsePositives.increment();
            return Optional.empty();
        }
        try (BlockColumns cols = new BlockColumns()) {
            // Keys and values in one go: the columns the cache lacks are decoded together, from one read
            // of the block. (Decoding the keys first to spare the values on a bloom false positive cost a
            // second read, CRC and decode of the block on nearly every miss, for ~1% of lookups.)
            load(cols, block, pointReadColumns(block), allocator);
            int row = search((VarCharVector) cols.vector(SegmentFormat.PK), pk);
            if (row < 0) {
                bloomFalsePositives.increment();
                return Optional.empty();
            }
            return Optional.of(toRow(cols, row, pk, schema));
        }
    }

    /**
     * The row at {@code fileRow} (its row number in the file, as an upsert table's key index holds
     * it), whose key is {@code pk}, with values widened to {@code schema}'s types (stored types when
     * null); a tombstone if the row is one. Columns the block cache holds for the row's block are
     * read there; the others are decoded whole into the cache while it has room for them, else
     * (format 4 on, cache full) read from only the pages that cover the row, leaving the cache as it
     * is. Columns the block's zone map says are all NULL are not read.
     */
    public Row getAt(long fileRow, String pk, TableSchema schema) {
        ensureOpen();
        if (fileRow < 0 || fileRow >= footer.rows()) {
            throw new IllegalArgumentException(
                    "row " + fileRow + " outside segment " + path + " of " + footer.rows() + " rows");
        }
        int block = blockOfRow(fileRow);
        int row = (int) (fileRow - blockFirstRow[block]);
        List<String> names = pointReadColumns(block);
        names = names.subList(1, names.size()); // the key is known
        try (BlockColumns cols = new BlockColumns()) {
            List<String> missing = cache.enabled() ? pinCached(cols, block, names) : names;
            if (!missing.isEmpty()) {
                if (pageRows == null) {
                    load(cols, block, missing, allocator);
                } else if (cache.enabled() && cache.hasRoom(pageRows.decodedBytes(block, missing))) {
                    decodeIntoCache(cols, block, missing);
                } else {
                    pageReads.increment();
                }
            }
            return rowAt(cols, block, row, pk, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read block " + block + " of segment " + path + ": " + e.getMessage(), e);
        }
    }

    /** Single-row reads served from pages, not from the cache nor by decoding blocks. */
    public long pageReads() {
        return pageReads.sum();
    }

    /** Block holding file row {@code fileRow}. */
    private int blockOfRow(long fileRow) {
        int lo = 0;
        int hi = blockCount() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (blockFirstRow[mid] <= fileRow) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Row {@code row} of a block: each column from {@code cols} when it holds it, else from the
     * block's pages; a column not decoded and all NULL in the block is NULL.
     */
    private Row rowAt(BlockColumns cols, int block, int row, String pk, TableSchema schema) throws IOException {
        boolean deleted;
        if (cols.has(SegmentFormat.DELETED)) {
            deleted = ((BitVector) cols.vector(SegmentFormat.DELETED)).get(row) != 0;
        } else {
            // The block index counts each block's tombstones: most blocks have none to look up.
            deleted = footer.blocks().get(block).tombstones() > 0 && pageRows.deleted(block, row);
        }
        if (deleted) {
            return Row.tombstone(pk);
        }
        BlockStats stats = blockStats.get(block);
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : tableColumns) {
            ColumnStats cs = stats.column(name);
            boolean allNull = cs != null && cs.nullCount() >= stats.rowCount();
            Object v;
            if (cols.has(name)) {
                FieldVector vector = cols.vector(name);
                if (vector.isNull(row)) {
                    continue;
                }
                StringDictionary dictionary = dictionaries.get(name);
                v = dictionary != null
                        ? dictionary.string(code((BaseIntVector) vector, row, dictionary))
                        : storedValue(vector, name, row);
            } else if (allNull) {
                continue;
            } else {
                v = pageRows.value(block, name, row, cs == null || cs.nullCount() > 0);
                if (v == null) {
                    continue;
                }
            }
            Column target = schema == null ? null : schema.column(name);
            ColumnType stored = types.get(name);
            if (target != null && target.type() != stored) {
                checkWidens(name, stored, target.type());
                v = target.type().coerce(v);
            }
            values.put(name, v);
        }
        return Row.of(pk, values);
    }

    /**
     * Reads and decodes every block of the file (every column), checking each block's CRC32C on the
     * way, without the cache; returns the number of rows. Throws an IOException naming the file and
     * the block at the first damage.
     */
    public long verify() throws IOException {
        ensureOpen();
        long rows = 0;
        for (int b = 0; b < blockCount(); b++) {
            try (VectorSchemaRoot root = decode(b, allColumns(), allocator)) {
                if (root.getRowCount() != footer.blocks().get(b).rows()) {
                    throw new IOException("block " + b + " of segment " + path + " has " + root.getRowCount()
                            + " rows; its index says " + footer.blocks().get(b).rows());
                }
                for (Map.Entry<String, StringDictionary> e : dictionaries.entrySet()) {
                    BaseIntVector codes = (BaseIntVector) root.getVector(e.getKey());
                    for (int i = 0; i < codes.getValueCount(); i++) {
                        long c = codes.isNull(i) ? 0 : codes.getValueAsLong(i);
                        if (c < 0 || c >= e.getValue().size()) {
                            throw new IOException("block " + b + " of segment " + path + ": column " + e.getKey()
                                    + " has code " + c + " outside its dictionary of "
                                    + e.getValue().size());
                        }
                    }
                }
                rows += root.getRowCount();
            } catch (UncheckedIOException e) {
                throw new IOException(e.getMessage(), e.getCause()); // names the block and the file
            }
        }
        return rows;
    }

    /** Every row in key order, tombstones included, values in stored types. Close the iterator when done. */
    public SegmentRowIterator rows() {
        return rows(null, null);
    }

    /**
     * Rows with {@code fromKey <= _pk < toKey} (null = unbounded) in key order, tombstones included,
     * values in stored types. Decodes one block at a time, bypassing the cache (so a compaction does
     * not flush it), and frees each block when it moves on. Close the iterator when done.
     */
    public SegmentRowIterator rows(String fromKey, String toKey) {
        ensureOpen();
        int block = 0;
        int row = 0;
        if (fromKey != null) {
            block = firstBlockEndingAtOrAfter(fromKey);
            if (block < blockCount()) {
                // Row position is found once the block is decoded.
                row = -1;
            }
        }
        return new SegmentRowIterator(this, block, row, fromKey, toKey);
    }

    /**
     * Block {@code block} as Arrow vectors for a scan: the {@code columns} in request order, each a
     * table column of {@code tableSchema} or {@code _pk}/{@code _deleted}; columns the segment lacks
     * come back all NULL, narrower stored numeric types are widened (INT32 → INT64 → FLOAT64) to the
     * table's type. Only the requested columns are decompressed. The root and its vectors are new,
     * from {@code allocator}, and belong to the caller.
     */
    public VectorSchemaRoot readBlock(
            int block, List<String> columns, TableSchema tableSchema, BufferAllocator allocator) {
        return readBlock(block, columns, tableSchema, allocator, null);
    }

    /**
     * Like {@link #readBlock(int, List, TableSchema, BufferAllocator)}; when {@code dictionariesOut}
     * is given (one slot per requested column), a dictionary-encoded column comes back as its int
     * codes (an Int32 vector whose field carries the dictionary encoding) with its dictionary in the
     * column's slot, every other slot null; without it such columns are decoded to strings.
     */
    public VectorSchemaRoot readBlock(
            int block,
            List<String> columns,
            TableSchema tableSchema,
            BufferAllocator allocator,
            StringDictionary[] dictionariesOut) {
        ensureOpen();
        int rows = footer.blocks().get(block).rows();
        List<String> present = presentColumns(columns, tableSchema);
        List<FieldVector> out = new ArrayList<>(columns.size());
        try (BlockColumns cols = new BlockColumns()) {
            collect(
                    block,
                    rows,
                    columns,
                    present,
                    tableSchema,
                    allocator,
                    new Outputs(dictionariesOut, null),
                    cols,
                    false,
                    out);
        }
        VectorSchemaRoot root = new VectorSchemaRoot(out);
        root.setRowCount(rows);
        return root;
    }

    /**
     * The named stored columns of block {@code block} (each must be in the file, as {@code _pk} and
     * {@code _deleted} always are), decoded privately from {@code allocator} without the block cache,
     * so one pass over a whole file does not evict what queries keep there. The root belongs to the
     * caller. The block's CRC is checked as on every decode.
     */
    public VectorSchemaRoot readStoredUncached(int block, List<String> columns, BufferAllocator allocator) {
        ensureOpen();
        return decode(block, columns, allocator);
    }

    /**
     * Block {@code block} as a scan batch for a consumer that only reads: like {@link
     * #readBlock(int, List, TableSchema, BufferAllocator, StringDictionary[])} (codes and
     * dictionaries when {@code dictionaryCodes}), but columns found in or put into the block cache
     * are handed out in place, pinned until the batch is closed, instead of copied. The vectors
     * must not be written to, and the batch must be closed (not its root).
     */
    public ScanBatch scanBlock(
            int block,
            List<String> columns,
            TableSchema tableSchema,
            BufferAllocator allocator,
            int[] selection,
            boolean dictionaryCodes) {
        return scanBlock(block, columns, tableSchema, allocator, selection, dictionaryCodes, false);
    }

    /**
     * Like {@link #scanBlock(int, List, TableSchema, BufferAllocator, int[], boolean)}; with {@code
     * narrowNumbers}, a narrowed numeric column read as its logical type comes as its narrow stored
     * integers, described by {@link ScanBatch#narrow(int)}, with no widened copy made.
     */
    public ScanBatch scanBlock(
            int block,
            List<String> columns,
            TableSchema tableSchema,
            BufferAllocator allocator,
            int[] selection,
            boolean dictionaryCodes,
            boolean narrowNumbers) {
        ensureOpen();
        int rows = footer.blocks().get(block).rows();
        List<String> present = presentColumns(columns, tableSchema);
        Outputs outputs = new Outputs(
                dictionaryCodes ? new StringDictionary[columns.size()] : null,
                narrowNumbers ? new NarrowValues[columns.size()] : null);
        BlockColumns cols = new BlockColumns();
        List<FieldVector> out = new ArrayList<>(columns.size());
        List<FieldVector> created;
        try {
            created = collect(block, rows, columns, present, tableSchema, allocator, outputs, cols, true, out);
        } catch (RuntimeException e) {
            cols.close();
            throw e;
        }
        VectorSchemaRoot root = new VectorSchemaRoot(out);
        root.setRowCount(rows);
        AutoCloseable owner = () -> {
            try {
                created.forEach(FieldVector::close);
            } finally {
                cols.close();
            }
        };
        return new ScanBatch(root, selection, owner, outputs.dictionaries(), outputs.narrow());
    }

    /**
     * What a scan takes as stored rather than decoded: per requested column, the slot of a
     * dictionary column handed out as codes, of a narrowed column handed out narrow; either array
     * null when the scan takes none.
     */
    private record Outputs(StringDictionary[] dictionaries, NarrowValues[] narrow) {}

    private List<String> presentColumns(List<String> columns, TableSchema tableSchema) {
        List<String> present = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : columns) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("column " + name + " requested twice");
            }
            if (types.containsKey(name)) {
                present.add(name);
            } else if (tableSchema.column(name) == null) {
                throw new IllegalArgumentException("unknown column " + name);
            }
        }
        return present;
    }

    /**
     * Loads the {@code present} columns of a block into {@code cols} and appends one vector per
     * requested column to {@code out}; returns the vectors it created (NULL-filled, widened, decoded
     * strings, and copies unless {@code shared}), which the caller owns, and which are closed here if
     * it fails. With {@code shared}, loaded columns go to {@code out} as they are (owned by {@code cols}),
     * narrowed ones too when {@code outputs} takes them narrow.
     */
    private List<FieldVector> collect(
            int block,
            int rows,
            List<String> columns,
            List<String> present,
            TableSchema tableSchema,
            BufferAllocator allocator,
            Outputs outputs,
            BlockColumns cols,
            boolean shared,
            List<FieldVector> out) {
        StringDictionary[] dictionariesOut = outputs.dictionaries();
        List<FieldVector> created = new ArrayList<>();
        try {
            if (!present.isEmpty()) {
                load(cols, block, present, allocator);
            }
            for (int i = 0; i < columns.size(); i++) {
                String name = columns.get(i);
                Column wanted = tableSchema.column(name);
                ColumnType stored = types.get(name);
                StringDictionary dictionary = dictionaries.get(name);
                FieldVector v;
                boolean fresh = true;
                ColumnEncoding encoding = encodings.get(name);
                if (stored == null) {
                    v = ScanVectors.nulls(wanted, rows, allocator);
                } else if (encoding != null) {
                    if (shared && outputs.narrow() != null && (wanted == null || wanted.type() == stored)) {
                        v = cols.vector(name);
                        fresh = false;
                        outputs.narrow()[i] = encoding.narrow();
                    } else {
                        v = logical(cols.vector(name), encoding, wanted, allocator);
                    }
                } else if (wanted != null && wanted.type() != stored) {
                    checkWidens(name, stored, wanted.type()); // a dictionary column's STRING widens to nothing
                    v = ScanVectors.widen(cols.vector(name), stored, wanted, allocator);
                } else if (dictionary != null && dictionariesOut == null) {
                    v = decodeStrings((BaseIntVector) cols.vector(name), dictionary, allocator);
                } else {
                    if (shared) {
                        v = cols.vector(name);
                        fresh = false;
                    } else {
                        v = take(cols, name, allocator);
                    }
                    if (dictionary != null) {
                        dictionariesOut[i] = dictionary;
                    }
                }
                if (fresh) {
                    created.add(v);
                }
                out.add(v);
            }
            return created;
        } catch (RuntimeException e) {
            created.forEach(FieldVector::close);
            out.clear();
            throw e;
        }
    }

    /** The strings a column of codes stands for, as a new Utf8 vector of {@code allocator}. */
    private VarCharVector decodeStrings(BaseIntVector codes, StringDictionary dictionary, BufferAllocator allocator) {
        int rows = codes.getValueCount();
        VarCharVector out = new VarCharVector(codes.getField().getName(), allocator);
        try {
            out.allocateNew(Math.max(rows, 1));
            for (int i = 0; i < rows; i++) {
                if (!codes.isNull(i)) {
                    out.setSafe(i, dictionary.bytes(code(codes, i, dictionary)));
                }
            }
            out.setValueCount(rows);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private int code(BaseIntVector codes, int row, StringDictionary dictionary) {
        long c = codes.getValueAsLong(row);
        if (c < 0 || c >= dictionary.size()) {
            throw new IllegalStateException("column " + codes.getField().getName() + " of " + path.getFileName()
                    + " has code " + c + " outside its dictionary of " + dictionary.size());
        }
        return (int) c;
    }

    /**
     * A new vector of {@code allocator} with the logical values of a narrowed column's stored vector,
     * widened further to {@code wanted}'s type when the table's column was widened since.
     */
    private FieldVector logical(FieldVector narrow, ColumnEncoding encoding, Column wanted, BufferAllocator allocator) {
        FieldVector v = encoding.widen(narrow, allocator);
        if (wanted == null || wanted.type() == encoding.type()) {
            return v;
        }
        try (v) {
            checkWidens(narrow.getName(), encoding.type(), wanted.type());
            return ScanVectors.widen(v, encoding.type(), wanted, allocator);
        }
    }

    /** A column as a vector the caller owns: a copy of a cached column, or the decoded one moved out. */
    private static FieldVector take(BlockColumns cols, String name, BufferAllocator allocator) {
        CachedColumn cached = cols.cached(name);
        if (cached != null) {
            return cached.copyTo(allocator);
        }
        TransferPair tp = cols.vector(name).getTransferPair(allocator);
        tp.transfer();
        return (FieldVector) tp.getTo();
    }

    /** Keys found absent by the bloom filter alone (no block touched). */
    public long bloomNegatives() {
        return bloomNegatives.sum();
    }

    /** Keys the bloom filter let through that the segment did not hold. */
    public long bloomFalsePositives() {
        return bloomFalsePositives.sum();
    }

    /** Blocks (or column sets of blocks) decoded from disk by this reader. */
    public long blocksDecoded() {
        return blocksDecoded.sum();
    }

    /** Drops cached blocks, closes the file and the reader's allocator. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        cache.invalidateFile(fileId);
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing segment " + path, e);
        } finally {
            allocator.close();
        }
    }

    // ------------------------------------------------------------------ package-private helpers

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("segment reader closed: " + path);
        }
    }

    /**
     * What a point read of {@code block} decodes: the keys, the delete flags and every table column
     * that holds a value in the block. A column its zone map says is all NULL there (the system
     * columns a key-value table never fills, a column added after the block was written) is not
     * decoded nor cached: its value is NULL for every row.
     */
    private List<String> pointReadColumns(int block) {
        BlockStats stats = blockStats.get(block);
        List<String> out = new ArrayList<>(valueColumns.size() + 1);
        out.add(SegmentFormat.PK);
        for (String name : valueColumns) {
            ColumnStats cs = name.equals(SegmentFormat.DELETED) ? null : stats.column(name);
            if (cs == null || cs.nullCount() < stats.rowCount()) {
                out.add(name);
            }
        }
        return out;
    }

    private List<String> allColumns() {
        List<String> all = new ArrayList<>(valueColumns.size() + 1);
        all.add(SegmentFormat.PK);
        all.addAll(valueColumns);
        return all;
    }

    /** Index of the block that may hold {@code pk}, or -1. */
    int findBlock(String pk) {
        int b = firstBlockEndingAtOrAfter(pk);
        return b < blockCount() && footer.blocks().get(b).firstKey().compareTo(pk) <= 0 ? b : -1;
    }

    /** First block whose last key is at or after {@code key}; {@link #blockCount()} if none. */
    int firstBlockEndingAtOrAfter(String key) {
        List<BlockInfo> blocks = footer.blocks();
        int lo = 0;
        int hi = blocks.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (blocks.get(mid).lastKey().compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Row of {@code pk} in a block's key vector, or {@code -(insertion point) - 1}. */
    static int search(VarCharVector keys, String pk) {
        int lo = 0;
        int hi = keys.getValueCount() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = new String(keys.get(mid), StandardCharsets.UTF_8).compareTo(pk);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /**
     * Adds the named columns of a block to {@code into}: through the cache when it is enabled
     * (hits pinned, misses decoded from this reader's allocator and offered to the cache), else
     * decoded privately from {@code scratch}.
     */
    void load(BlockColumns into, int block, List<String> names, BufferAllocator scratch) {
        if (!cache.enabled()) {
            into.addOwned(decodeStored(block, names, scratch));
            return;
        }
        List<String> missing = pinCached(into, block, names);
        if (!missing.isEmpty()) {
            decodeIntoCache(into, block, missing);
        }
    }

    /** Pins into {@code into} the named columns of a block the cache holds; returns the others. */
    private List<String> pinCached(BlockColumns into, int block, List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            CachedBlock hit = cache.get(new BlockKey(fileId, block, name));
            if (hit != null) {
                into.addPinned(name, (CachedColumn) hit);
            } else {
                missing.add(name);
            }
        }
        return missing;
    }

    /** Decodes the named columns of a block from this reader's allocator, offers them to the cache and pins them. */
    private void decodeIntoCache(BlockColumns into, int block, List<String> missing) {
        VectorSchemaRoot root = decodeStored(block, missing, allocator);
        List<FieldVector> vectors = root.getFieldVectors();
        int wrapped = 0;
        try {
            for (FieldVector v : vectors) {
                CachedColumn c = new CachedColumn(v);
                wrapped++;
                into.addPinned(v.getName(), c);
                cache.put(new BlockKey(fileId, block, v.getName()), c);
            }
        } catch (RuntimeException e) {
            for (int i = wrapped; i < vectors.size(); i++) {
                vectors.get(i).close();
            }
            throw e;
        }
    }

    /**
     * Decodes the named columns of a block into a new root of {@code target}, narrowed columns widened
     * back to their logical types.
     */
    VectorSchemaRoot decode(int block, List<String> names, BufferAllocator target) {
        return widen(decodeStored(block, names, target), target);
    }

    /**
     * Decodes the named columns of a block into a new root of {@code target} as stored (narrowed
     * columns as their narrow integers).
     */
    VectorSchemaRoot decodeStored(int block, List<String> names, BufferAllocator target) {
        int[] fields = new int[names.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fieldIndex.get(names.get(i));
        }
        Arrays.sort(fields);
        try {
            VectorSchemaRoot root = decoder.decode(block, fields, target);
            blocksDecoded.increment();
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read block " + block + " of segment " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Damaged bytes surface as Arrow or codec runtime errors: report them as the I/O fault they are.
            throw new UncheckedIOException(
                    "cannot read block " + block + " of segment " + path + ": " + e, new IOException(e));
        }
    }

    /** {@code root} with its narrowed columns replaced by logical vectors of {@code target}; frees what it replaces. */
    private VectorSchemaRoot widen(VectorSchemaRoot root, BufferAllocator target) {
        if (encodings.isEmpty()) {
            return root;
        }
        List<FieldVector> vectors = new ArrayList<>(root.getFieldVectors());
        boolean widened = false;
        try {
            for (int i = 0; i < vectors.size(); i++) {
                FieldVector v = vectors.get(i);
                ColumnEncoding encoding = encodings.get(v.getName());
                if (encoding != null) {
                    vectors.set(i, encoding.widen(v, target));
                    v.close();
                    widened = true;
                }
            }
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            throw e;
        }
        if (!widened) {
            return root;
        }
        VectorSchemaRoot out = new VectorSchemaRoot(vectors);
        out.setRowCount(root.getRowCount());
        return out;
    }

    BufferAllocator allocator() {
        return allocator;
    }

    List<String> allColumnNames() {
        return allColumns();
    }

    int blockRows(int block) {
        return footer.blocks().get(block).rows();
    }

    /** The row at {@code row} of a block whose {@code _deleted} and table columns are in {@code cols}. */
    Row toRow(BlockColumns cols, int row, String pk, TableSchema schema) {
        if (((BitVector) cols.vector(SegmentFormat.DELETED)).get(row) != 0) {
            return Row.tombstone(pk);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : tableColumns) {
            FieldVector v = cols.has(name) ? cols.vector(name) : null;
            if (v == null || v.isNull(row)) {
                continue; // not decoded (NULL in the whole block) or NULL here
            }
            ColumnType stored = types.get(name);
            ColumnType wanted = stored;
            Column target = schema == null ? null : schema.column(name);
            if (target != null && target.type() != stored) {
                checkWidens(name, stored, target.type());
                wanted = target.type();
            }
            StringDictionary dictionary = dictionaries.get(name);
            if (dictionary != null) {
                values.put(name, dictionary.string(code((BaseIntVector) v, row, dictionary)));
            } else if (encodings.containsKey(name)) {
                values.put(name, wanted.coerce(storedValue(v, name, row)));
            } else {
                values.put(name, VectorValues.get(v, stored, wanted, row));
            }
        }
        return Row.of(pk, values);
    }

    /** The logical value of a non-NULL row of a column as {@link BlockColumns} hold it (narrowed or not). */
    private Object storedValue(FieldVector v, String name, int row) {
        ColumnEncoding encoding = encodings.get(name);
        return encoding != null
                ? encoding.value((BaseIntVector) v, row)
                : VectorValues.get(v, types.get(name), types.get(name), row);
    }

    private void checkWidens(String name, ColumnType stored, ColumnType wanted) {
        if (wanted.widen(stored) != wanted) {
            throw new IllegalArgumentException("column " + name + " is stored as " + stored + " in "
                    + path.getFileName() + " and cannot be read as " + wanted);
        }
    }
}
