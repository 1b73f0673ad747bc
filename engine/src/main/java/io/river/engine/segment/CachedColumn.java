package io.river.engine.segment;

import io.river.engine.cache.CachedBlock;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * One decoded column of one block as the {@link io.river.engine.cache.BlockCache} holds it: an
 * Arrow vector (off-heap, from the segment reader's allocator) that is never handed out. Readers
 * holding a reference read it in place (read-only calls only); scans get a private copy ({@link
 * #copyTo}). The buffer list is captured once at construction, because asking a variable-width
 * vector for its buffers writes to it. Freed (vector closed) on the last release. Thread-safe for
 * reading once published.
 */
final class CachedColumn extends CachedBlock {
    private final FieldVector vector;
    private final List<ArrowBuf> buffers;
    private final ArrowFieldNode node;
    private final long sizeBytes;

    /** Takes ownership of {@code vector}. */
    CachedColumn(FieldVector vector) {
        this.vector = vector;
        this.buffers = List.copyOf(vector.getFieldBuffers());
        this.node = new ArrowFieldNode(vector.getValueCount(), vector.getNullCount());
        long size = 64; // key and bookkeeping
        for (ArrowBuf b : buffers) {
            size += b.capacity();
        }
        this.sizeBytes = size;
    }

    FieldVector vector() {
        return vector;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    /** A new vector of {@code allocator} with a copy of this column's data; the caller owns it. */
    FieldVector copyTo(BufferAllocator allocator) {
        FieldVector out = vector.getField().createVector(allocator);
        ArrowBuf[] copies = new ArrowBuf[buffers.size()];
        try {
            for (int i = 0; i < copies.length; i++) {
                ArrowBuf src = buffers.get(i);
                long len = src.capacity();
                copies[i] = allocator.buffer(len);
                copies[i].setBytes(0, src, 0, len);
                copies[i].writerIndex(len);
            }
            out.loadFieldBuffers(node, List.of(copies)); // takes its own references
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        } finally {
            for (ArrowBuf c : copies) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    @Override
    protected void free() {
        vector.close();
    }
}
