package io.river.engine.segment;

import io.river.engine.scan.StringDictionary;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides which string columns of a segment about to be written are dictionary-encoded, from the
 * values the segment may hold: a superset is fine (a flush offers every value of the memtable,
 * superseded versions included; a compaction the dictionaries or distinct values of its inputs),
 * a value missing is not (the writer refuses a value its dictionary lacks). A column is encoded
 * when it has at most {@code maxEntries} distinct values and at most half as many as the segment
 * has rows; a column stops being collected as soon as it exceeds the smaller of the two, so a
 * high-cardinality column (a key) costs little. Not thread-safe; one per segment write.
 */
public final class DictionaryCollector {
    /** The most distinct values a column may have: the configured limit or half the rows, the smaller. */
    private final int maxEntries;

    private final Map<String, Set<String>> values = new LinkedHashMap<>();
    private final Set<String> plain = new HashSet<>();

    /** For a segment of (about) {@code rows} rows, encoding columns of up to {@code maxEntries} values. */
    public DictionaryCollector(int maxEntries, long rows) {
        this.maxEntries = (int) Math.min(maxEntries, rows / 2);
    }

    /** True while {@code column} may still be encoded, i.e. more values for it are worth offering. */
    public boolean wants(String column) {
        return maxEntries > 0 && !plain.contains(column);
    }

    /** Offers a value (NULL ignored) the segment may hold in {@code column}. */
    public void add(String column, String value) {
        if (value == null || !wants(column)) {
            return;
        }
        Set<String> set = values.computeIfAbsent(column, c -> new HashSet<>());
        if (set.add(value) && set.size() > maxEntries) {
            giveUp(column);
        }
    }

    /** Offers many values of {@code column}. */
    public void addAll(String column, Collection<String> vals) {
        for (String v : vals) {
            add(column, v);
            if (!wants(column)) {
                return;
            }
        }
    }

    /** Marks {@code column} as stored plain (a source holds it plain with too many values to list). */
    public void giveUp(String column) {
        plain.add(column);
        values.remove(column);
    }

    /** The dictionaries to write, by column name. */
    public Map<String, StringDictionary> build() {
        Map<String, StringDictionary> out = new HashMap<>();
        values.forEach((column, set) -> {
            if (!set.isEmpty() && set.size() <= maxEntries) {
                out.put(column, StringDictionary.of(set));
            }
        });
        return out;
    }
}
