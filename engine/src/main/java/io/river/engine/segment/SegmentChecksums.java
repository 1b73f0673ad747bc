package io.river.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The checksums of a segment, format version 2 and later: one footer metadata entry,
 * {@value SegmentFormat#KEY_CRC}, whose value is text of comma-separated unsigned decimal
 * CRC32C values:
 * <pre>
 * +-------------+---------+---------+-----+-----------+
 * | footer crc  | block 0 | block 1 | ... | block n-1 |
 * +-------------+---------+---------+-----+-----------+
 * footer crc = CRC32C over, in order: the UTF-8 of the Arrow schema's JSON, the UTF-8 values of
 *              {@value SegmentFormat#KEY_VERSION}, {@value SegmentFormat#KEY_INDEX} and
 *              {@value SegmentFormat#KEY_BLOOM}, then per block its offset, metadata length and
 *              body length as big-endian int64s
 * block i    = CRC32C over the block's bytes as the file holds them: [offset, offset +
 *              metadata length + body length)
 * </pre>
 * The reader checks the footer CRC at open (so a damaged schema, index, bloom filter or block
 * table is refused before anything trusts it) and a block's CRC each time it reads the block's
 * bytes, before Arrow decodes them (so a damaged block is an error, never different values).
 * Version 1 segments carry no checksums and are read unchecked. Stateless and thread-safe.
 */
final class SegmentChecksums {
    private SegmentChecksums() {
    }

    static long footerCrc(Schema schema, Map<String, String> metadata, List<ArrowBlock> blocks) {
        CRC32C crc = new CRC32C();
        crc.update(schema.toJson().getBytes(StandardCharsets.UTF_8));
        for (String key : new String[] {SegmentFormat.KEY_VERSION, SegmentFormat.KEY_INDEX, SegmentFormat.KEY_BLOOM}) {
            String v = metadata.get(key);
            crc.update((v == null ? "" : v).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer b = ByteBuffer.allocate(24);
        for (ArrowBlock block : blocks) {
            b.clear();
            b.putLong(block.getOffset()).putLong(block.getMetadataLength()).putLong(block.getBodyLength()).flip();
            crc.update(b);
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

    /**
     * Checks the footer CRC and returns the block CRCs; throws IOException when the entry is
     * missing, malformed or does not match.
     */
    static long[] verifyFooter(Schema schema, Map<String, String> metadata, List<ArrowBlock> blocks)
            throws IOException {
        String v = metadata.get(SegmentFormat.KEY_CRC);
        if (v == null) {
            throw new IOException("segment footer lacks its checksums (" + SegmentFormat.KEY_CRC + ")");
        }
        String[] parts = v.split(",", -1);
        if (parts.length != blocks.size() + 1) {
            throw new IOException("segment checksums list " + (parts.length - 1) + " blocks, the file has "
                    + blocks.size());
        }
        long[] out = new long[blocks.size()];
        try {
            if (Long.parseLong(parts[0]) != footerCrc(schema, metadata, blocks)) {
                throw new IOException("segment footer fails its CRC32C (schema, index, bloom filter or block table damaged)");
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
