package io.river.engine.lsm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory map from primary key to a {@code long} location, built for tens of millions of keys:
 * open addressing with linear probing over three parallel arrays (a 32-bit hash, the location, a
 * reference to the key's UTF-8 bytes) and the key bytes themselves in pages of up to 16 MiB. Per key it
 * costs 20 bytes per slot over a load factor between 3/8 and 3/4, plus the key's bytes and a 1-2
 * byte length ({@link #memoryBytes()} reports the total). Removing a key shifts its probe run back
 * (no tombstones); the bytes of removed keys are reclaimed by a rebuild once they outweigh the live
 * ones. Keys are at most 32,767 UTF-8 bytes. Not thread-safe: the owner serializes every call.
 */
final class PrimaryKeyIndex {
    /** What {@link #get}, {@link #put} and {@link #remove} return for an absent key. */
    static final long NONE = Long.MIN_VALUE;

    private static final int PAGE_BITS = 24;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MAX_KEY_BYTES = Short.MAX_VALUE;

    private int[] hashes;
    private long[] locations;
    private long[] keyRefs;
    private int mask;
    private int size;
    private final List<byte[]> pages = new ArrayList<>();
    private int pageUsed;
    private long pageBytes;
    private long liveKeyBytes;
    private long deadKeyBytes;

    PrimaryKeyIndex() {
        allocate(1 << 10);
    }

    int size() {
        return size;
    }

    /** Bytes held by the table arrays and the key pages. */
    long memoryBytes() {
        return (long) hashes.length * (4 + 8 + 8) + pageBytes;
    }

    /** The location of {@code key}, or {@link #NONE}. */
    long get(String key) {
        return get(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The location of the key whose UTF-8 bytes are {@code k}, or {@link #NONE}. */
    long get(byte[] k) {
        int slot = find(k, hash(k));
        return slot < 0 ? NONE : locations[slot];
    }

    /** Maps {@code key} to {@code location}; returns the location it replaced, or {@link #NONE}. */
    long put(String key, long location) {
        return put(key.getBytes(StandardCharsets.UTF_8), location);
    }

    /** Like {@link #put(String, long)} for a key given as its UTF-8 bytes (not kept). */
    long put(byte[] k, long location) {
        if (k.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key longer than " + MAX_KEY_BYTES + " bytes");
        }
        int h = hash(k);
        int slot = find(k, h);
        if (slot >= 0) {
            long old = locations[slot];
            locations[slot] = location;
            return old;
        }
        if ((size + 1) * 4L > hashes.length * 3L) {
            rebuild(hashes.length * 2);
        }
        insert(h, location, storeKey(k));
        size++;
        return NONE;
    }

    /** Removes {@code key}; returns its location, or {@link #NONE} if it was absent. */
    long remove(String key) {
        return remove(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Like {@link #remove(String)} for a key given as its UTF-8 bytes. */
    long remove(byte[] k) {
        int slot = find(k, hash(k));
        if (slot < 0) {
            return NONE;
        }
        long old = locations[slot];
        int stored = keyLength(keyRefs[slot]);
        deadKeyBytes += stored;
        liveKeyBytes -= stored;
        deleteSlot(slot);
        size--;
        if (deadKeyBytes > (1 << 16) && deadKeyBytes > liveKeyBytes) {
            rebuild(hashes.length);
        }
        return old;
    }

    /** Calls {@code visitor} with every location (order unspecified). */
    void forEachLocation(java.util.function.LongConsumer visitor) {
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] != 0) {
                visitor.accept(locations[i]);
            }
        }
    }

    private static int hash(byte[] k) {
        int h = 0x9747b28c;
        for (byte b : k) {
            h = (h ^ b) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h == 0 ? 1 : h;
    }

    private int find(byte[] k, int h) {
        int i = h & mask;
        while (hashes[i] != 0) {
            if (hashes[i] == h && keyEquals(keyRefs[i], k)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void insert(int h, long location, long keyRef) {
        int i = h & mask;
        while (hashes[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        locations[i] = location;
        keyRefs[i] = keyRef;
    }

    /** Backward-shift deletion: moves later entries of the probe run into the hole. */
    private void deleteSlot(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (hashes[i] == 0) {
                break;
            }
            int home = hashes[i] & mask;
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                hashes[hole] = hashes[i];
                locations[hole] = locations[i];
                keyRefs[hole] = keyRefs[i];
                hole = i;
            }
        }
        hashes[hole] = 0;
    }

    private void allocate(int capacity) {
        hashes = new int[capacity];
        locations = new long[capacity];
        keyRefs = new long[capacity];
        mask = capacity - 1;
    }

    /** Re-inserts every entry into tables of {@code capacity} slots, copying live keys to fresh pages. */
    private void rebuild(int capacity) {
        int[] oldHashes = hashes;
        long[] oldLocations = locations;
        long[] oldRefs = keyRefs;
        List<byte[]> oldPages = new ArrayList<>(pages);
        boolean compactKeys = deadKeyBytes > 0;
        if (compactKeys) {
            pages.clear();
            pageUsed = 0;
            pageBytes = 0;
            liveKeyBytes = 0;
            deadKeyBytes = 0;
        }
        allocate(capacity);
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] == 0) {
                continue;
            }
            long ref = oldRefs[i];
            if (compactKeys) {
                ref = storeKey(keyBytes(oldPages, ref));
            }
            insert(oldHashes[i], oldLocations[i], ref);
        }
    }

    private long storeKey(byte[] k) {
        int lengthBytes = k.length < 0x80 ? 1 : 2;
        int need = lengthBytes + k.length;
        if (pages.isEmpty() || pageUsed + need > pages.get(pages.size() - 1).length) {
            // pages grow from 64 KiB to 16 MiB, so a small table stays small
            int last = pages.isEmpty() ? 1 << 15 : pages.get(pages.size() - 1).length;
            pages.add(new byte[Math.min(PAGE_SIZE, last * 2)]);
            pageBytes += pages.get(pages.size() - 1).length;
            pageUsed = 0;
        }
        byte[] page = pages.get(pages.size() - 1);
        int at = pageUsed;
        if (lengthBytes == 1) {
            page[at] = (byte) k.length;
        } else {
            page[at] = (byte) (0x80 | (k.length >>> 8));
            page[at + 1] = (byte) k.length;
        }
        System.arraycopy(k, 0, page, at + lengthBytes, k.length);
        pageUsed += need;
        liveKeyBytes += need;
        return ((long) (pages.size() - 1) << PAGE_BITS) | at;
    }

    private int keyLength(long ref) {
        byte[] page = pages.get((int) (ref >>> PAGE_BITS));
        int at = (int) (ref & (PAGE_SIZE - 1));
        int b = page[at] & 0xff;
        return b < 0x80 ? 1 + b : 2 + (((b & 0x7f) << 8) | (page[at + 1] & 0xff));
    }

    private boolean keyEquals(long ref, byte[] k) {
        byte[] page = pages.get((int) (ref >>> PAGE_BITS));
        int at = (int) (ref & (PAGE_SIZE - 1));
        int b = page[at] & 0xff;
        int len;
        if (b < 0x80) {
            len = b;
            at += 1;
        } else {
            len = ((b & 0x7f) << 8) | (page[at + 1] & 0xff);
            at += 2;
        }
        return len == k.length && Arrays.equals(page, at, at + len, k, 0, len);
    }

    private static byte[] keyBytes(List<byte[]> fromPages, long ref) {
        byte[] page = fromPages.get((int) (ref >>> PAGE_BITS));
        int at = (int) (ref & (PAGE_SIZE - 1));
        int b = page[at] & 0xff;
        int len;
        if (b < 0x80) {
            len = b;
            at += 1;
        } else {
            len = ((b & 0x7f) << 8) | (page[at + 1] & 0xff);
            at += 2;
        }
        return Arrays.copyOfRange(page, at, at + len);
    }
}
