package io.river.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Decodes the record batch of one block of a segment, projected to some of its columns: the batch
 * is read with one positional read (metadata + compressed body), then only the selected columns'
 * buffers are decompressed and loaded (by handing Arrow's {@link VectorLoader} a batch that holds
 * just their nodes and buffers). Works only on flat schemas (no nested types), which segments are.
 * A checksummed segment's block is verified against its CRC32C before Arrow sees its bytes.
 * Thread-safe (positional reads on a shared channel); the returned root belongs to the caller.
 */
final class BlockDecoder {
    private final FileChannel file;
    private final Schema schema;
    private final List<ArrowBlock> blocks;
    private final int[] firstBuffer;
    private final long[] blockCrcs;

    /** {@code blockCrcs}: each block's CRC32C ({@link SegmentChecksums}), or null for an unchecksummed file. */
    BlockDecoder(FileChannel file, Schema schema, List<ArrowBlock> blocks, long[] blockCrcs) {
        this.file = file;
        this.blockCrcs = blockCrcs == null ? null : blockCrcs.clone();
        this.schema = schema;
        this.blocks = List.copyOf(blocks);
        List<Field> fields = schema.getFields();
        this.firstBuffer = new int[fields.size() + 1];
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).getChildren().isEmpty()) {
                throw new IllegalArgumentException(
                        "nested column " + fields.get(i).getName() + " in a segment");
            }
            firstBuffer[i + 1] =
                    firstBuffer[i] + TypeLayout.getTypeBufferCount(fields.get(i).getType());
        }
    }

    int blockCount() {
        return blocks.size();
    }

    /**
     * Reads one record batch like {@link MessageSerializer#deserializeRecordBatch(ReadChannel,
     * ArrowBlock, BufferAllocator)}, but checks the block's extent against the file first and
     * releases the read buffer when the bytes do not decode (Arrow's version leaks it), so a damaged
     * block is an IOException, never a leak or a huge allocation.
     */
    private ArrowRecordBatch readBatch(int index, ArrowBlock ab, BufferAllocator allocator) throws IOException {
        long total = (long) ab.getMetadataLength() + ab.getBodyLength();
        if (ab.getOffset() < 0
                || ab.getMetadataLength() < 8
                || ab.getBodyLength() < 0
                || ab.getOffset() + total > file.size()) {
            throw new IOException("block extent (offset " + ab.getOffset() + ", " + total
                    + " bytes) lies outside the file (" + file.size() + " bytes)");
        }
        ArrowBuf buffer = allocator.buffer(total);
        try {
            if (new ReadChannel(new PositionalChannel(file, ab.getOffset())).readFully(buffer, total) != total) {
                throw new IOException("unexpected end of file reading a block");
            }
            if (blockCrcs != null) {
                CRC32C crc = new CRC32C();
                crc.update(buffer.nioBuffer(0, (int) total));
                if (crc.getValue() != blockCrcs[index]) {
                    throw new IOException("block fails its CRC32C (damaged on disk)");
                }
            }
            int prefix = buffer.getInt(0) == MessageSerializer.IPC_CONTINUATION_TOKEN ? 8 : 4;
            ArrowBuf metadata = buffer.slice(prefix, ab.getMetadataLength() - prefix);
            Message message = Message.getRootAsMessage(metadata.nioBuffer().asReadOnlyBuffer());
            if (message.headerType() != MessageHeader.RecordBatch) {
                throw new IOException("block is not a record batch (header type " + message.headerType() + ")");
            }
            RecordBatch header = (RecordBatch) message.header(new RecordBatch());
            ArrowBuf body = buffer.slice(ab.getMetadataLength(), total - ab.getMetadataLength());
            // On success this releases the read buffer's reference; the batch holds its own.
            return MessageSerializer.deserializeRecordBatch(header, body);
        } catch (IOException | RuntimeException e) {
            buffer.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("block does not decode: " + e, e);
        }
    }

    /**
     * Reads block {@code block} with the columns at {@code fields} (indexes into the file schema, in
     * ascending order) into a new root of {@code allocator}; the caller closes the root.
     */
    VectorSchemaRoot decode(int block, int[] fields, BufferAllocator allocator) throws IOException {
        ArrowBlock ab = blocks.get(block);
        try (ArrowRecordBatch whole = readBatch(block, ab, allocator)) {
            List<ArrowFieldNode> nodes = new ArrayList<>(fields.length);
            List<ArrowBuf> buffers = new ArrayList<>();
            List<Field> selected = new ArrayList<>(fields.length);
            for (int f : fields) {
                nodes.add(whole.getNodes().get(f));
                buffers.addAll(whole.getBuffers().subList(firstBuffer[f], firstBuffer[f + 1]));
                selected.add(schema.getFields().get(f));
            }
            // The projected batch takes its own references to the buffers it shares with the whole one.
            try (ArrowRecordBatch projected =
                    new ArrowRecordBatch(whole.getLength(), nodes, buffers, whole.getBodyCompression())) {
                VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(selected), allocator);
                try {
                    new VectorLoader(root, ZstdCodecFactory.INSTANCE).load(projected);
                } catch (RuntimeException e) {
                    root.close();
                    throw e;
                }
                return root;
            }
        }
    }
}
