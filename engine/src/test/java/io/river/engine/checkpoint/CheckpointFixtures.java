package io.river.engine.checkpoint;

import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the committed checkpoint fixtures ({@code src/test/resources/checkpoints}): two sections
 * of every column type with NULLs and deletes, in key order, as the memtables held them.
 */
final class CheckpointFixtures {
    static final long LSN = 42;

    private CheckpointFixtures() {}

    /** Section 0: table "events" (every type, NULLs, deletes); section 1: table "kv" (strings only). */
    static List<List<Row>> rows() {
        List<Row> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = String.format("e%03d", i);
            if (i % 7 == 3) {
                events.add(Row.tombstone(key));
                continue;
            }
            Row.Builder b = Row.builder(key);
            if (i % 5 != 0) {
                b.set("flag", i % 2 == 0);
            }
            b.set("n", i * 1000 - 7);
            if (i % 4 != 1) {
                b.set("big", 5_000_000_000L + i);
            }
            b.set("price", i / 4.0);
            b.set("city", i % 6 == 0 ? "Zürich 😀" : "city" + (i % 3));
            if (i % 3 != 2) {
                b.set("blob", new byte[] {(byte) i, 0, (byte) -i});
            }
            b.set("at", Instant.ofEpochMilli(1_700_000_000_000L + i * 3_600_000L));
            b.set("day", LocalDate.ofEpochDay(19_000 + i));
            events.add(b.build());
        }
        List<Row> kv = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            kv.add(
                    i == 4
                            ? Row.tombstone("k" + i)
                            : Row.builder("k" + i).set("v", "value " + i).build());
        }
        return List.of(events, kv);
    }

    static List<String> tables() {
        return List.of("events", "kv");
    }

    /** The schema each section's rows fit: evolved by its rows, version 3 and 1. */
    static TableSchema schema(List<Row> rows, int version) {
        TableSchema s = TableSchema.initial();
        for (Row r : rows) {
            s = s.evolve(r);
        }
        return new TableSchema(version, s.columns());
    }
}
