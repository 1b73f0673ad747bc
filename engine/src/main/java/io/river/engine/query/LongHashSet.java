package io.river.engine.query;

import java.util.function.LongConsumer;

/**
 * A set of longs for COUNT DISTINCT and the exact phase of HyperLogLog, in one of two layouts. It
 * starts as an open-addressing hash table (0 marks an empty slot and is tracked apart). When the
 * table grows and every value seen lies in a range whose bitmap is no larger than the table, it turns
 * into that bitmap (dense ids: an add is one bit test, and the memory touched is the range's, not a
 * random slot's). A value that would make the bitmap too large or too sparse turns it back into a
 * hash table. Not thread-safe.
 */
final class LongHashSet {
    /** The hash table's size at which a bitmap is first considered (smaller sets stay hashed). */
    private static final int DENSE_CHECK_MIN_SIZE = 1 << 12;
    /** The largest bitmap, in 64-bit words (8 MiB), whatever the set's size. */
    private static final int MAX_BITMAP_WORDS = 1 << 20;
    /** A bitmap stays while it has at least one value per this many words (64 bytes a value at most). */
    private static final long WORDS_PER_VALUE = 8;

    private long[] table;
    private int size;
    private boolean hasZero;
    /** The least and greatest value added (meaningless while empty). */
    private long min = Long.MAX_VALUE;

    private long max = Long.MIN_VALUE;

    /** Non-null in the bitmap layout: bit {@code v - base} is set when {@code v} is in the set. */
    private long[] bits;
    /** The value of bit 0 of {@link #bits}, a multiple of 64. */
    private long base;
    /** Values in the bitmap. */
    private int bitCount;

    LongHashSet() {
        table = new long[8];
    }

    int size() {
        return bits != null ? bitCount : size + (hasZero ? 1 : 0);
    }

    /** Adds v; true if it was not there. */
    boolean add(long v) {
        if (bits != null) {
            long offset = v - base;
            if (v >= base && offset >= 0 && offset < ((long) bits.length << 6)) {
                int w = (int) (offset >>> 6);
                long bit = 1L << offset;
                long word = bits[w];
                if ((word & bit) != 0) {
                    return false;
                }
                bits[w] = word | bit;
                bitCount++;
                see(v);
                return true;
            }
            stretchOrHash(v);
            return add(v);
        }
        return hashAdd(v);
    }

    void addAll(LongHashSet other) {
        other.forEach(this::add);
    }

    /** Calls {@code consumer} for every element. */
    void forEach(LongConsumer consumer) {
        if (bits != null) {
            for (int w = 0; w < bits.length; w++) {
                long word = bits[w];
                while (word != 0) {
                    consumer.accept(base + ((long) w << 6) + Long.numberOfTrailingZeros(word));
                    word &= word - 1;
                }
            }
            return;
        }
        if (hasZero) {
            consumer.accept(0);
        }
        for (long v : table) {
            if (v != 0) {
                consumer.accept(v);
            }
        }
    }

    /** True while the set is held as a bitmap (for tests). */
    boolean isBitmap() {
        return bits != null;
    }

    private void see(long v) {
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    private boolean hashAdd(long v) {
        see(v);
        if (v == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        int mask = table.length - 1;
        int pos = (int) Hashing.mix(v) & mask;
        while (true) {
            long cur = table[pos];
            if (cur == 0) {
                table[pos] = v;
                if (++size * 2 > table.length) {
                    growOrBitmap();
                }
                return true;
            }
            if (cur == v) {
                return false;
            }
            pos = (pos + 1) & mask;
        }
    }

    /**
     * The hash table is full: becomes a bitmap when the values' range needs no more words than the
     * table would have after growing, else grows the table.
     */
    private void growOrBitmap() {
        if (size >= DENSE_CHECK_MIN_SIZE) {
            long words = wordsFor(min, max);
            if (words > 0 && words <= Math.min(2L * table.length, MAX_BITMAP_WORDS)) {
                toBitmap(min, (int) words);
                return;
            }
        }
        rehash(table.length * 2);
    }

    /**
     * Makes the bitmap cover {@code v} too (with room to grow on that side, so values arriving in
     * order do not copy it each time), or turns the set back into a hash table when the bitmap would
     * pass {@link #MAX_BITMAP_WORDS} or hold fewer than one value per {@value #WORDS_PER_VALUE} words.
     */
    private void stretchOrHash(long v) {
        long hi = Math.max(max, v);
        boolean down = v < base;
        long needed = down ? wordsFor(v, hi) : wordsFor(base, hi);
        long dense = WORDS_PER_VALUE * (bitCount + 1L);
        if (needed < 0 || needed > MAX_BITMAP_WORDS || needed > dense) {
            toHash();
            return;
        }
        long words = Math.min(Math.min(MAX_BITMAP_WORDS, dense), Math.max(needed, 2L * bits.length));
        long newBase = down ? lowestBase(hi, words) : base;
        int used = (int) ((max - base) >>> 6) + 1; // the words holding values
        long[] next = new long[(int) words];
        System.arraycopy(bits, 0, next, (int) ((base - newBase) >>> 6), used);
        bits = next;
        base = newBase;
    }

    /** The base of a bitmap of {@code words} words whose last word holds {@code hi}, not below Long.MIN_VALUE. */
    private static long lowestBase(long hi, long words) {
        long top = alignDown(hi);
        long room = (words - 1) << 6;
        return Long.compareUnsigned(top - Long.MIN_VALUE, room) < 0 ? Long.MIN_VALUE : top - room;
    }

    private void toBitmap(long lo, int words) {
        long[] old = table;
        boolean zero = hasZero;
        bits = new long[words];
        base = alignDown(lo);
        bitCount = 0;
        table = null;
        size = 0;
        hasZero = false;
        if (zero) {
            add(0);
        }
        for (long v : old) {
            if (v != 0) {
                add(v);
            }
        }
    }

    private void toHash() {
        long[] old = bits;
        long oldBase = base;
        int count = bitCount;
        bits = null;
        bitCount = 0;
        table = new long[Integer.highestOneBit(count * 4 + 8)];
        size = 0;
        hasZero = false;
        for (int w = 0; w < old.length; w++) {
            long word = old[w];
            while (word != 0) {
                hashAdd(oldBase + ((long) w << 6) + Long.numberOfTrailingZeros(word));
                word &= word - 1;
            }
        }
    }

    private void rehash(int slots) {
        long[] old = table;
        table = new long[slots];
        int mask = slots - 1;
        for (long v : old) {
            if (v != 0) {
                int pos = (int) Hashing.mix(v) & mask;
                while (table[pos] != 0) {
                    pos = (pos + 1) & mask;
                }
                table[pos] = v;
            }
        }
    }

    /** Words of a bitmap from {@code alignDown(lo)} through {@code hi}, or -1 when that overflows. */
    private static long wordsFor(long lo, long hi) {
        long start = alignDown(lo);
        long span = hi - start; // bits - 1
        if (span < 0) {
            return -1; // overflowed: the range is wider than 2^63
        }
        return (span >>> 6) + 1;
    }

    private static long alignDown(long v) {
        return v & ~63L;
    }
}
