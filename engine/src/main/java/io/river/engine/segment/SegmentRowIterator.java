package io.river.engine.segment;

import io.river.engine.model.Row;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VarCharVector;

/**
 * Rows of one segment in key order within {@code [fromKey, toKey)}, tombstones included, values in
 * the segment's stored types. Holds at most one decoded block (from the reader's allocator, never
 * from the cache) and frees it on moving to the next one, at the end, and on {@link #close()},
 * which must be called before the reader is closed if iteration stopped early. Not thread-safe.
 */
public final class SegmentRowIterator implements Iterator<Row>, AutoCloseable {
    private final SegmentReader reader;
    private final String fromKey;
    private final String toKey;
    private int block;
    /** Next row in the current block; -1 = seek to {@code fromKey} once the block is decoded. */
    private int row;

    private BlockColumns current;
    private VarCharVector keys;
    private Row next;
    private boolean done;

    SegmentRowIterator(SegmentReader reader, int block, int row, String fromKey, String toKey) {
        this.reader = reader;
        this.block = block;
        this.row = row;
        this.fromKey = fromKey;
        this.toKey = toKey;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            advance();
        }
        return next != null;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
    }

    private void advance() {
        while (true) {
            if (current == null) {
                if (block >= reader.blockCount()) {
                    close();
                    return;
                }
                current = new BlockColumns();
                current.addOwned(reader.decodeStored(block, reader.allColumnNames(), reader.allocator()));
                keys = (VarCharVector) current.vector(SegmentFormat.PK);
                if (row < 0) {
                    int r = SegmentReader.search(keys, fromKey);
                    row = r >= 0 ? r : -(r + 1);
                }
            }
            if (row < current.rows()) {
                String pk = new String(keys.get(row), StandardCharsets.UTF_8);
                if (toKey != null && pk.compareTo(toKey) >= 0) {
                    close();
                    return;
                }
                next = reader.toRow(current, row, pk, null);
                row++;
                return;
            }
            current.close();
            current = null;
            block++;
            row = 0;
        }
    }

    /** Frees the block held, if any; the iterator then reports no more rows. Idempotent. */
    @Override
    public void close() {
        done = true;
        if (current != null) {
            current.close();
            current = null;
            keys = null;
        }
    }
}
