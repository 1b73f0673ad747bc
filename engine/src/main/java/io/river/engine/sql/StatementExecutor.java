package io.river.engine.sql;

import io.river.engine.RiverEngine;
import io.river.engine.WriteResult;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableExistsException;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.query.QueryException;
import io.river.engine.query.QueryResult;
import io.river.engine.query.QueryStats;
import io.river.engine.query.ResultColumn;
import io.river.engine.scan.Table;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;

/**
 * Runs the statements that are not queries: {@code CREATE TABLE}, {@code DROP TABLE}, {@code ALTER
 * TABLE ... SET/RESET} (retention options),
 * {@code INSERT INTO ... VALUES}, {@code SHOW TABLES} and {@code DESCRIBE}. {@link #handles} tells
 * by the first keyword whether a text is one of them (the caller sends everything else to the
 * query engine). Every statement answers a {@link QueryResult}:
 * <ul>
 *   <li>CREATE TABLE / DROP TABLE / ALTER TABLE: one row, column {@code status} = {@code created},
 *       {@code exists} (IF NOT EXISTS), {@code dropped}, {@code absent} (IF EXISTS) or {@code altered};</li>
 *   <li>INSERT: one row, columns {@code rows} (rows written, BIGINT) and {@code lsn} (the WAL entry
 *       of the one atomic, durable write);</li>
 *   <li>SHOW TABLES: {@code name}, {@code mode} ({@code append}/{@code upsert}), {@code rows} (an
 *       estimate before de-duplication), {@code retention} (the one in force, e.g. {@code 7 days}; NULL
 *       keeps rows forever), {@code retention_column}, by name;</li>
 *   <li>DESCRIBE t: DuckDB's columns {@code column_name}, {@code column_type}, {@code null}
 *       ({@code YES}/{@code NO}), {@code key} ({@code PRI} for the key column), {@code default},
 *       {@code extra} ({@code retention 7 days} on the column rows are aged by), one row per column of
 *       the current schema.</li>
 * </ul>
 * Errors: {@link QueryException} for the statement itself (syntax, unknown table or column,
 * unsupported clause, {@code DROP TABLE default}); {@link StatementException} for a table that
 * exists already and for values that cannot be stored (naming the 1-based row and the column).
 * Thread-safe.
 */
