package io.river.engine.query;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * 64-bit hashes for group keys, DISTINCT sets and HyperLogLog: a MurmurHash3 finalizer for longs
 * and an 8-bytes-at-a-time mix for byte strings, both well spread in every bit (HyperLogLog needs
 * that). Stateless.
 */
final class Hashing {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    static final long NULL_HASH = 0x9e3779b97f4a7c15L;

    private Hashing() {}

    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    static long bytes(byte[] b, int off, int len) {
        long h = len * C1;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long k = (long) LONGS.get(b, i);
            k *= C1;
            k = Long.rotateLeft(k, 31);
            k *= C2;
            h ^= k;
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        long tail = 0;
        for (int s = 0; i < end; i++, s += 8) {
            tail |= (b[i] & 0xffL) << s;
        }
        h ^= Long.rotateLeft(tail * C1, 31) * C2;
        return mix(h);
    }

    /** Byte-range equality, 8 bytes at a time: cheaper than {@code Arrays.equals} for short keys. */
    static boolean sameBytes(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        if (aLen != bLen) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= aLen; i += 8) {
            if ((long) LONGS.get(a, aOff + i) != (long) LONGS.get(b, bOff + i)) {
                return false;
            }
        }
        for (; i < aLen; i++) {
            if (a[aOff + i] != b[bOff + i]) {
                return false;
            }
        }
        return true;
    }

    /** Combines a key column's hash into the row's running hash. */
    static long combine(long h, long k) {
        return (h ^ k) * 0x9E3779B97F4A7C15L + Long.rotateLeft(h, 23);
    }

    /** The canonical bits of a double key: -0.0 is 0.0 and every NaN is one NaN, as DuckDB groups them. */
    static long doubleKey(double d) {
        if (d == 0.0) {
            return 0L;
        }
        return Double.doubleToLongBits(d);
    }
}
