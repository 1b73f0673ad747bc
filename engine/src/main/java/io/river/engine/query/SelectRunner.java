package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.LogicalPlan.SortKey;
import io.river.engine.query.RelationSchema.SourceColumn;
import io.river.engine.scan.TableSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperation;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.UnionOp;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Runs a parsed SELECT tree: a plain SELECT over a stored table (scanned in parallel by {@link
 * QueryExecution}), over a subquery in FROM or a CTE of a {@code WITH} clause (run first and
 * materialized as rows, then queried on the calling thread), or a {@code UNION ALL} of SELECTs (their
 * rows concatenated, numeric columns widened to a common type, then its ORDER BY / LIMIT applied).
 * {@code now()} is one instant for the whole query. A CTE runs at most once per query however often
 * it is named, and shadows a table of the same name; names of CTEs and tables match
 * case-insensitively. Each stored table is read from its own snapshot. Intermediate answers count
 * against the engine's row limit like final ones. Not thread-safe: one per query.
 */
final class SelectRunner {
    /** Rows of a query or table with their schema, and what producing them cost. */
    record Relation(RelationSchema schema, List<Object[]> rows, long rowsScanned, long blocksSkipped) {}

    private final Catalog catalog;
    private final ExecutorService pool;
    private final int parallelism;
    private final long maxResultRows;
    private final Map<WithItem<?>, Relation> materialized = new IdentityHashMap<>();
    /** What {@code now()} means in every part of the query. */
    private final long nowMillis = System.currentTimeMillis();

    SelectRunner(Catalog catalog, ExecutorService pool, int parallelism, long maxResultRows) {
        this.catalog = catalog;
        this.pool = pool;
        this.parallelism = parallelism;
        this.maxResultRows = maxResultRows;
    }

    /** The answer of {@code select}, with the CTEs of enclosing queries in {@code ctes} (by lower-case name). */
    Relation run(Select select, Map<String, WithItem<?>> ctes) {
        Map<String, WithItem<?>> scope = withScope(select, ctes);
        if (select.getFetch() != null) {
            throw new QueryException(QueryException.UNSUPPORTED, "FETCH is not supported (use LIMIT)");
        }
        if (select instanceof PlainSelect) {
            return runPlain((PlainSelect) select, scope);
        } else if (select instanceof SetOperationList) {
            SetOperationList union = (SetOperationList) select;
            return orderAndLimit(unionAll(union, scope), union.getOrderByElements(), union.getLimit(), union);
        } else if (select instanceof ParenthesedSelect) {
            ParenthesedSelect p = (ParenthesedSelect) select;
            return orderAndLimit(run(p.getSelect(), scope), p.getOrderByElements(), p.getLimit(), p);
        }
        throw new QueryException(
                QueryException.UNSUPPORTED,
                select.getClass().getSimpleName().replace("Values", "VALUES") + " is not supported");
    }

    // ---- WITH ----

    /** The CTEs visible inside {@code select}: the enclosing ones plus its own WITH items. */
    private static Map<String, WithItem<?>> withScope(Select select, Map<String, WithItem<?>> outer) {
        List<WithItem<?>> items = select.getWithItemsList();
        if (items == null || items.isEmpty()) {
            return outer;
        }
        Map<String, WithItem<?>> scope = new HashMap<>(outer);
        for (WithItem<?> w : items) {
            if (w.isRecursive()) {
                throw new QueryException(QueryException.UNSUPPORTED, "WITH RECURSIVE is not supported");
            }
            if (w.getSelect() == null) {
                throw new QueryException(QueryException.UNSUPPORTED, "WITH items must be SELECT queries");
            }
            String name = QueryPlanner.unquote(w.getAliasName()).toLowerCase(Locale.ROOT);
            if (items.stream()
                            .filter(o -> QueryPlanner.unquote(o.getAliasName()).equalsIgnoreCase(name))
                            .count()
                    > 1) {
                throw new QueryException(QueryException.INVALID_QUERY, "WITH names " + name + " twice");
            }
            scope.put(name, w);
        }
        return scope;
    }

