package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.DictVec;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import io.river.engine.scan.StringDictionary;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps group-key tuples to dense group ids with an open-addressing hash table over column-wise key
 * storage. Keys are hashed a batch at a time straight from the key vectors (one pass per key
 * column), then probed; fixed-width keys (integers, timestamps, booleans, doubles as canonical
 * bits) are compared as longs and strings as bytes, so no per-row objects are made; a
 * dictionary-encoded string key is resolved once per dictionary entry (its code's group, or its
 * hash among several keys), not once per row. With no key
 * columns every row is group 0 (the one global group, which exists even with no rows). Not
 * thread-safe: each worker owns one; partial tables are merged by {@link #groupIds} over another
 * table's {@link #keyVectors()}.
 */
final class GroupTable {
    private final ColumnType[] types;
    private final boolean[] bytesKey;
    private long[][] longKeys;
    private byte[][][] byteKeys;
    private boolean[][] nullKeys;
    private long[] hashes;
    private int size;
    private int[] slots;
    private int mask;
    /** Single fixed-width key only: the key of each occupied slot, and the NULL key's group (or -1). */
    private long[] inlineKeys;

    private int nullGroup = -1;
    /** Dictionary-encoded keys: per dictionary seen, the group of each code (-1 = not yet looked up). */
    private final Map<StringDictionary, int[]> codeGroups = new HashMap<>();
    /** Dictionary-encoded keys among several: per dictionary seen, each entry's hash. */
    private final Map<StringDictionary, long[]> codeHashes = new HashMap<>();

    private static final int MAX_MEMO_DICTIONARIES = 256;

    GroupTable(ColumnType[] keyTypes) {
        this.types = keyTypes.clone();
        int k = types.length;
        bytesKey = new boolean[k];
        longKeys = new long[k][];
        byteKeys = new byte[k][][];
        nullKeys = new boolean[k][];
        int cap = 16;
        for (int c = 0; c < k; c++) {
            bytesKey[c] = SqlTypes.isBytes(types[c]);
            if (bytesKey[c]) {
                byteKeys[c] = new byte[cap][];
            } else {
                longKeys[c] = new long[cap];
            }
            nullKeys[c] = new boolean[cap];
        }
        hashes = new long[cap];
        slots = new int[64];
        mask = slots.length - 1;
        if (k == 1 && !bytesKey[0]) {
            inlineKeys = new long[slots.length];
        }
        if (k == 0) {
            size = 1;
        }
    }

    int size() {
        return size;
    }

    /** Group ids of rows {@code sel[0..n)}, inserting new groups; gids[k] is the group of sel[k]. */
    int[] groupIds(Vec[] keys, int[] sel, int n, int[] gids) {
        if (types.length == 0) {
            Arrays.fill(gids, 0, n, 0);
            return gids;
        }
        if (types.length == 1) {
            if (keys[0] instanceof DictVec) {
                return singleDictKey((DictVec) keys[0], sel, n, gids);
            }
            return keys[0] instanceof BytesVec
                    ? singleBytesKey((BytesVec) keys[0], sel, n, gids)
                    : singleLongKey(keys[0], sel, n, gids);
        }
        long[] h = new long[n];
        long[][] keyLongs = new long[keys.length][];
        for (int c = 0; c < keys.length; c++) {
            keyLongs[c] = hashColumn(keys[c], sel, n, h);
        }
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            long hk = h[k];
            int pos = (int) (hk ^ (hk >>> 32)) & mask;
            while (true) {
                int s = slots[pos];
                if (s == 0) {
                    int g = insert(keys, keyLongs, i, hk);
                    slots[pos] = g + 1;
                    gids[k] = g;
                    if (size * 2 > slots.length) {
                        rehash();
                    }
                    break;
                }
                int g = s - 1;
                if (hashes[g] == hk && equalsRow(g, keys, keyLongs, i)) {
                    gids[k] = g;
                    break;
                }
                pos = (pos + 1) & mask;
            }
        }
        return gids;
    }

    /**
     * One fixed-width key: the hash table holds the key values inline next to the group ids
     * ({@code inlineKeys}), so a probe touches one slot; runs of equal keys (time buckets of
     * ordered data, clustered values) skip the probe altogether; NULL is a group of its own.
     */
    private int[] singleLongKey(Vec v, int[] sel, int n, int[] gids) {
        long[] vals = asLongs(v, sel, n);
        boolean[] nulls = v.nulls;
        long lastValue = 0;
        int lastGroup = -1;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (nulls != null && nulls[i]) {
                if (nullGroup < 0) {
                    nullGroup = insertSingle(Hashing.NULL_HASH, true, 0, null);
                }
                gids[k] = nullGroup;
                continue;
            }
            long x = vals[i];
            if (lastGroup >= 0 && x == lastValue) {
                gids[k] = lastGroup;
                continue;
            }
            int pos = (int) Hashing.mix(x) & mask;
            int g;
            while (true) {
                int slot = slots[pos];
                if (slot == 0) {
                    g = insertSingle(0, false, x, null);
                    slots[pos] = g + 1;
                    inlineKeys[pos] = x;
                    if (size * 2 > slots.length) {
                        rehash();
                    }
                    break;
                }
                if (inlineKeys[pos] == x) {
                    g = slot - 1;
                    break;
                }
                pos = (pos + 1) & mask;
            }
            gids[k] = g;
            lastValue = x;
            lastGroup = g;
        }
        return gids;
    }

    private int[] singleBytesKey(BytesVec b, int[] sel, int n, int[] gids) {
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (b.isNull(i)) {
                gids[k] = bytesGroup(Hashing.NULL_HASH, true, null, 0, 0);
            } else {
                b.load(i);
                gids[k] = bytesGroup(Hashing.bytes(b.buf, b.off, b.len), false, b.buf, b.off, b.len);
            }
        }
        return gids;
    }

    /**
     * One dictionary-encoded key: each code's group is looked up in the hash table once per
     * dictionary (and worker), then every row is an array read; no string is hashed or compared
     * per row.
     */
    private int[] singleDictKey(DictVec d, int[] sel, int n, int[] gids) {
        int[] groups = codeGroups.get(d.dictionary);
        if (groups == null) {
            if (codeGroups.size() >= MAX_MEMO_DICTIONARIES) {
                codeGroups.clear();
            }
            groups = new int[d.dictionary.size()];
            Arrays.fill(groups, -1);
            codeGroups.put(d.dictionary, groups);
        }
        int[] codes = d.codes;
        boolean[] nulls = d.nulls;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (nulls != null && nulls[i]) {
                gids[k] = bytesGroup(Hashing.NULL_HASH, true, null, 0, 0);
                continue;
            }
            int c = codes[i];
            int g = groups[c];
            if (g < 0) {
                byte[] v = d.dictionary.bytes(c);
                g = bytesGroup(Hashing.bytes(v, 0, v.length), false, v, 0, v.length);
                groups[c] = g;
            }
            gids[k] = g;
        }
        return gids;
    }

    /** The group of a single bytes key (or NULL), inserted when new. */
    private int bytesGroup(long hk, boolean isNull, byte[] buf, int off, int len) {
        int pos = (int) (hk ^ (hk >>> 32)) & mask;
        while (true) {
            int slot = slots[pos];
            if (slot == 0) {
                int g = insertSingle(hk, isNull, 0, isNull ? null : Arrays.copyOfRange(buf, off, off + len));
                slots[pos] = g + 1;
                if (size * 2 > slots.length) {
                    rehash();
                }
                return g;
            }
            int g = slot - 1;
            if (hashes[g] == hk && nullKeys[0][g] == isNull) {
                if (isNull) {
                    return g;
                }
                byte[] stored = byteKeys[0][g];
                if (Hashing.sameBytes(stored, 0, stored.length, buf, off, len)) {
                    return g;
                }
            }
            pos = (pos + 1) & mask;
        }
    }

    private int insertSingle(long hash, boolean isNull, long value, byte[] bytes) {
        int g = size++;
        if (g == hashes.length) {
            growKeys();
        }
        hashes[g] = hash;
        nullKeys[0][g] = isNull;
        if (bytesKey[0]) {
            byteKeys[0][g] = bytes;
        } else {
            longKeys[0][g] = value;
        }
        return g;
    }

    /** A fixed-width key's values as longs (doubles as canonical bits, booleans 0/1). */
    private static long[] asLongs(Vec v, int[] sel, int n) {
        if (v instanceof LongVec) {
            return ((LongVec) v).values;
        }
        if (v instanceof DoubleVec) {
            double[] d = ((DoubleVec) v).values;
            long[] out = new long[d.length];
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out[i] = Hashing.doubleKey(d[i]);
            }
            return out;
        }
        boolean[] bv = ((BoolVec) v).values;
        long[] out = new long[bv.length];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            out[i] = bv[i] ? 1 : 0;
        }
        return out;
    }

    /** Folds one key column into the row hashes; returns its values as longs (null for bytes keys). */
    private long[] hashColumn(Vec v, int[] sel, int n, long[] h) {
        if (v instanceof DictVec) {
            DictVec d = (DictVec) v;
            long[] entryHashes = codeHashes.get(d.dictionary);
            if (entryHashes == null) {
                if (codeHashes.size() >= MAX_MEMO_DICTIONARIES) {
                    codeHashes.clear();
                }
                byte[][] entries = d.dictionary.allBytes();
                entryHashes = new long[entries.length];
                for (int c = 0; c < entries.length; c++) {
                    entryHashes[c] = Hashing.bytes(entries[c], 0, entries[c].length);
                }
                codeHashes.put(d.dictionary, entryHashes);
            }
            int[] codes = d.codes;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                long x = d.isNull(i) ? Hashing.NULL_HASH : entryHashes[codes[i]];
                h[k] = Hashing.combine(h[k], x);
            }
            return null;
        }
        if (v instanceof BytesVec) {
            BytesVec b = (BytesVec) v;
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                long x;
                if (b.isNull(i)) {
                    x = Hashing.NULL_HASH;
                } else {
                    b.load(i);
                    x = Hashing.bytes(b.buf, b.off, b.len);
                }
                h[k] = Hashing.combine(h[k], x);
            }
            return null;
        }
        long[] vals = asLongs(v, sel, n);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            long x = v.isNull(i) ? Hashing.NULL_HASH : Hashing.mix(vals[i]);
            h[k] = Hashing.combine(h[k], x);
        }
        return vals;
    }

    private boolean equalsRow(int g, Vec[] keys, long[][] keyLongs, int i) {
        for (int c = 0; c < keys.length; c++) {
            boolean isNull = keys[c].isNull(i);
            if (isNull != nullKeys[c][g]) {
                return false;
            }
            if (isNull) {
                continue;
            }
            if (bytesKey[c]) {
                BytesVec b = (BytesVec) keys[c];
                b.load(i);
                byte[] stored = byteKeys[c][g];
                if (!Hashing.sameBytes(stored, 0, stored.length, b.buf, b.off, b.len)) {
                    return false;
                }
            } else if (longKeys[c][g] != keyLongs[c][i]) {
                return false;
            }
        }
        return true;
    }

    private int insert(Vec[] keys, long[][] keyLongs, int i, long hash) {
        int g = size++;
        if (g == hashes.length) {
            growKeys();
        }
        hashes[g] = hash;
        for (int c = 0; c < keys.length; c++) {
            if (keys[c].isNull(i)) {
                nullKeys[c][g] = true;
            } else if (bytesKey[c]) {
                byteKeys[c][g] = ((BytesVec) keys[c]).copy(i);
            } else {
                longKeys[c][g] = keyLongs[c][i];
            }
        }
        return g;
    }

    private void growKeys() {
        int cap = hashes.length * 2;
        hashes = Arrays.copyOf(hashes, cap);
        for (int c = 0; c < types.length; c++) {
            if (bytesKey[c]) {
                byteKeys[c] = Arrays.copyOf(byteKeys[c], cap);
            } else {
                longKeys[c] = Arrays.copyOf(longKeys[c], cap);
            }
            nullKeys[c] = Arrays.copyOf(nullKeys[c], cap);
        }
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        mask = slots.length - 1;
        if (inlineKeys != null) {
            inlineKeys = new long[slots.length];
            for (int g = 0; g < size; g++) {
                if (g == nullGroup) {
                    continue;
                }
                long x = longKeys[0][g];
                int pos = (int) Hashing.mix(x) & mask;
                while (slots[pos] != 0) {
                    pos = (pos + 1) & mask;
                }
                slots[pos] = g + 1;
                inlineKeys[pos] = x;
            }
            return;
        }
        for (int g = 0; g < size; g++) {
            long hk = hashes[g];
            int pos = (int) (hk ^ (hk >>> 32)) & mask;
            while (slots[pos] != 0) {
                pos = (pos + 1) & mask;
            }
            slots[pos] = g + 1;
        }
    }

    /** The stored keys as vectors of {@link #size()} rows, typed as the key expressions. */
    Vec[] keyVectors() {
        Vec[] out = new Vec[types.length];
        for (int c = 0; c < types.length; c++) {
            boolean[] nulls = Arrays.copyOf(nullKeys[c], size);
            if (bytesKey[c]) {
                out[c] = new Vec.ArrayBytesVec(types[c], Arrays.copyOf(byteKeys[c], size));
            } else if (types[c] == ColumnType.FLOAT64) {
                double[] d = new double[size];
                for (int g = 0; g < size; g++) {
                    d[g] = Double.longBitsToDouble(longKeys[c][g]);
                }
                out[c] = new DoubleVec(d, nulls);
            } else if (types[c] == ColumnType.BOOLEAN) {
                boolean[] b = new boolean[size];
                for (int g = 0; g < size; g++) {
                    b[g] = longKeys[c][g] != 0;
                }
                out[c] = new BoolVec(b, nulls);
            } else {
                out[c] = new LongVec(types[c], Arrays.copyOf(longKeys[c], size), nulls);
            }
        }
        return out;
    }
}
