package io.river.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
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
 * Thread-safe (positional reads on a shared channel); the returned root belongs to the caller.
 */
final class BlockDecoder {
    private final FileChannel file;
    private final Schema schema;
    private final List<ArrowBlock> blocks;
    private final int[] firstBuffer;

    BlockDecoder(FileChannel file, Schema schema, List<ArrowBlock> blocks) {
        this.file = file;
        this.schema = schema;
        this.blocks = List.copyOf(blocks);
        List<Field> fields = schema.getFields();
        this.firstBuffer = new int[fields.size() + 1];
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).getChildren().isEmpty()) {
                throw new IllegalArgumentException("nested column " + fields.get(i).getName() + " in a segment");
            }
            firstBuffer[i + 1] = firstBuffer[i] + TypeLayout.getTypeBufferCount(fields.get(i).getType());
        }
    }

    int blockCount() {
        return blocks.size();
    }

    /**
     * Reads block {@code block} with the columns at {@code fields} (indexes into the file schema, in
     * ascending order) into a new root of {@code allocator}; the caller closes the root.
     */
    VectorSchemaRoot decode(int block, int[] fields, BufferAllocator allocator) throws IOException {
        ArrowBlock ab = blocks.get(block);
        ReadChannel in = new ReadChannel(new PositionalChannel(file, ab.getOffset()));
        try (ArrowRecordBatch whole = MessageSerializer.deserializeRecordBatch(in, ab, allocator)) {
            List<ArrowFieldNode> nodes = new ArrayList<>(fields.length);
            List<ArrowBuf> buffers = new ArrayList<>();
            List<Field> selected = new ArrayList<>(fields.length);
            for (int f : fields) {
                nodes.add(whole.getNodes().get(f));
                buffers.addAll(whole.getBuffers().subList(firstBuffer[f], firstBuffer[f + 1]));
                selected.add(schema.getFields().get(f));
            }
            // The projected batch takes its own references to the buffers it shares with the whole one.
            try (ArrowRecordBatch projected = new ArrowRecordBatch(whole.getLength(), nodes, buffers,
                    whole.getBodyCompression())) {
                VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(selected), allocator);
                try {
                    new VectorLoader(root, CommonsCompressionFactory.INSTANCE).load(projected);
                } catch (RuntimeException e) {
                    root.close();
                    throw e;
                }
                return root;
            }
        }
    }
}
