package io.river.engine.compaction;

/**
 * Target sizes of levels L1..L6 for leveled compaction: L1 = base, each deeper level ratio times
 * larger (LevelDB/RocksDB style). Immutable.
 */
public record LevelTargets(long baseBytes, int ratio, long fileTargetBytes, int l0Trigger) {
    public long target(int level) {
        long t = baseBytes;
        for (int i = 1; i < level; i++) {
            t = Math.multiplyExact(t, ratio);
        }
        return t;
    }
}
