package io.river.engine.testing;

import io.river.engine.model.Row;
import io.river.engine.model.TableColumns;
import io.river.engine.model.WriteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A deterministic upsert workload whose state after any prefix of operations is known, for
 * reliability tests. Operation {@code seq} writes key {@code k<seq % keys>} with {@code v = seq},
 * a string {@code s}, a double {@code d} and a boolean {@code b} derived from seq, and, when
 * {@code seq % 4 == 0}, deletes key {@code k<(7 * seq + 1) % keys>}. {@code keys} is even, so an
 * operation never deletes the key it writes, and the largest {@code v} visible after a prefix is the
 * prefix's last seq. Stateless and thread-safe.
 */
public final class ReliabilityWorkload {
    public static final String TABLE = "t";
    private final int keys;

    public ReliabilityWorkload(int keys) {
        if (keys % 2 != 0) {
            throw new IllegalArgumentException("keys must be even: " + keys);
        }
        this.keys = keys;
    }

    public int keys() {
        return keys;
    }

    public static String key(long k) {
        return "k" + k;
    }

    /** The row operation {@code seq} writes. */
    public Row row(long seq) {
        String key = key(seq % keys);
        // "c" has 7 values: segments store it dictionary-encoded, so crashes and damage hit dictionaries too
        return Row.builder(key)
                .set("_key", key)
                .set("v", seq)
                .set("s", string(seq))
                .set("c", "c" + seq % 7)
                .set("d", seq * 0.5)
                .set("b", seq % 3 == 0)
                .build();
    }

    static String string(long seq) {
        return "s" + seq + "-" + "x".repeat((int) (seq * 31 % 60));
    }

    /**
     * Adds operations {@code from..to} (inclusive) to a batch builder: as rows, or when {@code from}
     * is odd as one column batch ({@link TableColumns}), so both kinds of write reach the WAL.
     */
    public WriteBatch.Builder add(WriteBatch.Builder b, long from, long to) {
        List<Row> rows = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            rows.add(row(seq));
            if (seq % 4 == 0) {
                rows.add(Row.tombstone(key((7 * seq + 1) % keys)));
            }
        }
        if (from % 2 == 1) {
            b.add(TableColumns.of(TABLE, rows));
        } else {
            rows.forEach(r -> b.add(TABLE, r));
        }
        return b;
    }

    /** The seq whose row each key holds after operations {@code 0..lastSeq} (null = absent). */
    public Long[] expected(long lastSeq) {
        Long[] state = new Long[keys];
        for (long seq = 0; seq <= lastSeq; seq++) {
            state[(int) (seq % keys)] = seq;
            if (seq % 4 == 0) {
                state[(int) ((7 * seq + 1) % keys)] = null;
            }
        }
        return state;
    }

    /**
     * Checks that a row read back is exactly the row operation {@code seq} wrote (or absent when
     * seq is null); returns a description of the difference, or null when equal.
     */
    public String diff(int k, Long seq, Row actual) {
        if (seq == null) {
            return actual == null || actual.isTombstone() ? null : key(k) + ": want absent, got " + actual.values();
        }
        if (actual == null || actual.isTombstone()) {
            return key(k) + ": want seq " + seq + ", got absent";
        }
        Row want = row(seq);
        for (String c : new String[] {"_key", "v", "s", "c", "d", "b"}) {
            if (!Objects.equals(want.get(c), actual.get(c))) {
                return key(k) + "." + c + ": want " + want.get(c) + ", got " + actual.get(c);
            }
        }
        return null;
    }

    /** Compares the values of {@code v} per key (null = absent) with the state after {@code lastSeq}. */
    public boolean matches(long lastSeq, Long[] actualSeqs) {
        return Arrays.equals(expected(lastSeq), actualSeqs);
    }
}
