package io.river.engine.lsm;

import io.river.engine.memtable.Memtable;
import java.util.ArrayList;
import java.util.List;

/**
 * A mutable copy of a {@link TableVersion}'s lists, changed by a flush or compaction and turned
 * into the next version by {@link LsmTable#install}. Confined to the installing thread.
 */
public final class VersionEdit {
    Memtable active;
    final List<Memtable> immutables;
    final List<List<SegmentHandle>> levels;

    VersionEdit(TableVersion base) {
        this.active = base.active();
        this.immutables = new ArrayList<>(base.immutables());
        this.levels = new ArrayList<>();
        for (List<SegmentHandle> level : base.levels()) {
            this.levels.add(new ArrayList<>(level));
        }
    }

    public List<Memtable> immutables() {
        return immutables;
    }

    public List<SegmentHandle> level(int i) {
        return levels.get(i);
    }

    public List<List<SegmentHandle>> levels() {
        return levels;
    }
}
