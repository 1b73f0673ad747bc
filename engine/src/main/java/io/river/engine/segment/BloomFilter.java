package io.river.engine.segment;

import java.nio.ByteBuffer;

/**
 * A bloom filter on row keys: a bitset of {@code 64 * words} bits probed {@code k} times per key
 * by double hashing ({@code bit_i = (h1 + i * h2) mod m}, Kirsch–Mitzenmacher) of the key's
 * {@link KeyHash}, with {@code h1} the hash and {@code h2} a second mix of it. Sized from the
 * expected key count and false-positive rate: {@code m = -n ln p / (ln 2)^2}, {@code k = m/n ln 2}.
 * Mutable while a segment is written, then read-only; not thread-safe while being filled, safe
 * for concurrent {@link #mightContain} once published.
 *
 * <p>Serialized form (big-endian), version {@value #VERSION}:
 * <pre>
 * 0         1         2                 6
 * +---------+---------+-----------------+----------------------------+
 * | version | k (u8)  | words w (int32) | w bitset words (int64 each) |
 * +---------+---------+-----------------+----------------------------+
 * </pre>
 * Bit {@code j} is bit {@code j % 64} of word {@code j / 64}.
 */
public final class BloomFilter {
    public static final byte VERSION = 1;
    private static final int HEADER = 1 + 1 + 4;
    private static final double LN2 = Math.log(2);

    private final long[] words;
    private final int hashes;
    private final long bits;

    private BloomFilter(long[] words, int hashes) {
        this.words = words;
        this.hashes = hashes;
        this.bits = (long) words.length * 64;
    }

    /** An empty filter for about {@code expectedKeys} keys at false-positive rate {@code fpp}. */
    public static BloomFilter create(long expectedKeys, double fpp) {
        if (!(fpp > 0 && fpp < 1)) {
            throw new IllegalArgumentException("bloom fpp must be in (0, 1): " + fpp);
        }
        long n = Math.max(1, expectedKeys);
        long m = (long) Math.ceil(-n * Math.log(fpp) / (LN2 * LN2));
        long w = Math.max(1, (m + 63) / 64);
        if (w > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bloom filter too large for " + expectedKeys + " keys");
        }
        int k = (int) Math.max(1, Math.min(30, Math.round((double) (w * 64) / n * LN2)));
        return new BloomFilter(new long[(int) w], k);
    }

    public void add(String key) {
        addHash(KeyHash.of(key));
    }

    /** Adds a key by its {@link KeyHash}. */
    public void addHash(long hash) {
        long h2 = mix(hash);
        long combined = hash;
        for (int i = 0; i < hashes; i++) {
            long bit = (combined & Long.MAX_VALUE) % bits;
            words[(int) (bit >>> 6)] |= 1L << bit;
            combined += h2;
        }
    }

    /** False only when the key was certainly never added. */
    public boolean mightContain(String key) {
        return mightContainHash(KeyHash.of(key));
    }

    public boolean mightContainHash(long hash) {
        long h2 = mix(hash);
        long combined = hash;
        for (int i = 0; i < hashes; i++) {
            long bit = (combined & Long.MAX_VALUE) % bits;
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
            combined += h2;
        }
        return true;
    }

    public int hashCount() {
        return hashes;
    }

    public long bitCount() {
        return bits;
    }

    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + words.length * 8);
        buf.put(VERSION).put((byte) hashes).putInt(words.length);
        for (long w : words) {
            buf.putLong(w);
        }
        return buf.array();
    }

    /** Parses {@link #toBytes()}; throws IllegalArgumentException on an unknown version or bad length. */
    public static BloomFilter fromBytes(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException("bloom filter truncated: " + bytes.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte version = buf.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported bloom filter version " + version);
        }
        int k = buf.get() & 0xFF;
        int n = buf.getInt();
        if (k < 1 || n < 1 || bytes.length != HEADER + (long) n * 8) {
            throw new IllegalArgumentException("corrupt bloom filter header (k=" + k + ", words=" + n + ")");
        }
        long[] words = new long[n];
        for (int i = 0; i < n; i++) {
            words[i] = buf.getLong();
        }
        return new BloomFilter(words, k);
    }

    /** Second hash: the murmur3 64-bit finalizer of the first, forced odd so probes never repeat early. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h | 1;
    }
}
