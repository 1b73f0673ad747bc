package io.river.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The checksums of a segment, format version 2 and later: one footer metadata entry,
 * {@value SegmentFormat#KEY_CRC}, whose value is text of comma-separated unsigned decimal
 * CRC32C values:
 * <pre>
 * +-------------+---------+---------+-----+-----------+
 * | footer crc  | block 0 | block 1 | ... | block n-1 |
 * +-------------+---------+---------+-----+-----------+
 * footer crc = CRC32C over, in order: the UTF-8 of the Arrow schema's JSON (version 4: fields' custom
 *              metadata left out of the JSON and appended after it instead, per field in schema
 *              order and per key in ascending order, as "\n" name "\0" key "=" value, since a
 *              reader's map of them has no set order), the UTF-8 values of
 *              {@value SegmentFormat#KEY_VERSION}, {@value SegmentFormat#KEY_INDEX} and
 *              {@value SegmentFormat#KEY_BLOOM}, (version 3) {@value SegmentFormat#KEY_DICTIONARY_CRC}
 *              and (version 4) {@value SegmentFormat#KEY_PAGES} (absent = empty), then per
 *              block, and then per dictionary batch, its offset, metadata length and body length as big-endian int64s
 * block i    = CRC32C over the block's bytes as the file holds them: [offset, offset +
 *              metadata length + body length)
 * </pre>
 * The reader checks the footer CRC at open (so a damaged schema, index, bloom filter or block
 * table is refused before anything trusts it) and a block's CRC each time it reads the block's
 * bytes, before Arrow decodes them (so a damaged block is an error, never different values).
 * Dictionary batches are checked like blocks, against {@value SegmentFormat#KEY_DICTIONARY_CRC},
 * when the reader opens the file. A version 2 file (no dictionaries, no dictionary key) has the
 * same footer CRC under this definition as under version 2's, a version 3 file as under version
 * 3's. Pages read on their own (point reads, {@link PageIndex}) are checked against their own CRC32C in
 * the page index instead of the block's. Version 1 segments carry no
 * checksums and are read unchecked. Stateless and thread-safe.
 */
final class SegmentChecksums {
    private SegmentChecksums() {}

    /** The schema as the footer CRC covers it: its JSON, fields' metadata sorted after it; see the class comment. */
    static String schemaText(Schema schema) {
        if (schema.getFields().stream().allMatch(f -> f.getMetadata().isEmpty())) {
            return schema.toJson();
        }
        List<Field> bare = new ArrayList<>();
        StringBuilder metadata = new StringBuilder();
        for (Field f : schema.getFields()) {
            bare.add(new Field(
                    f.getName(), new FieldType(f.isNullable(), f.getType(), f.getDictionary(), null), f.getChildren()));
            new TreeMap<>(f.getMetadata())
                    .forEach((k, v) -> metadata.append('\n')
                            .append(f.getName())
                            .append('\0')
                            .append(k)
                            .append('=')
                            .append(v));
        }
        return new Schema(bare, schema.getCustomMetadata()).toJson() + metadata;
    }

    static long footerCrc(
            Schema schema, Map<String, String> metadata, List<ArrowBlock> blocks, List<ArrowBlock> dictionaries) {
        CRC32C crc = new CRC32C();
        crc.update(schemaText(schema).getBytes(StandardCharsets.UTF_8));
        for (String key : new String[] {
            SegmentFormat.KEY_VERSION,
            SegmentFormat.KEY_INDEX,
            SegmentFormat.KEY_BLOOM,
            SegmentFormat.KEY_DICTIONARY_CRC,
            SegmentFormat.KEY_PAGES
        }) {
            String v = metadata.get(key);
            crc.update((v == null ? "" : v).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer b = ByteBuffer.allocate(24);
        for (List<ArrowBlock> list : List.of(blocks, dictionaries)) {
            for (ArrowBlock block : list) {
                b.clear();
                b.putLong(block.getOffset())
                        .putLong(block.getMetadataLength())
                        .putLong(block.getBodyLength())
                        .flip();
                crc.update(b);
            }
        }
        return crc.getValue();
    }

    /** CRC32C of a block's bytes, read from the file. */
    static long blockCrc(FileChannel file, ArrowBlock block) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = block.getOffset();
        long end = pos + block.getMetadataLength() + block.getBodyLength();
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = file.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            buf.flip();
            crc.update(buf);
            pos += n;
        }
        return crc.getValue();
    }

    static String encode(long footerCrc, long[] blockCrcs) {
        StringBuilder sb = new StringBuilder(Long.toString(footerCrc));
        for (long c : blockCrcs) {
            sb.append(',').append(c);
        }
        return sb.toString();
    }

    /** The {@value SegmentFormat#KEY_DICTIONARY_CRC} value: each dictionary batch's CRC32C. */
    static String encodeDictionaries(FileChannel file, List<ArrowBlock> dictionaries) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ArrowBlock d : dictionaries) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(blockCrc(file, d));
        }
        return sb.toString();
    }

    /**
     * Checks every dictionary batch of the file against {@value SegmentFormat#KEY_DICTIONARY_CRC}
     * (whose own integrity the footer CRC covers); throws IOException naming the first mismatch.
     */
    static void verifyDictionaries(FileChannel file, Map<String, String> metadata, List<ArrowBlock> dictionaries)
            throws IOException {
        String v = metadata.get(SegmentFormat.KEY_DICTIONARY_CRC);
        if (dictionaries.isEmpty() && (v == null || v.isEmpty())) {
            return;
        }
        String[] parts = v == null ? new String[0] : v.split(",", -1);
        if (parts.length != dictionaries.size()) {
            throw new IOException("segment dictionary checksums list " + parts.length + " dictionaries, the file has "
                    + dictionaries.size());
        }
        for (int i = 0; i < parts.length; i++) {
            long want;
            try {
                want = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IOException("segment dictionary checksums are malformed: " + e.getMessage());
            }
            ArrowBlock d = dictionaries.get(i);
            if (d.getOffset() < 0 || d.getOffset() + d.getMetadataLength() + d.getBodyLength() > file.size()) {
                throw new IOException("dictionary " + i + " lies outside the file");
            }
            if (blockCrc(file, d) != want) {
                throw new IOException("dictionary " + i + " fails its CRC32C (damaged on disk)");
            }
        }
    }

    /**
     * Checks the footer CRC and returns the block CRCs; throws IOException when the entry is
     * missing, malformed or does not match.
     */
    static long[] verifyFooter(
            Schema schema, Map<String, String> metadata, List<ArrowBlock> blocks, List<ArrowBlock> dictionaries)
            throws IOException {
        String v = metadata.get(SegmentFormat.KEY_CRC);
        if (v == null) {
            throw new IOException("segment footer lacks its checksums (" + SegmentFormat.KEY_CRC + ")");
        }
        String[] parts = v.split(",", -1);
        if (parts.length != blocks.size() + 1) {
            throw new IOException(
                    "segment checksums list " + (parts.length - 1) + " blocks, the file has " + blocks.size());
        }
        long[] out = new long[blocks.size()];
        try {
            if (Long.parseLong(parts[0]) != footerCrc(schema, metadata, blocks, dictionaries)) {
                throw new IOException(
                        "segment footer fails its CRC32C (schema, index, bloom filter or block table damaged)");
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = Long.parseLong(parts[i + 1]);
            }
        } catch (NumberFormatException e) {
            throw new IOException("segment checksums are malformed: " + e.getMessage());
        }
        return out;
    }
}