    /** The CTE's rows, computed on first use; its column list, if any, renames its columns. */
    private Relation cte(WithItem<?> w, Map<String, WithItem<?>> scope) {
        Relation r = materialized.get(w);
        if (r == null) {
            Map<String, WithItem<?>> visible = new HashMap<>(scope);
            visible.remove(QueryPlanner.unquote(w.getAliasName()).toLowerCase(Locale.ROOT));
            r = run(w.getSelect(), visible);
            List<SelectItem<?>> names = w.getWithItemList();
            if (names != null && !names.isEmpty()) {
                r = renamed(r, names, w.getAliasName());
            }
            materialized.put(w, r);
        }
        return r;
    }

    private static Relation renamed(Relation r, List<SelectItem<?>> names, String cte) {
        List<SourceColumn> columns = new ArrayList<>(r.schema().columns());
        if (names.size() > columns.size()) {
            throw new QueryException(
                    QueryException.INVALID_QUERY,
                    "WITH " + cte + " names " + names.size() + " columns, but its query has " + columns.size());
        }
        for (int i = 0; i < names.size(); i++) {
            columns.set(
                    i,
                    new SourceColumn(
                            QueryPlanner.unquote(names.get(i).toString()),
                            columns.get(i).type()));
        }
        return new Relation(new RelationSchema(columns), r.rows(), r.rowsScanned(), r.blocksSkipped());
    }

    // ---- plain SELECT ----

    /**
     * A plain SELECT:
     * <ol>
     *   <li>without FROM, over one empty row;</li>
     *   <li>FROM a CTE's name or a subquery, over its materialized rows;</li>
     *   <li>FROM a stored table, over one snapshot of it.</li>
     * </ol>
     */
    private Relation runPlain(PlainSelect ps, Map<String, WithItem<?>> scope) {
        SqlFrontEnd.checkPlainSelect(ps);
        FromItem from = ps.getFromItem();
        if (from == null) {
            LogicalPlan plan = QueryPlanner.plan(ps, null, null, null, nowMillis);
            QueryExecution.Result r =
                    new QueryExecution(plan, new ColumnType[0], maxResultRows).run(null, pool, parallelism);
            return relation(plan, r, 0, 0);
        }
        SqlFrontEnd.checkFromItem(from);
        String alias = from.getAlias() == null
                ? null
                : QueryPlanner.unquote(from.getAlias().getName());
        if (from instanceof ParenthesedSelect) {
            Relation source = run(((ParenthesedSelect) from).getSelect(), scope);
            return overRows(ps, alias != null ? alias : "unnamed_subquery", null, source);
        }
        Table table = (Table) from;
        String name = QueryPlanner.unquote(table.getName());
        WithItem<?> cte = scope.get(name.toLowerCase(Locale.ROOT));
        if (cte != null) {
            return overRows(ps, name, alias, cte(cte, scope));
        }
        return overTable(ps, resolveTable(name), alias);
    }