public final class StatementExecutor {
    private static final Pattern FIRST_WORD =
            Pattern.compile("\\A(?:\\s+|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)*([A-Za-z]+)", Pattern.DOTALL);
    private static final List<String> KEYWORDS =
            List.of("CREATE", "DROP", "ALTER", "INSERT", "SHOW", "DESCRIBE", "DESC");
    private static final List<String> CHANGING = List.of("CREATE", "DROP", "ALTER", "INSERT");
    private static final Pattern ALTER_OPTIONS =
            Pattern.compile("\\A\\s*(SET|RESET)\\s*(\\(.*\\))\\s*\\z", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final RiverEngine engine;
    private final AtomicLong inserts = new AtomicLong(new SecureRandom().nextInt() & 0xffffffffL);

    public StatementExecutor(RiverEngine engine) {
        this.engine = engine;
    }

    /** True when the first keyword of {@code sql} (after comments) is one this executor runs. */
    public static boolean handles(String sql) {
        return KEYWORDS.contains(firstWord(sql));
    }

    /** True for the statements that change tables or data (CREATE, DROP, ALTER, INSERT). */
    public static boolean changesData(String sql) {
        return CHANGING.contains(firstWord(sql));
    }

    private static String firstWord(String sql) {
        Matcher m = FIRST_WORD.matcher(sql);
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
    }

    /** Parses and runs one statement; see the class comment for answers and errors. */
    public QueryResult execute(String sql) throws IOException {
        long start = System.nanoTime();
        Statement st = parse(sql);
        QueryResult r;
        if (st instanceof CreateTable) {
            r = create((CreateTable) st);
        } else if (st instanceof Drop) {
            r = drop((Drop) st);
        } else if (st instanceof Alter) {
            r = alter((Alter) st);
        } else if (st instanceof Insert) {
            r = insert((Insert) st);
        } else if (st instanceof ShowTablesStatement) {
            r = showTables((ShowTablesStatement) st);
        } else if (st instanceof DescribeStatement) {
            r = describe((DescribeStatement) st);
        } else {
            throw new QueryException(
                    QueryException.UNSUPPORTED,
                    "statement not supported: " + st.getClass().getSimpleName().replace("Statement", ""));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new QueryResult(r.columns(), r.rows(), new QueryStats(0, 0, ms));
    }

    /** The one statement of {@code sql} (a trailing semicolon is fine; a second statement is refused). */
    private static Statement parse(String sql) {
        try {
            Statements all = CCJSqlParserUtil.parseStatements(sql);
            if (all.size() != 1) {
                throw new QueryException(QueryException.UNSUPPORTED, "one statement per request, got " + all.size());
            }
            return all.get(0);
        } catch (JSQLParserException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String msg = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
            throw new QueryException(QueryException.SYNTAX_ERROR, "cannot parse the statement: " + msg);
        }
    }

    // ---------------------------------------------------------------- CREATE / DROP

    private QueryResult create(CreateTable ct) throws IOException {
        TableDefinition def = TableDeclarations.definition(ct);
        if (ct.isIfNotExists() && engine.table(def.name()).isPresent()) {
            return status("exists");
        }
        try {
            engine.createTable(def);
            return status("created");
        } catch (TableExistsException e) {
            if (ct.isIfNotExists()) {
                return status("exists");
            }
            throw new StatementException(StatementException.TABLE_EXISTS, e.getMessage());
        }
    }

    private QueryResult drop(Drop d) throws IOException {
        if (!"TABLE".equalsIgnoreCase(d.getType())) {
            throw new QueryException(
                    QueryException.UNSUPPORTED,
                    "DROP " + d.getType() + " is not supported; " + "River drops tables only");
        }
        String name = SqlNames.unquote(d.getName().getName());
        if (RiverEngine.DEFAULT_TABLE.equals(name)) {
            throw new QueryException(QueryException.INVALID_QUERY, "table '" + name + "' cannot be dropped");
        }
        if (engine.dropTable(name)) {
            return status("dropped");
        }
        if (d.isIfExists()) {
            return status("absent");
        }
        throw new QueryException(QueryException.UNKNOWN_TABLE, "table '" + name + "' does not exist");
    }

    /**
     * {@code ALTER TABLE t SET (retention = '7 days', retention_column = 'ts')} or {@code ALTER TABLE t
     * RESET (retention, retention_column)}: (1) the table must exist, (2) the options change its current
     * setting ({@link TableOptions}), (3) the engine records the new setting durably before it applies.
     * Answers {@code status} = {@code altered}.
     */
    private QueryResult alter(Alter al) throws IOException {
        Table table = table(al.getTable().getName());
        if (al.getAlterExpressions() == null || al.getAlterExpressions().size() != 1) {
            throw alterUnsupported();
        }
        Matcher m = ALTER_OPTIONS.matcher(al.getAlterExpressions().get(0).toString());
        if (!m.matches()) {
            throw alterUnsupported();
        }
        TableRetention next = m.group(1).equalsIgnoreCase("SET")
                ? TableOptions.set(m.group(2), table.retentionSetting())
                : TableOptions.reset(m.group(2), table.retentionSetting());
        try {
            if (!engine.setRetention(table.name(), next)) {
                throw new QueryException(QueryException.UNKNOWN_TABLE, "table '" + table.name() + "' does not exist");
            }
        } catch (SchemaException e) {
            throw new QueryException(QueryException.INVALID_QUERY, e.getMessage());
        }
        return status("altered");
    }

    private static QueryException alterUnsupported() {
        return new QueryException(
                QueryException.UNSUPPORTED,
                "ALTER TABLE supports SET (retention = '7 days', retention_column = 'ts') and RESET (retention, "
                        + "retention_column) only");
    }

    private static QueryResult status(String status) {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {status});
        return new QueryResult(List.of(new ResultColumn("status", ColumnType.STRING)), rows, null);
    }

    // ---------------------------------------------------------------- INSERT

    /**
     * INSERT in four steps: (1) resolve the table and the target columns, (2) convert each VALUES
     * row to the columns' types, checking NOT NULL, (3) key the rows (the key column's value in an
     * upsert table, a fresh unique key in an append table), (4) write them as one batch.
     */
    private QueryResult insert(Insert in) throws IOException {
        Table table = table(in.getTable().getName());
        List<Column> targets = targets(in, table.schema());
        List<List<Expression>> values = valueRows(in);
        List<Row> rows = new ArrayList<>(values.size());
        Instant now = Instant.now();
        String prefix =
                String.format(Locale.ROOT, "%011x%08x/", now.toEpochMilli(), inserts.getAndIncrement() & 0xffffffffL);
        for (int i = 0; i < values.size(); i++) {
            Map<String, Object> row = convertRow(values.get(i), targets, table.constraints(), i + 1);
            row.put(SystemColumns.INGESTED_AT, now);
            rows.add(keyed(row, table, prefix, i + 1));
        }
        WriteBatch.Builder batch = WriteBatch.builder();
        for (Row r : rows) {
            batch.add(table.name(), r);
        }
        WriteResult result;
        try {
            result = engine.write(batch.build());
        } catch (RowRejectedException e) {
            throw new StatementException(
                    e.column() != null && table.constraints().isNotNull(e.column())
                            ? StatementException.NOT_NULL
                            : StatementException.BAD_VALUE,
                    "row " + (e.index() + 1) + ": " + e.getMessage(),
                    e.index() + 1,
                    e.column());
        } catch (IllegalArgumentException e) {
            throw new QueryException(QueryException.UNKNOWN_TABLE, e.getMessage());
        }
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[] {(long) rows.size(), result.lsn()});
        return new QueryResult(
                List.of(new ResultColumn("rows", ColumnType.INT64), new ResultColumn("lsn", ColumnType.INT64)),
                out,
                null);
    }

