package io.river.engine.query;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The seeded random table of the differential test, {@code t}: a unique ordered id, small and wide
 * integers, doubles, a skewed low-cardinality string, a high-cardinality unicode string, booleans,
 * roughly increasing timestamps, short blobs, and a column that is NULL in the first 40% of rows
 * (so early blocks lack it). Every value column has NULLs. Loads itself into DuckDB and hands out
 * literal samples for the query generator. Immutable after construction.
 */
final class DifferentialData {
    static final List<Column> COLUMNS = List.of(
            new Column("id", ColumnType.INT64),
            new Column("i", ColumnType.INT32),
            new Column("l", ColumnType.INT64),
            new Column("d", ColumnType.FLOAT64),
            new Column("s", ColumnType.STRING),
            new Column("h", ColumnType.STRING),
            new Column("f", ColumnType.BOOLEAN),
            new Column("ts", ColumnType.TIMESTAMP),
            new Column("b", ColumnType.BYTES),
            new Column("late", ColumnType.INT64));

    private static final String[] SKEWED = {
        "Paris",
        "Paris",
        "Paris",
        "Paris",
        "Berlin",
        "Berlin",
        "Rome",
        "a",
        "b",
        "é",
        "日本",
        "",
        "Zürich",
        "paris",
        "ｶﾀｶﾅ",
        "\uD83D\uDE42x"
    };
    private static final String HIGH_CHARS = "abcdefgxyzABXYZ019 _-éüß日本語🙂Ａ\uFFFD";
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final List<Object[]> rows = new ArrayList<>();

    DifferentialData(long seed, int n) {
        Random r = new Random(seed);
        long t = BASE.toEpochMilli();
        for (int id = 0; id < n; id++) {
            t += r.nextInt(60_000) + (r.nextInt(50) == 0 ? 7_200_000 : 0);
            Object[] row = new Object[COLUMNS.size()];
            row[0] = (long) id;
            row[1] = r.nextInt(10) == 0 ? null : r.nextInt(201) - 100;
            row[2] = r.nextInt(10) == 0 ? null : (long) (r.nextDouble() * 2e12 - 1e12);
            row[3] = r.nextInt(10) == 0 ? null : Math.round((r.nextDouble() * 2000 - 1000) * 100) / 100.0 + 0.0;
            row[4] = r.nextInt(10) == 0 ? null : SKEWED[(int) Math.floor(Math.pow(r.nextDouble(), 2) * SKEWED.length)];
            row[5] = r.nextInt(20) == 0 ? null : randomString(r);
            row[6] = r.nextInt(7) == 0 ? null : r.nextBoolean();
            row[7] = r.nextInt(20) == 0 ? null : Instant.ofEpochMilli(t - (r.nextInt(4) == 0 ? r.nextInt(600_000) : 0));
            row[8] = r.nextInt(10) == 0 ? null : randomBytes(r);
            row[9] = id < n * 2 / 5 || r.nextInt(10) == 0 ? null : (long) (r.nextInt(200) - 100);
            rows.add(row);
        }
    }

    private static String randomString(Random r) {
        int len = r.nextInt(10);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < len; k++) {
            sb.appendCodePoint(HIGH_CHARS.codePointAt(
                    HIGH_CHARS.offsetByCodePoints(0, r.nextInt(HIGH_CHARS.codePointCount(0, HIGH_CHARS.length())))));
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(3)];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (r.nextInt(4) * 60);
        }
        return b;
    }

    List<Object[]> rows() {
        return rows;
    }

    int size() {
        return rows.size();
    }

    void loadInto(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            // the appender cannot write BLOBs: stage them as hex and convert
            st.execute(
                    "CREATE TABLE t_stage (id BIGINT, i INTEGER, l BIGINT, d DOUBLE, s VARCHAR, h VARCHAR, f BOOLEAN,"
                            + " ts TIMESTAMP, b VARCHAR, late BIGINT)");
        }
        try (DuckDBAppender a = ((DuckDBConnection) c).createAppender("main", "t_stage")) {
            for (Object[] row : rows) {
                a.beginRow();
                for (int k = 0; k < row.length; k++) {
                    Object v = row[k];
                    if (v == null) {
                        a.appendNull();
                    } else if (v instanceof Long) {
                        a.append((long) (Long) v);
                    } else if (v instanceof Integer) {
                        a.append((int) (Integer) v);
                    } else if (v instanceof Double) {
                        a.append((double) (Double) v);
                    } else if (v instanceof String) {
                        a.append((String) v);
                    } else if (v instanceof Boolean) {
                        a.append((boolean) (Boolean) v);
                    } else if (v instanceof Instant) {
                        a.append(LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC));
                    } else {
                        a.append(HexFormat.of().formatHex((byte[]) v));
                    }
                }
                a.endRow();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t AS SELECT id, i, l, d, s, h, f, ts, unhex(b) AS b, late FROM t_stage");
            st.execute("DROP TABLE t_stage");
        }
    }

    // ---- literal samples ----

    private Object value(Random r, int col) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Object v = rows.get(r.nextInt(rows.size()))[col];
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    String sampleInt(Random r) {
        return r.nextInt(6) == 0 ? String.valueOf(r.nextInt(300) - 150) : String.valueOf(value(r, 1));
    }

    String sampleLong(Random r) {
        return String.valueOf(value(r, 2));
    }

    String sampleDouble(Random r) {
        return r.nextInt(4) == 0 ? String.valueOf(r.nextInt(2000) - 1000) : String.valueOf(value(r, 3));
    }

    String sampleString(Random r) {
        return r.nextInt(8) == 0 ? "Q" : (String) value(r, 4);
    }

    String sampleHigh(Random r) {
        return (String) value(r, 5);
    }

    String sampleTimestamp(Random r) {
        Instant t = (Instant) value(r, 7);
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(TS);
    }

    String likePattern(Random r) {
        String s = r.nextBoolean() ? (String) value(r, 4) : (String) value(r, 5);
        if (s == null || s.isEmpty()) {
            return "%";
        }
        int cps = s.codePointCount(0, s.length());
        int cut = s.offsetByCodePoints(0, 1 + r.nextInt(cps));
        String head = s.substring(0, cut);
        String tail = s.substring(s.offsetByCodePoints(0, r.nextInt(cps)));
        switch (r.nextInt(6)) {
            case 0:
                return head + "%";
            case 1:
                return "%" + tail;
            case 2:
                return "%"
                        + head.substring(head.offsetByCodePoints(
                                0, Math.min(1, head.codePointCount(0, head.length()) - 1)))
                        + "%";
            case 3:
                return "_" + (cps > 1 ? s.substring(s.offsetByCodePoints(0, 1)) : "");
            case 4:
                return head + "_%";
            default:
                return s;
        }
    }
}
