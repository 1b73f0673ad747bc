package io.river.engine.segment;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The segment file format, version {@value #VERSION}: a plain Arrow IPC <em>file</em> that any
 * Arrow reader (pyarrow, DuckDB, Arrow Java) opens, with River's index in the footer's custom
 * metadata.
 * <pre>
 * +----------+----------------+------------+-----+------------+-----------------------------+-------------+----------+
 * | "ARROW1" | schema message | block 0    | ... | block n-1  | footer (flatbuffer): schema, | footer len  | "ARROW1" |
 * | + pad    |                | (record    |     |            | block offsets, custom_metadata| int32 LE   |          |
 * |          |                |  batch)    |     |            |                              |             |          |
 * +----------+----------------+------------+-----+------------+-----------------------------+-------------+----------+
 * </pre>
 * Columns, in order: {@code _pk} (Utf8, not null; rows strictly ascending by {@link
 * String#compareTo}), {@code _deleted} (Bool, not null; true = tombstone, every other column
 * NULL), then every column of the table schema the segment was written with (types per {@link
 * ArrowTypes}). Each block is one record batch of at most {@code river.segment.block.rows} rows,
 * its buffers compressed with LZ4 (Arrow's {@code LZ4_FRAME}, {@link Lz4FrameCodec}) or ZSTD as
 * {@code river.segment.codec} and {@code river.segment.codec.cold.level} choose (Arrow's IPC body
 * compression: each record batch names its codec, so any Arrow reader with both codecs reads either).
 * Footer metadata keys:
 * <ul>
 * <li>{@value #KEY_CODEC}: the block codec, "lz4" or "zstd" (absent in files written before LZ4: ZSTD);</li>
 * <li>{@value #KEY_VERSION}: format version as decimal text;</li>
 * <li>{@value #KEY_INDEX}: JSON of the block index and zone maps, see {@link SegmentFooter};</li>
 * <li>{@value #KEY_BLOOM}: base64 of the key {@link BloomFilter};</li>
 * <li>{@value #KEY_CRC} (version 2 on): CRC32C of the footer and of every block, see
 * {@link SegmentChecksums};</li>
 * <li>{@value #KEY_DICTIONARY_CRC} (version 3 on, when the file has dictionaries): CRC32C of every
 * dictionary batch, in the footer's dictionary order;</li>
 * <li>{@value #KEY_PAGES} (version 4 on): the page index, see {@link PageIndex}.</li>
 * </ul>
 * Dictionary encoding (version 3 on): a STRING table column may be stored as an Arrow
 * dictionary-encoded field, Utf8 values with Int8, Int16 or Int32 indexes ({@link #indexType}), whose one dictionary
 * batch (the
 * column's distinct values in ascending order, ID = the field's position in the schema) precedes
 * the first block as the IPC file format requires; blocks then hold one code per row. Any
 * Arrow reader decodes it back to strings. Which columns are encoded is the writer's choice per
 * file ({@link DictionaryCollector}).
 * Pages (version 4 on): every buffer of a block is compressed as a sequence of independently
 * decodable pages of {@value #PAGE_BYTES} uncompressed bytes ({@link PagedCodec}: one ZSTD frame per
 * page, concatenated, or one LZ4 frame whose blocks are the pages). Both are what the codecs' formats
 * define as one stream, so stock Arrow readers decode each buffer whole as before (tested with Arrow
 * Java's own codecs). {@value #KEY_PAGES} lists each page's extent and CRC32C ({@link PageIndex}),
 * so a point read decodes only the pages covering its row. Dictionary batches are not paged.
 * Narrowed numeric columns (version 4 on, {@link ColumnEncoding}): an INT32, INT64, TIMESTAMP or
 * DATE column may be stored as a signed Int8, Int16 or Int32 field holding {@code value - base}, and
 * a FLOAT64 column whose values are all short decimals as one holding {@code round(value * 10^scale)
 * - base}; the field's custom metadata names the encoding ({@value ColumnEncoding#KEY_ENCODING} =
 * "offset" or "decimal"), the logical type ({@value ColumnEncoding#KEY_TYPE}), the base ({@value
 * ColumnEncoding#KEY_BASE}) and the scale ({@value ColumnEncoding#KEY_SCALE}); the logical value of a
 * stored {@code s} is {@code base + s} (64-bit two's complement) or {@code (base + s) / 10^scale}. The
 * writer chooses per file and column ({@link EncodingCollector}): the narrowest width holding the
 * column's range in the file, only when narrower than the logical type; {@code river.segment.encoding
 * = none} stores every column plain. Blocks stay one record batch of one schema per file, so any
 * Arrow reader reads the narrow integers (and, with the metadata, the values); River widens them back
 * to the logical type as it decodes a block, before the block cache. Arrow's body compression stores a
 * buffer raw (uncompressed length -1) when compressing does not shrink it. A column with one value in
 * a segment is stored as Int8 zeros (Arrow has no constant encoding; the codec reduces them to a few
 * bytes).
 * Version history: 1 = no checksums; 2 = adds {@value #KEY_CRC}; 3 = dictionary-encoded string
 * columns and {@value #KEY_DICTIONARY_CRC}; 4 = paged buffers and {@value #KEY_PAGES}, narrowed numeric
 * columns (and fields' custom metadata in the footer CRC, see {@link SegmentChecksums}). A reader
 * refuses a version above {@value #VERSION}, refuses narrowed columns in a file below version 4, reads
 * version 1 without checks and versions 1-3 by whole blocks only. Stateless.
 */
public final class SegmentFormat {
    public static final int VERSION = 4;
    /** First version whose numeric columns may be narrowed ({@link ColumnEncoding}). */
    public static final int FIRST_ENCODED_VERSION = 4;
    /** First version whose footer carries {@value #KEY_CRC} ({@link SegmentChecksums}). */
    public static final int FIRST_CHECKSUMMED_VERSION = 2;

    public static final String KEY_VERSION = "river.segment.version";
    public static final String KEY_INDEX = "river.segment.index";
    public static final String KEY_BLOOM = "river.segment.bloom";
    public static final String KEY_CRC = "river.segment.crc";
    public static final String KEY_DICTIONARY_CRC = "river.segment.dictionary.crc";
    /** Footer key of the page index (version 4 on), see {@link PageIndex}. */
    public static final String KEY_PAGES = "river.segment.pages";
    /** First version whose blocks are written in pages with {@value #KEY_PAGES}. */
    public static final int FIRST_PAGED_VERSION = 4;
    /**
     * Uncompressed bytes of a page ({@link PagedCodec}): what a point read decodes per buffer it
     * touches, at most. Small pages make point reads cheap; each page costs its frame header and
     * resets the codec's window, so scans decode slightly slower and files grow slightly.
     */
    static final int PAGE_BYTES = 4096;

    /** Buffers of one record batch of a segment with this (flat, in memory form) schema. */
    static int bufferCount(Schema schema) {
        int n = 0;
        for (Field f : schema.getFields()) {
            n += TypeLayout.getTypeBufferCount(f.getType());
        }
        return n;
    }
    /**
     * Index type of a dictionary-encoded column with {@code entries} values: the narrowest signed
     * integer that holds every code (Int8 up to 127 entries, Int16 up to 32,767, else Int32), so a
     * block of codes is 1, 2 or 4 bytes per row before compression.
     */
    public static ArrowType.Int indexType(int entries) {
        return entries <= Byte.MAX_VALUE
                ? new ArrowType.Int(8, true)
                : entries <= Short.MAX_VALUE ? new ArrowType.Int(16, true) : new ArrowType.Int(32, true);
    }

    public static final String PK = SystemColumns.PK;
    public static final String DELETED = SystemColumns.DELETED;
    /** The block codecs a writer may choose ({@code river.segment.codec}); readers take any Arrow codec. */
    public static final List<CompressionUtil.CodecType> CODECS =
            List.of(CompressionUtil.CodecType.LZ4_FRAME, CompressionUtil.CodecType.ZSTD);
    /** Footer key naming the block codec the writer chose ("lz4" or "zstd"); files before it are ZSTD. */
    public static final String KEY_CODEC = "river.segment.codec";

    /** The codec of a {@code river.segment.codec} value. */
    public static CompressionUtil.CodecType codec(String name) {
        switch (name) {
            case "lz4":
                return CompressionUtil.CodecType.LZ4_FRAME;
            case "zstd":
                return CompressionUtil.CodecType.ZSTD;
            default:
                throw new IllegalArgumentException("unknown segment codec '" + name + "' (lz4 or zstd)");
        }
    }

    /** The {@code river.segment.codec} name of a codec. */
    public static String codecName(CompressionUtil.CodecType codec) {
        return codec == CompressionUtil.CodecType.LZ4_FRAME ? "lz4" : "zstd";
    }
    /** Number of leading columns that are not table columns ({@code _pk}, {@code _deleted}). */
    public static final int KEY_COLUMNS = 2;

    private SegmentFormat() {}

    /** The Arrow schema of a segment written with {@code schema}, every column plain. */
    public static Schema arrowSchema(TableSchema schema) {
        return arrowSchema(schema, Map.of());
    }

    /**
     * The Arrow schema (in memory form: dictionary-encoded columns typed by their index type) of a
     * segment written with {@code schema} whose STRING columns named in {@code encoded} are
     * dictionary-encoded with dictionaries of the given number of entries.
     */
    public static Schema arrowSchema(TableSchema schema, Map<String, Integer> encoded) {
        return arrowSchema(schema, encoded, Map.of());
    }

    /**
     * Like {@link #arrowSchema(TableSchema, Map)}, with the numeric columns named in {@code
     * narrowed} stored as their {@link ColumnEncoding}'s narrow integers.
     */
    public static Schema arrowSchema(
            TableSchema schema, Map<String, Integer> encoded, Map<String, ColumnEncoding> narrowed) {
        List<Field> fields = new ArrayList<>(schema.columns().size() + KEY_COLUMNS);
        fields.add(new Field(PK, FieldType.notNullable(ArrowTypes.UTF8), null));
        fields.add(new Field(DELETED, FieldType.notNullable(ArrowTypes.BOOL), null));
        for (Column c : schema.columns()) {
            if (c.name().equals(PK) || c.name().equals(DELETED)) {
                throw new IllegalArgumentException("table column may not be named " + c.name());
            }
            if (encoded.containsKey(c.name())) {
                if (c.type() != ColumnType.STRING) {
                    throw new IllegalArgumentException("only STRING columns are dictionary-encoded: " + c.name());
                }
                long id = fields.size();
                ArrowType.Int index = indexType(encoded.get(c.name()));
                fields.add(new Field(
                        c.name(), new FieldType(true, index, new DictionaryEncoding(id, false, index)), null));
            } else if (narrowed.containsKey(c.name())) {
                ColumnEncoding enc = narrowed.get(c.name());
                if (enc.type() != c.type()) {
                    throw new IllegalArgumentException(
                            "column " + c.name() + " is " + c.type() + ", its encoding is for " + enc.type());
                }
                fields.add(enc.field(c.name()));
            } else {
                fields.add(ArrowTypes.field(c));
            }
        }
        return new Schema(fields);
    }
}
