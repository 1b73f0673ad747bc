package io.river.bench;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.WriteBatch;
import io.river.engine.sql.StatementExecutor;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads {@link ClickBenchData} the way users do: into River, {@code CREATE TABLE} through the SQL
 * statement path, the first rows with one {@code INSERT INTO ... VALUES} statement, the rest in
 * batches through the row API the ingest route and the Connect sink write with, then synced, flushed
 * and compacted to segments; into DuckDB, the same {@code CREATE TABLE} and its appender. Stateless.
 */
public final class ClickBenchLoad {
    /** Rows written by the INSERT statement (the rest go through the row API). */
    static final int INSERTED_ROWS = 200;

    private static final int BATCH_ROWS = 10_000;

    private ClickBenchLoad() {}

    /** Creates and fills {@code hits} in {@code river}. */
    public static void intoRiver(RiverEngine river, ClickBenchData data) throws IOException {
        StatementExecutor statements = new StatementExecutor(river);
        statements.execute(ClickBenchData.createTableSql());
        int inserted = Math.min(INSERTED_ROWS, data.rows());
        statements.execute(insertStatement(data, inserted));
        int columns = ClickBenchData.COLUMNS.size();
        WriteBatch.Builder batch = WriteBatch.builder();
        for (int i = inserted; i < data.rows(); i++) {
            Map<String, Object> values = new HashMap<>(columns * 2);
            for (int c = 0; c < columns; c++) {
                values.put(ClickBenchData.COLUMNS.get(c), data.value(i, c));
            }
            batch.add(ClickBenchData.TABLE, Row.of(SystemColumns.appendKey(0, i), values));
            if (batch.size() == BATCH_ROWS) {
                river.writeDeferred(batch.build());
                batch = WriteBatch.builder();
            }
        }
        if (batch.size() > 0) {
            river.writeDeferred(batch.build());
        }
        river.sync();
        river.flush();
        river.compact();
    }

    /** {@code INSERT INTO hits VALUES (...), ...} of the first {@code n} rows, as SQL literals. */
    static String insertStatement(ClickBenchData data, int n) {
        StringBuilder sb =
                new StringBuilder("INSERT INTO ").append(ClickBenchData.TABLE).append(" VALUES ");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "(" : ", (");
            for (int c = 0; c < ClickBenchData.COLUMNS.size(); c++) {
                sb.append(c == 0 ? "" : ", ").append(literal(data.value(i, c)));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static String literal(Object v) {
        if (v instanceof String) {
            return "'" + ((String) v).replace("'", "''") + "'";
        } else if (v instanceof Instant) {
            return "TIMESTAMP '"
                    + LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC)
                            .toString()
                            .replace('T', ' ') + "'";
        } else if (v instanceof LocalDate) {
            return "DATE '" + v + "'";
        }
        return String.valueOf(v);
    }

    /** Creates and fills {@code hits} in DuckDB. */
    public static void intoDuckDb(Connection duck, ClickBenchData data) throws SQLException {
        try (Statement st = duck.createStatement()) {
            st.execute(ClickBenchData.createTableSql());
        }
        try (DuckDBAppender app =
                ((DuckDBConnection) duck).createAppender(DuckDBConnection.DEFAULT_SCHEMA, ClickBenchData.TABLE)) {
            for (int i = 0; i < data.rows(); i++) {
                app.beginRow();
                for (int c = 0; c < ClickBenchData.COLUMNS.size(); c++) {
                    appendCell(app, ClickBenchData.TYPES.get(c), data.value(i, c));
                }
                app.endRow();
            }
        }
    }

    private static void appendCell(DuckDBAppender app, String type, Object v) throws SQLException {
        if (type.startsWith("SMALLINT")) {
            app.append((short) (int) (Integer) v);
        } else if (v instanceof Integer) {
            app.append((int) (Integer) v);
        } else if (v instanceof Long) {
            app.append((long) (Long) v);
        } else if (v instanceof String) {
            app.append((String) v);
        } else if (v instanceof Instant) {
            app.append(LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC));
        } else if (v instanceof LocalDate) {
            app.append((LocalDate) v);
        } else {
            throw new IllegalArgumentException("no DuckDB appender call for " + v);
        }
    }
}