    private static List<Column> targets(Insert in, TableSchema schema) {
        List<Column> out = new ArrayList<>();
        List<String> names = SqlNames.insertColumns(in);
        if (names.isEmpty()) {
            for (Column c : schema.columns()) {
                if (!SystemColumns.isSystem(c.name())) {
                    out.add(c);
                }
            }
            return out;
        }
        for (String name : names) {
            Column c = schema.column(name);
            if (c == null) {
                throw new QueryException(
                        QueryException.UNKNOWN_COLUMN,
                        "column '" + name + "' does not exist in "
                                + "table (declare it with CREATE TABLE, or write it once with POST /ingest)");
            }
            if (out.contains(c)) {
                throw new QueryException(QueryException.INVALID_QUERY, "column '" + name + "' is named twice");
            }
            out.add(c);
        }
        return out;
    }

    private static List<List<Expression>> valueRows(Insert in) {
        if (!(in.getSelect() instanceof Values)) {
            throw new QueryException(
                    QueryException.UNSUPPORTED, "INSERT takes a VALUES list (INSERT ... SELECT is " + "not supported)");
        }
        ExpressionList<?> list = ((Values) in.getSelect()).getExpressions();
        List<List<Expression>> rows = new ArrayList<>();
        boolean allLists = !list.isEmpty();
        for (Expression e : list) {
            allLists &= e instanceof ExpressionList;
        }
        if (allLists) {
            for (Expression e : list) {
                rows.add(new ArrayList<>((ExpressionList<?>) e));
            }
        } else {
            rows.add(new ArrayList<>(list));
        }
        return rows;
    }