    private Relation overRows(PlainSelect ps, String name, String alias, Relation source) {
        LogicalPlan plan = QueryPlanner.plan(ps, name, alias, source.schema(), nowMillis);
        ColumnType[] types = new ColumnType[plan.scanColumns().size()];
        int[] positions = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            positions[i] = source.schema().indexOf(plan.scanColumns().get(i));
            types[i] = source.schema().columns().get(positions[i]).type();
        }
        QueryExecution.Result r = new QueryExecution(plan, types, maxResultRows).runRows(source.rows(), positions);
        return relation(plan, r, source.rowsScanned(), source.blocksSkipped());
    }

    private Relation overTable(PlainSelect ps, String table, String alias) {
        try (TableSnapshot snapshot = catalog.snapshot(table)) {
            RelationSchema schema = RelationSchema.of(snapshot.schema());
            LogicalPlan plan = QueryPlanner.plan(ps, table, alias, schema, nowMillis);
            ColumnType[] types = new ColumnType[plan.scanColumns().size()];
            for (int i = 0; i < types.length; i++) {
                types[i] = schema.column(plan.scanColumns().get(i)).type();
            }
            QueryExecution.Result r = new QueryExecution(plan, types, maxResultRows).run(snapshot, pool, parallelism);
            return relation(plan, r, 0, 0);
        }
    }

    private static Relation relation(
            LogicalPlan plan, QueryExecution.Result r, long scannedBefore, long skippedBefore) {
        List<SourceColumn> columns = new ArrayList<>();
        for (int i = 0; i < plan.outputs().size(); i++) {
            columns.add(new SourceColumn(
                    plan.outputNames().get(i), plan.outputs().get(i).type()));
        }
        return new Relation(
                new RelationSchema(columns),
                r.rows(),
                scannedBefore + r.rowsScanned(),
                skippedBefore + r.blocksSkipped());
    }

    /** The exact table name, else the one name equal ignoring case; unknown_table otherwise. */
    private String resolveTable(String name) {
        List<String> names = catalog.tableNames();
        if (names.contains(name)) {
            return name;
        }
        String found = null;
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                if (found != null) {
                    throw new QueryException(
                            QueryException.UNKNOWN_TABLE,
                            "table name " + name + " is ambiguous (" + found + ", " + n + "); quote it");
                }
                found = n;
            }
        }
        if (found == null) {
            throw new QueryException(
                    QueryException.UNKNOWN_TABLE,
                    "table " + name + " does not exist"
                            + (names.isEmpty()
                                    ? ""
                                    : " (tables: " + String.join(", ", names.subList(0, Math.min(20, names.size())))
                                            + (names.size() > 20 ? ", ..." : "") + ")"));
        }
        return found;
    }

    // ---- UNION ALL ----

    /**
     * The branches' rows one after the other, under the first branch's column names; each column
     * takes the widest numeric type of its branches, or the one type of the branches that are not
     * all NULL.
     */
    private Relation unionAll(SetOperationList union, Map<String, WithItem<?>> scope) {
        for (SetOperation op : union.getOperations()) {
            if (!(op instanceof UnionOp) || !((UnionOp) op).isAll()) {
                throw new QueryException(
                        QueryException.UNSUPPORTED,
                        op + " is not supported: UNION ALL is; UNION," + " INTERSECT and EXCEPT are not");
            }
        }
        List<Relation> branches = new ArrayList<>();
        for (Select s : union.getSelects()) {
            branches.add(run(s, scope));
        }
        List<SourceColumn> columns = unionColumns(branches);
        List<Object[]> rows = new ArrayList<>();
        long scanned = 0;
        long skipped = 0;
        for (Relation b : branches) {
            for (Object[] row : b.rows()) {
                Object[] out = new Object[row.length];
                for (int c = 0; c < row.length; c++) {
                    out[c] = widen(row[c], columns.get(c).type());
                }
                rows.add(out);
            }
            scanned += b.rowsScanned();
            skipped += b.blocksSkipped();
            if (rows.size() > maxResultRows) {
                throw new QueryException(
                        QueryException.RESULT_TOO_LARGE,
                        "UNION ALL has more than " + maxResultRows + " rows; add a LIMIT or a more selective WHERE");
            }
        }
        return new Relation(new RelationSchema(columns), rows, scanned, skipped);
    }

    private static List<SourceColumn> unionColumns(List<Relation> branches) {
        List<SourceColumn> first = branches.get(0).schema().columns();
        List<SourceColumn> out = new ArrayList<>();
        for (int c = 0; c < first.size(); c++) {
            ColumnType type = null;
            for (Relation b : branches) {
                if (b.schema().columns().size() != first.size()) {
                    throw new QueryException(
                            QueryException.INVALID_QUERY,
                            "UNION ALL branches have " + first.size() + " and "
                                    + b.schema().columns().size() + " columns");
                }
                ColumnType t = b.schema().columns().get(c).type();
                if (allNull(b.rows(), c) && (type != null || branches.size() > 1)) {
                    continue;
                }
                type = commonType(type, t, first.get(c).name());
            }
            out.add(new SourceColumn(
                    first.get(c).name(), type == null ? first.get(c).type() : type));
        }
        return out;
    }

    private static boolean allNull(List<Object[]> rows, int column) {
        return rows.stream().allMatch(r -> r[column] == null);
    }

    private static ColumnType commonType(ColumnType a, ColumnType b, String column) {
        if (a == null || a == b) {
            return b;
        }
        if (a.isNumeric() && b.isNumeric()) {
            return a.widen(b);
        }
        throw new QueryException(
                QueryException.TYPE_MISMATCH,
                "UNION ALL column " + column + " mixes " + SqlTypes.sqlName(a) + " and " + SqlTypes.sqlName(b));
    }

    /** A result value converted to the wider numeric type of its UNION ALL column. */
    private static Object widen(Object v, ColumnType type) {
        if (v == null) {
            return null;
        }
        switch (type) {
            case INT64:
                return v instanceof Integer ? Long.valueOf((Integer) v) : v;
            case FLOAT64:
                return v instanceof Number ? ((Number) v).doubleValue() : v;
            default:
                return v;
        }
    }

    // ---- ORDER BY / LIMIT of a UNION ALL or parenthesized query ----

    private Relation orderAndLimit(Relation r, List<OrderByElement> order, Limit limit, Select at) {
        List<Object[]> rows = r.rows();
        if (order != null && !order.isEmpty()) {
            List<SortKey> keys = new ArrayList<>();
            int[] positions = new int[order.size()];
            for (int k = 0; k < order.size(); k++) {
                OrderByElement o = order.get(k);
                positions[k] = outputPosition(r.schema(), o.getExpression());
                SourceColumn c = r.schema().columns().get(positions[k]);
                keys.add(new SortKey(
                        new Expr.ColumnRef(positions[k], c.name(), c.type()),
                        !o.isAsc(),
                        o.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST));
            }
            rows = new ArrayList<>(rows);
            rows.sort(ValueOrder.rows(keys, positions));
        }
        long offset = at.getOffset() == null
                ? 0
                : QueryPlanner.nonNegative(at.getOffset().getOffset(), "OFFSET");
        long count = -1;
        if (limit != null) {
            if (limit.getOffset() != null) {
                offset = QueryPlanner.nonNegative(limit.getOffset(), "OFFSET");
            }
            if (limit.getRowCount() != null && !limit.isLimitAll() && !limit.isLimitNull()) {
                count = QueryPlanner.nonNegative(limit.getRowCount(), "LIMIT");
            }
        }
        if (offset > 0 || count >= 0) {
            int from = (int) Math.min(offset, rows.size());
            int to = count < 0 ? rows.size() : (int) Math.min(rows.size(), from + count);
            rows = rows.subList(from, to);
        }
        return new Relation(r.schema(), rows, r.rowsScanned(), r.blocksSkipped());
    }

    /** An ORDER BY item of a UNION ALL: a position in its columns or one of their names. */
    private static int outputPosition(RelationSchema schema, Expression e) {
        int size = schema.columns().size();
        if (e instanceof LongValue) {
            long n = ((LongValue) e).getValue();
            if (n < 1 || n > size) {
                throw SqlPositions.error(
                        QueryException.INVALID_QUERY,
                        "ORDER BY position " + n + " is not in the select list (1.." + size + ")",
                        e);
            }
            return (int) n - 1;
        }
        if (e instanceof Column && ((Column) e).getTable() == null) {
            String name = QueryPlanner.unquote(((Column) e).getColumnName());
            for (int i = 0; i < size; i++) {
                if (schema.columns().get(i).name().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            throw SqlPositions.error(
                    QueryException.UNKNOWN_COLUMN, "ORDER BY column " + name + " is not a column of the UNION ALL", e);
        }
        throw SqlPositions.error(
                QueryException.UNSUPPORTED,
                "ORDER BY of a UNION ALL takes column names or" + " positions, not " + e,
                e);
    }
}
