package io.river.engine.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The distinct values of one dictionary-encoded string column of one segment, in ascending order
 * (so code order is value order), each held as UTF-8 bytes and as a {@code String}. A block of such
 * a column stores an int code per row (an index into this dictionary). Lives on the Java heap,
 * independent of any Arrow allocator or file, so scan batches that carry it may outlive the
 * segment reader. {@link #id()} is unique in the process: per-dictionary memos of the query
 * executor (a filter's answer per code, a code's group) are keyed by it. Immutable and
 * thread-safe.
 */
public final class StringDictionary {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final String[] strings;
    private final byte[][] bytes;
    private volatile Map<String, Integer> codes;

    private StringDictionary(String[] strings) {
        this.strings = strings;
        this.bytes = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            bytes[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A dictionary of the distinct non-null {@code values}, sorted. */
    public static StringDictionary of(Collection<String> values) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String v : values) {
            if (v != null) {
                sorted.add(v);
            }
        }
        return new StringDictionary(sorted.toArray(new String[0]));
    }

    /** A dictionary of values already distinct and in ascending order (as a segment stores them). */
    public static StringDictionary ofSorted(List<String> values) {
        String[] s = values.toArray(new String[0]);
        for (int i = 1; i < s.length; i++) {
            if (s[i - 1].compareTo(s[i]) >= 0) {
                throw new IllegalArgumentException("dictionary values not strictly ascending at entry " + i);
            }
        }
        return new StringDictionary(s);
    }

    public long id() {
        return id;
    }

    public int size() {
        return strings.length;
    }

    public String string(int code) {
        return strings[code];
    }

    /** UTF-8 of entry {@code code}; shared, never to be written to. */
    public byte[] bytes(int code) {
        return bytes[code];
    }

    /** Every entry's UTF-8, indexed by code; shared, never to be written to. */
    public byte[][] allBytes() {
        return bytes;
    }

    /** The values in code order. */
    public List<String> values() {
        return List.of(strings);
    }

    /** The code of {@code value}, or -1 when the dictionary lacks it. */
    public int code(String value) {
        Map<String, Integer> m = codes;
        if (m == null) {
            m = new HashMap<>(strings.length * 2);
            for (int i = 0; i < strings.length; i++) {
                m.put(strings[i], i);
            }
            codes = m;
        }
        Integer c = m.get(value);
        return c == null ? -1 : c;
    }

    /** Total UTF-8 bytes of the entries. */
    public long byteSize() {
        long n = 0;
        for (byte[] b : bytes) {
            n += b.length;
        }
        return n;
    }

    @Override
    public String toString() {
        List<String> head = new ArrayList<>(Arrays.asList(strings).subList(0, Math.min(5, strings.length)));
        return "StringDictionary[" + strings.length + " entries " + head + (strings.length > 5 ? "...]" : "]");
    }
}
