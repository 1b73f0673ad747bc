package io.river.engine.compaction;

import io.river.engine.model.Row;
import io.river.engine.segment.SegmentRowIterator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import org.roaringbitmap.RoaringBitmap;

/**
 * A compaction input read without the rows its deletion vector marks dead whose key's newest version
 * is in a segment: such superseded versions are skipped by row number, so the output never holds
 * them. A row superseded only by a memtable row is kept (dead in the output's bitmap too): should a
 * damaged WAL be cut short before that row, recovery must still find this version, so the store is
 * always the state after a prefix of the log. Delete rows are kept even when marked
 * (they still hide older versions from point reads in files outside the compaction), and the
 * {@link MergingIterator} decides their fate. Rows are numbered from 0 in file order, so the
 * iterator must read the whole file. Not thread-safe; closing it closes the file iterator.
 */
final class LiveRowIterator implements Iterator<Row>, AutoCloseable {
    private final SegmentRowIterator rows;
    private final RoaringBitmap dead;
    private final Predicate<String> supersededInSegments;
    private int rowNumber;
    private Row next;

    LiveRowIterator(SegmentRowIterator rows, RoaringBitmap dead, Predicate<String> supersededInSegments) {
        this.rows = rows;
        this.dead = dead;
        this.supersededInSegments = supersededInSegments;
        advance();
    }

    private void advance() {
        next = null;
        while (next == null && rows.hasNext()) {
            Row r = rows.next();
            if (r.isTombstone() || !dead.contains(rowNumber) || !supersededInSegments.test(r.pk())) {
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
