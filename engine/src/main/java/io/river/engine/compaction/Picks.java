package io.river.engine.compaction;

import io.river.engine.lsm.SegmentHandle;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the pickers: sizes, key ranges and overlap tests over files. */
final class Picks {
    private Picks() {}

    static long bytes(List<SegmentHandle> files) {
        long n = 0;
        for (SegmentHandle h : files) {
            n += h.entry().sizeBytes();
        }
        return n;
    }

    static String minKey(List<SegmentHandle> files) {
        String min = null;
        for (SegmentHandle h : files) {
            if (min == null || h.entry().minKey().compareTo(min) < 0) {
                min = h.entry().minKey();
            }
        }
        return min;
    }

    static String maxKey(List<SegmentHandle> files) {
        String max = null;
        for (SegmentHandle h : files) {
            if (max == null || h.entry().maxKey().compareTo(max) > 0) {
                max = h.entry().maxKey();
            }
        }
        return max;
    }

    static List<SegmentHandle> overlapping(List<SegmentHandle> files, String lo, String hi) {
        List<SegmentHandle> out = new ArrayList<>();
        for (SegmentHandle h : files) {
            if (h.entry().overlaps(lo, hi)) {
                out.add(h);
            }
        }
        return out;
    }

    /** True if any level deeper than {@code level} holds a file overlapping [lo, hi]. */
    static boolean deeperOverlap(List<List<SegmentHandle>> levels, int level, String lo, String hi) {
        for (int i = level + 1; i < levels.size(); i++) {
            if (!overlapping(levels.get(i), lo, hi).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
