package io.river.engine.lsm;

import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.TableEntry;
import io.river.engine.memtable.Memtable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One change to a table's levels: files removed (by id, from any level), files added to one level,
 * and, for a flush, the frozen memtable the new file replaces. The same edit is applied to the
 * manifest's {@link FileEntry} lists and to the version's {@link SegmentHandle} lists, by one rule,
 * so the two can never drift: level 0 takes the added files where its first removed file was (at
 * the front when none was removed: a flush is the newest run), deeper levels stay sorted by min key.
 * Immutable.
 */
public final class LevelEdit {
    private final Set<Long> removed;
    private final int level;
    private final List<SegmentHandle> added;
    private final Memtable flushed;
    private final long flushedLsn;

    private LevelEdit(Set<Long> removed, int level, List<SegmentHandle> added, Memtable flushed, long flushedLsn) {
        this.removed = Set.copyOf(removed);
        this.level = level;
        this.added = List.copyOf(added);
        this.flushed = flushed;
        this.flushedLsn = flushedLsn;
    }

    /** A flush: the frozen memtable leaves the version, its segment becomes the newest file of L0. */
    public static LevelEdit flush(Memtable memtable, SegmentHandle segment) {
        return new LevelEdit(Set.of(), 0, List.of(segment), memtable, memtable.lastLsn());
    }

    /** A compaction or a move: the inputs leave their levels, the outputs join {@code level}. */
    public static LevelEdit replace(Collection<SegmentHandle> inputs, int level, List<SegmentHandle> outputs) {
        Set<Long> ids = new HashSet<>();
        for (SegmentHandle h : inputs) {
            ids.add(h.entry().id());
        }
        return new LevelEdit(ids, level, outputs, null, 0);
    }

    /** A retention drop: the files leave their levels, nothing takes their place. */
    public static LevelEdit drop(Collection<SegmentHandle> files) {
        return replace(files, 0, List.of());
    }

    public List<SegmentHandle> added() {
        return added;
    }

    /** Ids of the files the edit removes. */
    public Set<Long> removed() {
        return removed;
    }

    /** The frozen memtable a flush replaces, or null. */
    public Memtable flushedMemtable() {
        return flushed;
    }

    /** The highest LSN the edit makes durable in segments (a flush), or 0. */
    public long flushedLsn() {
        return flushedLsn;
    }

    /** The manifest's levels after this edit (a new list; {@code levels} is not changed). */
    public List<List<FileEntry>> applyTo(List<List<FileEntry>> levels) {
        List<List<FileEntry>> out = new ArrayList<>();
        for (List<FileEntry> l : levels) {
            out.add(new ArrayList<>(l));
        }
        while (out.size() < TableEntry.LEVELS) {
            out.add(new ArrayList<>());
        }
        List<FileEntry> entries = new ArrayList<>();
        for (SegmentHandle h : added) {
            entries.add(h.entry());
        }
        apply(out, entries, FileEntry::id, FileEntry::minKey);
        return out;
    }

    /** Applies the edit to a version being installed ({@link LsmTable#install}). */
    public VersionEdit applyTo(VersionEdit version) {
        apply(version.levels(), added, h -> h.entry().id(), h -> h.entry().minKey());
        if (flushed != null) {
            version.immutables().remove(flushed);
        }
        return version;
    }

    private <T> void apply(List<List<T>> levels, List<T> items, Function<T, Long> id, Function<T, String> minKey) {
        int insertAt = level == 0 ? firstRemoved(levels.get(0), id) : -1;
        for (List<T> l : levels) {
            l.removeIf(item -> removed.contains(id.apply(item)));
        }
        List<T> target = levels.get(level);
        if (level == 0) {
            target.addAll(Math.min(insertAt, target.size()), items);
        } else {
            target.addAll(items);
            target.sort(Comparator.comparing(minKey));
        }
    }

    private <T> int firstRemoved(List<T> level0, Function<T, Long> id) {
        for (int i = 0; i < level0.size(); i++) {
            if (removed.contains(id.apply(level0.get(i)))) {
                return i;
            }
        }
        return 0;
    }
}
