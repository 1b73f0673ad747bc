package io.river.engine.query;

/**
 * A set of longs with open addressing (0 marks an empty slot and is tracked apart), for COUNT
 * DISTINCT and the exact phase of HyperLogLog. Not thread-safe.
 */
final class LongHashSet {
    private long[] table;
    private int size;
    private boolean hasZero;

    LongHashSet() {
        table = new long[8];
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    /** Adds v; true if it was not there. */
    boolean add(long v) {
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
                    grow();
                }
                return true;
            }
            if (cur == v) {
                return false;
            }
            pos = (pos + 1) & mask;
        }
    }

    void addAll(LongHashSet other) {
        if (other.hasZero) {
            add(0);
        }
        for (long v : other.table) {
            if (v != 0) {
                add(v);
            }
        }
    }

    /** Calls {@code consumer} for every element. */
    void forEach(java.util.function.LongConsumer consumer) {
        if (hasZero) {
            consumer.accept(0);
        }
        for (long v : table) {
            if (v != 0) {
                consumer.accept(v);
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != 0) {
                int mask = table.length - 1;
                int pos = (int) Hashing.mix(v) & mask;
                while (table[pos] != 0) {
                    pos = (pos + 1) & mask;
                }
                table[pos] = v;
                size++;
            }
        }
    }
}
