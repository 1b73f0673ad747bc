package io.river.engine.segment;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic rows of every column type, NULLs and tombstones included, for the point-read tests
 * and the committed format-3 fixture ({@code /segments/v3-point-rows.arrow}: {@link #rows}(1000),
 * 100-row blocks, ZSTD, column {@code city} dictionary-encoded), so the fixture's content is
 * this code.
 */
final class PointReadRows {
    static final String[] CITIES = {"Paris", "Berlin", "Rome", "", "Zürich", "日本"};
    static final TableSchema SCHEMA = new TableSchema(
            1,
            List.of(
                    new Column("n", ColumnType.INT64),
                    new Column("i", ColumnType.INT32),
                    new Column("x", ColumnType.FLOAT64),
                    new Column("flag", ColumnType.BOOLEAN),
                    new Column("city", ColumnType.STRING),
                    new Column("name", ColumnType.STRING),
                    new Column("blob", ColumnType.BYTES),
                    new Column("ts", ColumnType.TIMESTAMP),
                    new Column("day", ColumnType.DATE),
                    new Column("empty", ColumnType.INT64)));

    private PointReadRows() {}

    static String key(int i) {
        return String.format("k%06d", i);
    }

    /** {@code n} rows with keys {@link #key}(0..n-1): every 37th a tombstone, NULLs scattered per column. */
    static List<Row> rows(int n) {
        SplittableRandom rnd = new SplittableRandom(42);
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i % 37 == 5) {
                out.add(Row.tombstone(key(i)));
                continue;
            }
            Row.Builder b = Row.builder(key(i));
            b.set("n", (long) i * 1_000_003L - 7);
            if (i % 5 != 0) {
                b.set("i", rnd.nextInt());
            }
            b.set("x", rnd.nextDouble() * 1e6);
            if (i % 3 != 1) {
                b.set("flag", rnd.nextBoolean());
            }
            if (i % 11 != 0) {
                b.set("city", CITIES[i % CITIES.length]);
            }
            b.set("name", "name-" + i + "-" + "z".repeat(rnd.nextInt(40)));
            if (i % 7 != 3) {
                byte[] blob = new byte[rnd.nextInt(200)];
                rnd.nextBytes(blob);
                b.set("blob", blob);
            }
            b.set("ts", Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L));
            b.set("day", LocalDate.ofEpochDay(19_000 + i % 400));
            out.add(b.build());
        }
        return out;
    }
}
