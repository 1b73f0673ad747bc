package io.river.engine.compaction;

import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leveled compaction after LevelDB's: L0 is compacted into L1 when it holds
 * {@code river.l0.compaction.trigger} files (all of L0 plus the overlapping L1 files); otherwise the
 * level whose size most exceeds its target pushes one file, chosen round-robin by key, into the
 * next level together with the files there that overlap it. A file with nothing to overlap below
 * moves down without being rewritten. Tombstones are dropped when no deeper level overlaps the
 * range. Thread-safe (cursors are per table in a concurrent map).
 */
public final class LeveledCompactionPicker implements CompactionPicker {
    private final LevelTargets targets;
    private final Map<String, String[]> cursors = new ConcurrentHashMap<>();

    public LeveledCompactionPicker(LevelTargets targets) {
        this.targets = targets;
    }

    @Override
    public CompactionTask pick(String table, TableVersion v) {
        List<List<SegmentHandle>> levels = v.levels();
        int last = levels.size() - 1;
        double bestScore = 0;
        int bestLevel = -1;
        if (!levels.get(0).isEmpty()) {
            bestScore = (double) levels.get(0).size() / targets.l0Trigger();
            bestLevel = 0;
        }
        for (int i = 1; i < last; i++) {
            long bytes = Picks.bytes(levels.get(i));
            double score = (double) bytes / targets.target(i);
            if (score > bestScore) {
                bestScore = score;
                bestLevel = i;
            }
        }
        if (bestLevel < 0 || bestScore < 1.0) {
            return null;
        }
        if (bestLevel == 0) {
            List<SegmentHandle> inputs = new ArrayList<>(levels.get(0));
            String lo = Picks.minKey(inputs);
            String hi = Picks.maxKey(inputs);
            List<SegmentHandle> below = Picks.overlapping(levels.get(1), lo, hi);
            inputs.addAll(below);
            boolean drop = !Picks.deeperOverlap(levels, 1, lo, hi);
            return new CompactionTask(
                    table,
                    inputs,
                    1,
                    drop,
                    false,
                    "L0 has " + levels.get(0).size() + " files (trigger " + targets.l0Trigger() + ")");
        }
        int level = bestLevel;
        List<SegmentHandle> files = levels.get(level);
        String[] cursor = cursors.computeIfAbsent(table, k -> new String[levels.size()]);
        SegmentHandle chosen = files.get(0);
        if (cursor[level] != null) {
            for (SegmentHandle h : files) {
                if (h.entry().minKey().compareTo(cursor[level]) > 0) {
                    chosen = h;
                    break;
                }
            }
        }
        cursor[level] = chosen.entry().maxKey();
        String lo = chosen.entry().minKey();
        String hi = chosen.entry().maxKey();
        List<SegmentHandle> below = Picks.overlapping(levels.get(level + 1), lo, hi);
        boolean drop = !Picks.deeperOverlap(levels, level + 1, lo, hi);
        String reason = String.format("L%d is %.1fx its target", level, bestScore);
        if (below.isEmpty() && (!drop || chosen.entry().tombstones() == 0)) {
            return new CompactionTask(table, List.of(chosen), level + 1, false, true, reason + " (trivial move)");
        }
        List<SegmentHandle> inputs = new ArrayList<>();
        inputs.add(chosen);
        inputs.addAll(below);
        return new CompactionTask(table, inputs, level + 1, drop, false, reason);
    }
}
