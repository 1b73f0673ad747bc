package io.river.engine;

import io.river.engine.compaction.CompactionHost;
import io.river.engine.compaction.CompactionTask;
import io.river.engine.lsm.LevelEdit;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.model.Row;
import io.river.engine.scan.StringDictionary;
import io.river.engine.segment.EncodingCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.roaringbitmap.RoaringBitmap;

/**
 * The engine side of compaction: writes output segments into the table's directory and installs
 * a compaction's result as one level edit ({@link VersionSet#logAndApply}), so a crash leaves either
 * the old files or the new ones in the manifest (the others are orphans deleted at start-up).
 * Thread-safe.
 */
final class EngineCompactionHost implements CompactionHost {
    private final EngineState state;

    EngineCompactionHost(EngineState state) {
        this.state = state;
    }

    @Override
    public Collection<String> tableNames() {
        List<String> names = new ArrayList<>();
        for (LsmTable t : state.tables()) {
            names.add(t.name());
        }
        return names;
    }

    @Override
    public TableVersion acquire(String table) {
        LsmTable t = state.table(table);
        return t == null ? null : t.acquire();
    }

    @Override
    public RoaringBitmap deadRows(String table, SegmentHandle input) {
        LsmTable t = state.table(table);
        return t == null ? null : t.deadRows(input.entry().id());
    }

    @Override
    public boolean supersededInSegments(String table, String pk) {
        LsmTable t = state.table(table);
        return t != null && t.supersededInSegments(pk);
    }

    @Override
    public int dictionaryMaxEntries() {
        return state.segments().options().dictionaryMaxEntries();
    }

    @Override
    public SegmentHandle writeSegment(
            String table,
            Iterator<Row> rows,
            Map<String, StringDictionary> dictionaries,
            EncodingCollector encodings,
            int level,
            long maxLsn)
            throws IOException {
        LsmTable t = state.table(table);
        if (t == null) {
            throw new IllegalStateException("table " + table + " was dropped during its compaction");
        }
        return state.segments().write(table, t.schema(), rows, dictionaries, encodings, level, maxLsn);
    }

    @Override
    public Iterator<Row> retained(String table, Iterator<Row> merged, boolean bottom, LongAdder expired) {
        LsmTable t = state.table(table);
        return t == null ? merged : t.retention().compacting(merged, t.mode(), bottom, expired);
    }

    @Override
    public void expiredRowsDropped(String table, long rows) {
        LsmTable t = state.table(table);
        if (t != null && rows > 0) {
            t.retention().rowsDropped(rows);
        }
    }

    @Override
    public void install(CompactionTask task, List<SegmentHandle> outputs) throws IOException {
        LsmTable t = state.table(task.table());
        try {
            if (t == null) {
                outputs.forEach(SegmentHandle::markObsolete); // dropped meanwhile: the outputs are never live
                return;
            }
            state.versions()
                    .logAndApply(
                            t,
                            LevelEdit.replace(task.inputs(), task.outputLevel(), outputs),
                            null,
                            mf -> mf,
                            task.inputs());
        } finally {
            for (SegmentHandle h : outputs) {
                h.releaseOwner();
            }
        }
        state.metrics().compactions.increment();
        for (SegmentHandle h : outputs) {
            state.metrics().compactionBytesWritten.add(h.entry().sizeBytes());
        }
    }

    @Override
    public void move(CompactionTask task) throws IOException {
        LsmTable t = state.table(task.table());
        if (t == null) {
            return; // dropped meanwhile
        }
        SegmentHandle in = task.inputs().get(0);
        // Same file, new handle: the old handle closes its reader when released, and deletes nothing.
        SegmentHandle moved = state.segments().open(task.table(), in.entry().withLevel(task.outputLevel()));
        if (in.damage() != null) {
            moved.markDamaged(in.damage());
        }
        try {
            state.versions()
                    .logAndApply(
                            t,
                            LevelEdit.replace(task.inputs(), task.outputLevel(), List.of(moved)),
                            null,
                            mf -> mf,
                            List.of());
        } finally {
            moved.releaseOwner();
        }
    }
}
