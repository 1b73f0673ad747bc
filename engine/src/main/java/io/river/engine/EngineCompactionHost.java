package io.river.engine;

import io.river.engine.compaction.CompactionHost;
import io.river.engine.compaction.CompactionTask;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.TableEntry;
import io.river.engine.model.Row;
import io.river.engine.scan.StringDictionary;
import io.river.engine.segment.SegmentMeta;
import io.river.engine.segment.SegmentWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine side of compaction: writes output segments into the table's directory and installs
 * a compaction's result with one manifest update and one version install under the engine's
 * structure lock, so a crash leaves either the old files or the new ones in the manifest (the
 * others are orphans deleted at start-up). Thread-safe.
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
        return state.table(table).acquire();
    }

    @Override
    public int dictionaryMaxEntries() {
        return state.segmentOptions().dictionaryMaxEntries();
    }

    @Override
    public SegmentHandle writeSegment(String table, Iterator<Row> rows, Map<String, StringDictionary> dictionaries,
                                      int level, long maxLsn) throws IOException {
        LsmTable t = state.table(table);
        long id = state.allocateFileId();
        String fileName = EngineState.segmentFileName(id);
        Path path = state.tableDir(table).resolve(fileName);
        Files.createDirectories(path.getParent());
        SegmentMeta meta = SegmentWriter.write(path, t.schema(), rows, dictionaries, state.segmentOptions(),
                state.allocator());
        FileEntry fe = EngineState.toFileEntry(meta, fileName, id, level, maxLsn);
        return state.openHandle(table, fe);
    }

    @Override
    public void install(CompactionTask task, List<SegmentHandle> outputs) throws IOException {
        replace(task, outputs, true);
    }

    private void replace(CompactionTask task, List<SegmentHandle> outputs, boolean inputsObsolete) throws IOException {
        LsmTable t = state.table(task.table());
        Set<Long> inputIds = new HashSet<>();
        for (SegmentHandle h : task.inputs()) {
            inputIds.add(h.entry().id());
        }
        int out = task.outputLevel();
        state.structureLock().lock();
        try {
            state.manifests().update(mf -> {
                TableEntry te = mf.tables().get(task.table());
                List<List<FileEntry>> levels = EngineState.copyLevels(te.levels());
                int insertAt = out == 0 ? indexOfFirst(levels.get(0), inputIds) : -1;
                for (List<FileEntry> level : levels) {
                    level.removeIf(f -> inputIds.contains(f.id()));
                }
                List<FileEntry> target = levels.get(out);
                List<FileEntry> added = new ArrayList<>();
                for (SegmentHandle h : outputs) {
                    added.add(h.entry());
                }
                if (out == 0) {
                    target.addAll(Math.max(0, Math.min(insertAt, target.size())), added);
                } else {
                    target.addAll(added);
                    target.sort(Comparator.comparing(FileEntry::minKey));
                }
                return mf.withTable(te.withLevels(levels, te.flushedLsn())).withNextFileId(state.nextFileIdForManifest());
            });
            t.install(e -> {
                int insertAt = out == 0 ? indexOfFirstHandle(e.level(0), inputIds) : -1;
                for (List<SegmentHandle> level : e.levels()) {
                    level.removeIf(h -> inputIds.contains(h.entry().id()));
                }
                List<SegmentHandle> target = e.level(out);
                if (out == 0) {
                    target.addAll(Math.max(0, Math.min(insertAt, target.size())), outputs);
                } else {
                    target.addAll(outputs);
                    target.sort(Comparator.comparing(h -> h.entry().minKey()));
                }
                return e;
            });
            if (inputsObsolete) {
                for (SegmentHandle h : task.inputs()) {
                    h.markObsolete();
                }
            }
        } finally {
            state.structureLock().unlock();
            for (SegmentHandle h : outputs) {
                h.releaseOwner();
            }
        }
        if (!inputsObsolete) {
            return;
        }
        state.metrics().compactions.increment();
        for (SegmentHandle h : outputs) {
            state.metrics().compactionBytesWritten.add(h.entry().sizeBytes());
        }
    }

    @Override
    public void move(CompactionTask task) throws IOException {
        SegmentHandle in = task.inputs().get(0);
        FileEntry moved = in.entry().withLevel(task.outputLevel());
        // Same file, new handle: the old handle closes its reader when released, and deletes nothing.
        replace(task, List.of(state.openHandle(task.table(), moved)), false);
    }

    private static int indexOfFirst(List<FileEntry> level, Set<Long> ids) {
        for (int i = 0; i < level.size(); i++) {
            if (ids.contains(level.get(i).id())) {
                return i;
            }
        }
        return 0;
    }

    private static int indexOfFirstHandle(List<SegmentHandle> level, Set<Long> ids) {
        for (int i = 0; i < level.size(); i++) {
            if (ids.contains(level.get(i).entry().id())) {
                return i;
            }
        }
        return 0;
    }
}
