package io.river.engine.compaction;

import io.river.engine.model.Row;
import io.river.engine.segment.SegmentRowIterator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.roaringbitmap.RoaringBitmap;

/**
 * A compaction input read without the rows its deletion vector marks dead: superseded versions are
 * skipped by row number, so the output never holds them. Delete rows are kept even when marked
 * (they still hide older versions from point reads in files outside the compaction), and the
 * {@link MergingIterator} decides their fate. Rows are numbered from 0 in file order, so the
 * iterator must read the whole file. Not thread-safe; closing it closes the file iterator.
 */
final class LiveRowIterator implements Iterator<Row>, AutoCloseable {
    private final SegmentRowIterator rows;
    private final RoaringBitmap dead;
    private int rowNumber;
    private Row next;

    LiveRowIterator(SegmentRowIterator rows, RoaringBitmap dead) {
        this.rows = rows;
        this.dead = dead;
        advance();
    }

    private void advance() {
        next = null;
        while (next == null && rows.hasNext()) {
            Row r = rows.next();
            if (r.isTombstone() || !dead.contains(rowNumber)) {
                next = r;
            }
            rowNumber++;
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public Row next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        Row r = next;
        advance();
        return r;
    }

    @Override
    public void close() {
        rows.close();
    }
}