    private static Map<String, Object> convertRow(
            List<Expression> exprs, List<Column> targets, TableConstraints constraints, long row) {
        if (exprs.size() != targets.size()) {
            throw new QueryException(
                    QueryException.INVALID_QUERY,
                    "row " + row + " has " + exprs.size() + " values for " + targets.size() + " columns");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int c = 0; c < targets.size(); c++) {
            Object v = SqlValues.convert(exprs.get(c), targets.get(c), row);
            if (v != null) {
                values.put(targets.get(c).name(), v);
            }
        }
        for (String notNull : constraints.notNull()) {
            if (values.get(notNull) == null) {
                throw new StatementException(
                        StatementException.NOT_NULL,
                        "row " + row + ", column '" + notNull
                                + "': the column is NOT NULL and the row "
                                + (targets.stream().anyMatch(t -> t.name().equals(notNull))
                                        ? "holds NULL"
                                        : "does not set it"),
                        row,
                        notNull);
            }
        }
        return values;
    }

    private static Row keyed(Map<String, Object> values, Table table, String prefix, long row) {
        String keyColumn = table.constraints().keyColumn();
        if (table.mode() == TableMode.UPSERT) {
            if (keyColumn == null) {
                throw new QueryException(
                        QueryException.UNSUPPORTED,
                        "table '" + table.name() + "' is an upsert table "
                                + "without a declared PRIMARY KEY: write it with POST /ingest?key=...");
            }
            Object key = values.get(keyColumn);
            if (key == null || key instanceof byte[] || key.toString().isEmpty()) {
                throw new StatementException(
                        StatementException.BAD_VALUE,
                        "row " + row + ", column '" + keyColumn + "': the primary key needs a non-empty value",
                        row,
                        keyColumn);
            }
            String pk = key.toString();
            values.put(SystemColumns.KEY, pk);
            return Row.of(pk, values);
        }
        return Row.of(prefix + String.format(Locale.ROOT, "%010d", row), values);
    }

    // ---------------------------------------------------------------- SHOW TABLES / DESCRIBE

    private QueryResult showTables(ShowTablesStatement st) {
        List<Table> tables = engine.tables();
        tables.sort(Comparator.comparing(Table::name));
        List<Object[]> rows = new ArrayList<>();
        for (Table t : tables) {
            long ms = t.retentionMillis();
            rows.add(new Object[] {
                t.name(),
                t.mode().configName(),
                t.estimatedRows(),
                ms == 0 ? null : TableRetention.formatInterval(ms),
                t.retentionSetting().timeColumn()
            });
        }
        return new QueryResult(
                List.of(
                        new ResultColumn("name", ColumnType.STRING),
                        new ResultColumn("mode", ColumnType.STRING),
                        new ResultColumn("rows", ColumnType.INT64),
                        new ResultColumn("retention", ColumnType.STRING),
                        new ResultColumn("retention_column", ColumnType.STRING)),
                rows,
                null);
    }

    private QueryResult describe(DescribeStatement st) {
        Table t = table(st.getTable().getName());
        TableConstraints k = t.constraints();
        long retention = t.retentionMillis();
        String timeColumn = t.retentionSetting().timeColumn();
        List<Object[]> rows = new ArrayList<>();
        for (Column c : t.schema().columns()) {
            rows.add(new Object[] {
                c.name(),
                SqlColumnTypes.name(c.type()),
                k.isNotNull(c.name()) ? "NO" : "YES",
                c.name().equals(k.keyColumn()) ? "PRI" : null,
                null,
                retention > 0 && c.name().equals(timeColumn)
                        ? "retention " + TableRetention.formatInterval(retention)
                        : null
            });
        }
        List<ResultColumn> cols = new ArrayList<>();
        for (String name : List.of("column_name", "column_type", "null", "key", "default", "extra")) {
            cols.add(new ResultColumn(name, ColumnType.STRING));
        }
        return new QueryResult(cols, rows, null);
    }

    private Table table(String written) {
        String name = SqlNames.unquote(written);
        return engine.table(name)
                .orElseThrow(
                        () -> new QueryException(QueryException.UNKNOWN_TABLE, "table '" + name + "' does not exist"));
    }
}
