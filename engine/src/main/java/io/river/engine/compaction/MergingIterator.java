package io.river.engine.compaction;

import io.river.engine.model.Row;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges key-ordered row iterators into one key-ordered iterator with one version per key: when
 * several sources hold a key, the version from the source listed first (the newest) wins and the
 * others are skipped. Tombstones are passed through unless {@code dropTombstones}. Not
 * thread-safe.
 */
public final class MergingIterator implements Iterator<Row> {
    private final PriorityQueue<Head> heap;
    private final boolean dropTombstones;
    private Row next;

    private record Head(Row row, int priority, Iterator<Row> source) {}

    public MergingIterator(List<? extends Iterator<Row>> sources, boolean dropTombstones) {
        this.dropTombstones = dropTombstones;
        this.heap = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
            int c = a.row.pk().compareTo(b.row.pk());
            return c != 0 ? c : Integer.compare(a.priority, b.priority);
        });
        for (int i = 0; i < sources.size(); i++) {
            Iterator<Row> it = sources.get(i);
            if (it.hasNext()) {
                heap.add(new Head(it.next(), i, it));
            }
        }
        advance();
    }

    private void advance() {
        next = null;
        while (next == null && !heap.isEmpty()) {
            Head top = heap.poll();
            refill(top);
            String key = top.row.pk();
            while (!heap.isEmpty() && heap.peek().row.pk().equals(key)) {
                refill(heap.poll());
            }
            if (!(dropTombstones && top.row.isTombstone())) {
                next = top.row;
            }
        }
    }

    private void refill(Head h) {
        if (h.source.hasNext()) {
            Row r = h.source.next();
            if (r.pk().compareTo(h.row.pk()) <= 0) {
                throw new IllegalStateException("source " + h.priority + " is not in key order at " + r.pk());
            }
            heap.add(new Head(r, h.priority, h.source));
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
}
