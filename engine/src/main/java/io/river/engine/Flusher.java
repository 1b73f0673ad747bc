package io.river.engine;

import io.river.engine.lsm.LevelEdit;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.memtable.Memtable;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.TableSchema;
import io.river.engine.segment.DictionaryCollector;
import io.river.engine.segment.EncodingCollector;
import io.river.engine.segment.SegmentWriter;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes a table's oldest frozen memtable: (1) writes its rows to a new segment column by column
 * from the chunks' vectors in key order ({@link Memtable#frozenColumns}), with
 * dictionaries for the string columns that pay, (2) fsyncs the WAL so the durable positions cover
 * every entry in the memtable, (3) makes the segment the newest L0 file and drops the memtable in
 * one level edit that also records the table's schema and the positions, (4) deletes WAL files no
 * longer needed. Thread-safe (one flush per table at a time, by the background scheduler).
 */
final class Flusher {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final EngineState state;

    Flusher(EngineState state) {
        this.state = state;
    }

    /** Flushes the oldest frozen memtable of the table, if any; returns true if it flushed one. */
    boolean flushOldest(LsmTable t) throws IOException {
        List<Memtable> imm = t.peek().immutables();
        if (imm.isEmpty()) {
            return false;
        }
        Memtable m = imm.get(imm.size() - 1);
        m.retain();
        try {
            long start = System.nanoTime();
            TableSchema schema = t.schema();
            SegmentHandle h = writeSegment(t.name(), schema, m);
            // Replay will skip entries up to m.lastLsn(), so the manifest must carry their positions:
            // sync first so that the durable positions cover every one of them.
            state.sync();
            try {
                state.versions()
                        .logAndApply(
                                t,
                                LevelEdit.flush(m, h),
                                schema,
                                mf -> mf.withPositions(state.positions().durableEntries()),
                                List.of());
            } finally {
                h.releaseOwner();
            }
            state.metrics().flushes.increment();
            state.metrics().flushBytes.add(h.entry().sizeBytes());
            LOG.debug(
                    "flushed {} rows of {} to {} in {} ms",
                    h.entry().rows(),
                    t.name(),
                    h.entry().file(),
                    (System.nanoTime() - start) / 1_000_000);
        } finally {
            m.release();
        }
        state.deleteObsoleteWal();
        return true;
    }

    private SegmentHandle writeSegment(String table, TableSchema schema, Memtable m) throws IOException {
        SegmentWriter.Options options = state.segments().options();
        DictionaryCollector dictionaries = new DictionaryCollector(options.dictionaryMaxEntries(), m.keyCount());
        for (Column c : schema.columns()) {
            if (c.type() == ColumnType.STRING) {
                m.forEachString(c.name(), v -> {
                    dictionaries.add(c.name(), v);
                    return dictionaries.wants(c.name());
                });
            }
        }
        EncodingCollector encodings = new EncodingCollector();
        if (options.narrow()) {
            for (Column c : schema.columns()) {
                m.forEachVector(c.name(), (v, rows) -> encodings.offer(c.name(), v, rows));
            }
        }
        return state.segments()
                .write(table, schema, m.frozenColumns(), dictionaries.build(), encodings, 0, m.lastLsn());
    }
}
