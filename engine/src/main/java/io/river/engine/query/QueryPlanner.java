package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.AggregateCall.Function;
import io.river.engine.query.LogicalPlan.SortKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.AllValue;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Turns one parsed {@link PlainSelect} over one table into a {@link LogicalPlan}: resolves names
 * against the table schema (exact, then case-insensitive), expands {@code *}, finds aggregates,
 * matches SELECT/HAVING/ORDER BY expressions against GROUP BY keys, resolves ORDER BY and GROUP BY
 * aliases and ordinals, and rewrites SELECT DISTINCT as a grouping. Not thread-safe (one per query).
 */
final class QueryPlanner {
    private final String table;
    private final String alias;
    private final RelationSchema schema;
    private final List<String> scanColumns = new ArrayList<>();
    private final List<Expr> groupKeys = new ArrayList<>();
    private final List<AggregateCall> aggregates = new ArrayList<>();
    private final long nowMillis;

    private QueryPlanner(String table, String alias, RelationSchema schema, long nowMillis) {
        this.table = table;
        this.alias = alias;
        this.schema = schema;
        this.nowMillis = nowMillis;
    }

    /**
     * Plans {@code select} over {@code table} (its resolved name; {@code alias} as written or null);
     * {@code table}/{@code schema} are null for a SELECT without FROM.
     */
    static LogicalPlan plan(PlainSelect select, String table, String alias, RelationSchema schema) {
        return plan(select, table, alias, schema, System.currentTimeMillis());
    }

    /** As {@link #plan(PlainSelect, String, String, RelationSchema)}, with {@code now()} meaning {@code nowMillis}. */
    static LogicalPlan plan(PlainSelect select, String table, String alias, RelationSchema schema, long nowMillis) {
        try {
            return new QueryPlanner(table, alias, schema, nowMillis).plan(select);
        } catch (StackOverflowError e) {
            throw SqlFrontEnd.tooComplex();
        }
    }

    private record Item(Expression ast, String name, String alias) {}

    /**
     * A reference to a source column by its exact name, as {@code *} expands to; unlike a parsed
     * {@link Column}, a name with dots or parentheses (a subquery's {@code (d * 2.5)}) stays whole.
     */
    private static final class ExactColumn extends Column {
        private final String name;

        ExactColumn(String name) {
            this.name = name;
        }

        @Override
        public String getColumnName() {
            return name;
        }

        @Override
        public Table getTable() {
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private LogicalPlan plan(PlainSelect select) {
        List<Item> items = expandItems(select);
        List<Expr> filters = new ArrayList<>();
        if (select.getWhere() != null) {
            Expr where = scanBinder("WHERE").bind(select.getWhere());
            requireBoolean(where, "WHERE", select.getWhere());
            splitConjuncts(where, filters);
        }
        boolean distinct = select.getDistinct() != null;
        if (distinct && select.getDistinct().getOnSelectItems() != null) {
            throw new QueryException(QueryException.UNSUPPORTED, "DISTINCT ON is not supported");
        }
        boolean aggregate = select.getGroupBy() != null
                || select.getHaving() != null
                || items.stream().anyMatch(i -> containsAggregate(i.ast()))
                || (select.getOrderByElements() != null
                        && select.getOrderByElements().stream().anyMatch(o -> containsAggregate(o.getExpression())));
        if (distinct && aggregate) {
            throw new QueryException(
                    QueryException.UNSUPPORTED, "SELECT DISTINCT with GROUP BY or aggregates is not supported");
        }
        List<Expr> outputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Expr having = null;
        List<SortKey> orderBy;
        if (distinct) {
            ExpressionBinder scan = scanBinder("SELECT DISTINCT");
            for (Item item : items) {
                Expr e = scan.bind(item.ast());
                int k = groupKeys.indexOf(e);
                if (k < 0) {
                    groupKeys.add(e);
                    k = groupKeys.size() - 1;
                }
                outputs.add(new Expr.ColumnRef(k, item.name(), e.type()));
                names.add(item.name());
            }
            orderBy = orderBy(select, items, outputs, postBinder());
        } else if (aggregate) {
            bindGroupBy(select.getGroupBy(), items);
            ExpressionBinder post = postBinder();
            for (Item item : items) {
                outputs.add(post.bind(item.ast()));
                names.add(item.name());
            }
            if (select.getHaving() != null) {
                having = post.bind(select.getHaving());
                requireBoolean(having, "HAVING", select.getHaving());
            }
            orderBy = orderBy(select, items, outputs, post);
        } else {
            ExpressionBinder scan = scanBinder("SELECT");
            for (Item item : items) {
                outputs.add(scan.bind(item.ast()));
                names.add(item.name());
            }
            orderBy = orderBy(select, items, outputs, scan);
        }
        long[] limitOffset = limitOffset(select);
        checkDepth(filters, outputs, having, orderBy);
        return new LogicalPlan(
                table,
                scanColumns,
                filters,
                aggregate || distinct,
                groupKeys,
                aggregates,
                having,
                outputs,
                names,
                orderBy,
                limitOffset[0],
                limitOffset[1]);
    }

    /** Refuses expressions nested too deeply to evaluate (see {@link ExprDepth}). */
    private void checkDepth(List<Expr> filters, List<Expr> outputs, Expr having, List<SortKey> orderBy) {
        filters.forEach(ExprDepth::check);
        outputs.forEach(ExprDepth::check);
        groupKeys.forEach(ExprDepth::check);
        aggregates.stream().filter(a -> a.arg() != null).forEach(a -> ExprDepth.check(a.arg()));
        orderBy.forEach(k -> ExprDepth.check(k.expr()));
        if (having != null) {
            ExprDepth.check(having);
        }
    }

    private List<Item> expandItems(PlainSelect select) {
        List<Item> items = new ArrayList<>();
        for (SelectItem<?> si : select.getSelectItems()) {
            Expression e = si.getExpression();
            if (e instanceof AllTableColumns) {
                checkQualifier(((AllTableColumns) e).getTable().getName(), e);
                addAll(items, e);
            } else if (e instanceof AllColumns) {
                AllColumns all = (AllColumns) e;
                if (all.getExceptColumns() != null || all.getReplaceExpressions() != null) {
                    throw SqlPositions.error(QueryException.UNSUPPORTED, "* EXCLUDE/REPLACE is not supported", e);
                }
                addAll(items, e);
            } else {
                String alias =
                        si.getAlias() == null ? null : unquote(si.getAlias().getName());
                String name = alias != null
                        ? alias
                        : e instanceof Column ? unquote(((Column) e).getColumnName()) : e.toString();
                if (alias == null && e instanceof Column && schema != null) {
                    RelationSchema.SourceColumn c = findColumn(
                            unquote(((Column) e).getColumnName()),
                            ((Column) e).getColumnName().startsWith("\""));
                    if (c != null) {
                        name = c.name();
                    }
                }
                items.add(new Item(e, name, alias));
            }
        }
        return items;
    }

    private void addAll(List<Item> items, Expression star) {
        if (schema == null) {
            throw SqlPositions.error(QueryException.INVALID_QUERY, "SELECT * needs a FROM clause", star);
        }
        for (RelationSchema.SourceColumn c : schema.starColumns()) {
            items.add(new Item(new ExactColumn(c.name()), c.name(), null));
        }
    }

    private void bindGroupBy(GroupByElement groupBy, List<Item> items) {
        if (groupBy == null) {
            return;
        }
        if (groupBy.getGroupingSets() != null && !groupBy.getGroupingSets().isEmpty()) {
            throw new QueryException(QueryException.UNSUPPORTED, "GROUPING SETS are not supported");
        }
        ExpressionBinder scan = scanBinder("GROUP BY");
        ExpressionList<Expression> list = groupBy.getGroupByExpressionList();
        if (list == null) {
            return;
        }
        for (Expression ast : list) {
            Expression target = ast;
            if (ast instanceof LongValue) {
                target = ordinal(items, (LongValue) ast, "GROUP BY").ast();
            } else if (ast instanceof Column && ((Column) ast).getTable() == null) {
                Column c = (Column) ast;
                if (findColumn(unquote(c.getColumnName()), c.getColumnName().startsWith("\"")) == null) {
                    Item byAlias = aliasItem(items, unquote(c.getColumnName()));
                    if (byAlias != null) {
                        target = byAlias.ast();
                    }
                }
            }
            if (containsAggregate(target)) {
                throw SqlPositions.error(QueryException.INVALID_QUERY, "GROUP BY cannot contain aggregates", ast);
            }
            Expr key = scan.bind(target);
            if (!groupKeys.contains(key)) {
                groupKeys.add(key);
            }
        }
    }

    private List<SortKey> orderBy(PlainSelect select, List<Item> items, List<Expr> outputs, ExpressionBinder binder) {
        List<SortKey> keys = new ArrayList<>();
        if (select.getOrderByElements() == null) {
            return keys;
        }
        for (OrderByElement o : select.getOrderByElements()) {
            if (o.getWithFill() != null || o.isMysqlWithRollup()) {
                throw new QueryException(QueryException.UNSUPPORTED, "ORDER BY " + o + " is not supported");
            }
            Expression ast = o.getExpression();
            Expr e = null;
            if (ast instanceof LongValue) {
                e = outputs.get(items.indexOf(ordinal(items, (LongValue) ast, "ORDER BY")));
            } else if (ast instanceof Column && ((Column) ast).getTable() == null) {
                Item byAlias = aliasItem(items, unquote(((Column) ast).getColumnName()));
                if (byAlias != null) {
                    e = outputs.get(items.indexOf(byAlias));
                }
            }
            if (e == null) {
                e = binder.bind(ast);
            }
            boolean nullsFirst = o.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST;
            keys.add(new SortKey(e, !o.isAsc(), nullsFirst));
        }
        return keys;
    }

    private static Item ordinal(List<Item> items, LongValue v, String clause) {
        long n = v.getValue();
        if (n < 1 || n > items.size()) {
            throw SqlPositions.error(
                    QueryException.INVALID_QUERY,
                    clause + " position " + n + " is not in the select list (1.." + items.size() + ")",
                    v);
        }
        return items.get((int) n - 1);
    }

    private static Item aliasItem(List<Item> items, String name) {
        for (Item i : items) {
            if (i.alias() != null && i.alias().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return null;
    }

    private static long[] limitOffset(PlainSelect select) {
        long limit = -1;
        long offset = 0;
        if (select.getFetch() != null) {
            throw new QueryException(QueryException.UNSUPPORTED, "FETCH is not supported (use LIMIT)");
        }
        Limit l = select.getLimit();
        if (l != null) {
            if (l.getByExpressions() != null) {
                throw new QueryException(QueryException.UNSUPPORTED, "LIMIT BY is not supported");
            }
            Expression count = l.getRowCount();
            if (count != null && !(count instanceof NullValue) && !(count instanceof AllValue)) {
                limit = nonNegative(l.getRowCount(), "LIMIT");
            }
            if (l.getOffset() != null) {
                offset = nonNegative(l.getOffset(), "OFFSET");
            }
        }
        if (select.getOffset() != null) {
            offset = nonNegative(select.getOffset().getOffset(), "OFFSET");
        }
        return new long[] {limit, offset};
    }

    static long nonNegative(Expression e, String clause) {
        if (e instanceof LongValue && ((LongValue) e).getValue() >= 0) {
            return ((LongValue) e).getValue();
        }
        throw SqlPositions.error(QueryException.INVALID_QUERY, clause + " must be a non-negative integer, got " + e, e);
    }

    private static void requireBoolean(Expr e, String clause, Expression ast) {
        if (e.type() != ColumnType.BOOLEAN && !ExpressionBinder.isNullLiteral(e)) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    clause + " needs a BOOLEAN condition, got " + SqlTypes.sqlName(e.type()),
                    ast);
        }
    }

    private static void splitConjuncts(Expr e, List<Expr> out) {
        if (e instanceof Expr.And) {
            splitConjuncts(((Expr.And) e).left(), out);
            splitConjuncts(((Expr.And) e).right(), out);
        } else {
            out.add(e);
        }
    }

    static boolean containsAggregate(Expression ast) {
        if (ast == null) {
            return false;
        }
        if (ExpressionBinder.isAggregate(ast)) {
            return true;
        }
        if (ast instanceof BinaryExpression) {
            return containsAggregate(((BinaryExpression) ast).getLeftExpression())
                    || containsAggregate(((BinaryExpression) ast).getRightExpression());
        } else if (ast instanceof NotExpression) {
            return containsAggregate(((NotExpression) ast).getExpression());
        } else if (ast instanceof SignedExpression) {
            return containsAggregate(((SignedExpression) ast).getExpression());
        } else if (ast instanceof IsNullExpression) {
            return containsAggregate(((IsNullExpression) ast).getLeftExpression());
        } else if (ast instanceof Between) {
            Between b = (Between) ast;
            return containsAggregate(b.getLeftExpression())
                    || containsAggregate(b.getBetweenExpressionStart())
                    || containsAggregate(b.getBetweenExpressionEnd());
        } else if (ast instanceof InExpression) {
            return containsAggregate(((InExpression) ast).getLeftExpression())
                    || containsAggregate(((InExpression) ast).getRightExpression());
        } else if (ast instanceof net.sf.jsqlparser.expression.Function) {
            ExpressionList<?> params = ((net.sf.jsqlparser.expression.Function) ast).getParameters();
            return params != null && params.stream().anyMatch(p -> containsAggregate((Expression) p));
        } else if (ast instanceof ExpressionList) {
            return ((ExpressionList<?>) ast).stream().anyMatch(p -> containsAggregate((Expression) p));
        } else if (ast instanceof net.sf.jsqlparser.expression.CastExpression) {
            return containsAggregate(((net.sf.jsqlparser.expression.CastExpression) ast).getLeftExpression());
        } else if (ast instanceof TrimFunction) {
            TrimFunction t = (TrimFunction) ast;
            return containsAggregate(t.getExpression()) || containsAggregate(t.getFromExpression());
        } else if (ast instanceof ExtractExpression) {
            return containsAggregate(((ExtractExpression) ast).getExpression());
        } else if (ast instanceof CaseExpression) {
            CaseExpression c = (CaseExpression) ast;
            return containsAggregate(c.getSwitchExpression())
                    || containsAggregate(c.getElseExpression())
                    || c.getWhenClauses().stream()
                            .anyMatch(w -> containsAggregate(w.getWhenExpression())
                                    || containsAggregate(w.getThenExpression()));
        }
        return false;
    }

    // ---- scopes ----

    private ExpressionBinder scanBinder(String clause) {
        return new ExpressionBinder(
                new ExpressionBinder.Scope() {
                    @Override
                    public Expr intercept(Expression ast, ExpressionBinder binder) {
                        if (ExpressionBinder.isAggregate(ast)) {
                            String reason = clause.equals("aggregate")
                                    ? "aggregate function calls cannot be nested"
                                    : "aggregate functions are not allowed in " + clause;
                            throw SqlPositions.error(QueryException.INVALID_QUERY, reason, ast);
                        }
                        return null;
                    }

                    @Override
                    public Expr column(Column column) {
                        return scanColumn(column);
                    }
                },
                nowMillis);
    }

    private ExpressionBinder postBinder() {
        ExpressionBinder scan = scanBinder("GROUP BY");
        return new ExpressionBinder(
                new ExpressionBinder.Scope() {
                    @Override
                    public Expr intercept(Expression ast, ExpressionBinder binder) {
                        if (ExpressionBinder.isAggregate(ast)) {
                            return aggregateRef((net.sf.jsqlparser.expression.Function) ast);
                        }
                        if (containsAggregate(ast)) {
                            return null;
                        }
                        Expr e = scan.bind(ast);
                        int k = groupKeys.indexOf(e);
                        if (k >= 0) {
                            return new Expr.ColumnRef(k, ast.toString(), e.type());
                        }
                        if (!referencesColumns(e)) {
                            return e;
                        }
                        if (ast instanceof Column) {
                            throw SqlPositions.error(
                                    QueryException.INVALID_QUERY,
                                    "column " + ast
                                            + " must appear in the GROUP BY clause or be used in an aggregate function",
                                    ast);
                        }
                        return null;
                    }

                    @Override
                    public Expr column(Column column) {
                        throw new IllegalStateException("columns are intercepted");
                    }
                },
                nowMillis);
    }

    private Expr aggregateRef(net.sf.jsqlparser.expression.Function f) {
        String name = f.getName().toLowerCase(Locale.ROOT);
        if (f.getOrderByElements() != null || f.getKeep() != null || f.isIgnoreNulls() || f.getLimit() != null) {
            throw SqlPositions.error(
                    QueryException.UNSUPPORTED, "modifiers of aggregate " + name + " are not supported", f);
        }
        ExpressionList<?> params = f.getParameters();
        boolean star =
                f.isAllColumns() || (params != null && params.size() == 1 && params.get(0) instanceof AllColumns);
        Function fn;
        Expr arg = null;
        if (star) {
            if (!name.equals("count") || f.isDistinct()) {
                throw SqlPositions.error(QueryException.INVALID_QUERY, name + "(*) is not valid; only COUNT(*)", f);
            }
            fn = Function.COUNT_STAR;
        } else {
            if (params == null || params.size() != 1) {
                throw SqlPositions.error(QueryException.INVALID_QUERY, name + " takes exactly one argument", f);
            }
            arg = scanBinder("aggregate").bind((Expression) params.get(0));
            fn = Function.valueOf(name.toUpperCase(Locale.ROOT));
        }
        ColumnType type = resultType(fn, arg, f);
        boolean distinct = f.isDistinct() && (fn == Function.COUNT || fn == Function.SUM || fn == Function.AVG);
        if (arg != null
                && ExpressionBinder.isNullLiteral(arg)
                && fn != Function.COUNT
                && fn != Function.APPROX_COUNT_DISTINCT) {
            arg = new Expr.Literal(null, type == ColumnType.FLOAT64 && fn == Function.AVG ? ColumnType.INT64 : type);
        }
        if (fn == Function.SUM && !distinct) {
            Expr split = sumOfShifted(arg, f.toString());
            if (split != null) {
                return split;
            }
        }
        return aggregateColumn(new AggregateCall(fn, arg, distinct, type), f.toString());
    }

    /** The output column of an aggregate call, adding the call to the query's aggregates once. */
    private Expr.ColumnRef aggregateColumn(AggregateCall call, String label) {
        int idx = aggregates.indexOf(call);
        if (idx < 0) {
            aggregates.add(call);
            idx = aggregates.size() - 1;
        }
        return new Expr.ColumnRef(groupKeys.size() + idx, label, call.type());
    }

    /**
     * {@code SUM(x + c)} and {@code SUM(c + x)} of an integer {@code x} and an integer constant
     * {@code c} as {@code SUM(x) + c * COUNT(x)} (NULL when every x is NULL, as the original), so that
     * many sums of one column shifted by constants (ClickBench's query 30) share two aggregates instead
     * of one pass each. As DuckDB, which rewrites these sums the same way (so {@code x + c} does not
     * overflow per row) and not {@code SUM(x - c)}; null for any other argument.
     */
    private Expr sumOfShifted(Expr arg, String label) {
        if (!(arg instanceof Expr.Arith) || !SqlTypes.isInteger(arg.type())) {
            return null;
        }
        Expr.Arith a = (Expr.Arith) arg;
        if (a.op() != Expr.ArithOp.ADD) {
            return null;
        }
        boolean constantLeft = isIntegerConstant(a.left());
        boolean constantRight = isIntegerConstant(a.right());
        if (constantLeft == constantRight) {
            return null;
        }
        Expr x = constantLeft ? a.right() : a.left();
        long c = ((Number) ((Expr.Literal) (constantLeft ? a.left() : a.right())).value()).longValue();
        Expr sum = aggregateColumn(new AggregateCall(Function.SUM, x, false, ColumnType.INT64), label);
        Expr count = aggregateColumn(new AggregateCall(Function.COUNT, x, false, ColumnType.INT64), label);
        Expr shift = new Expr.Arith(Expr.ArithOp.MUL, new Expr.Literal(c, ColumnType.INT64), count, ColumnType.INT64);
        return new Expr.Arith(Expr.ArithOp.ADD, sum, shift, ColumnType.INT64);
    }

    private static boolean isIntegerConstant(Expr e) {
        return e instanceof Expr.Literal && !((Expr.Literal) e).isNull() && SqlTypes.isInteger(e.type());
    }

    private static ColumnType resultType(Function fn, Expr arg, Expression ast) {
        switch (fn) {
            case COUNT_STAR:
            case COUNT:
            case APPROX_COUNT_DISTINCT:
                return ColumnType.INT64;
            case MIN:
            case MAX:
                return arg.type();
            case SUM:
                if (SqlTypes.isInteger(arg.type())) {
                    return ColumnType.INT64;
                }
                if (arg.type() == ColumnType.FLOAT64) {
                    return ColumnType.FLOAT64;
                }
                break;
            case AVG:
                if (arg.type().isNumeric()) {
                    return ColumnType.FLOAT64;
                }
                break;
            default:
                break;
        }
        throw SqlPositions.error(
                QueryException.TYPE_MISMATCH,
                fn.name().toLowerCase(Locale.ROOT) + " is not defined for " + SqlTypes.sqlName(arg.type()),
                ast);
    }

    private static boolean referencesColumns(Expr e) {
        if (e instanceof Expr.ColumnRef) {
            return true;
        } else if (e instanceof Expr.Literal) {
            return false;
        } else if (e instanceof Expr.Arith) {
            return referencesColumns(((Expr.Arith) e).left()) || referencesColumns(((Expr.Arith) e).right());
        } else if (e instanceof Expr.Compare) {
            return referencesColumns(((Expr.Compare) e).left()) || referencesColumns(((Expr.Compare) e).right());
        } else if (e instanceof Expr.And) {
            return referencesColumns(((Expr.And) e).left()) || referencesColumns(((Expr.And) e).right());
        } else if (e instanceof Expr.Or) {
            return referencesColumns(((Expr.Or) e).left()) || referencesColumns(((Expr.Or) e).right());
        } else if (e instanceof Expr.Negate) {
            return referencesColumns(((Expr.Negate) e).arg());
        } else if (e instanceof Expr.Cast) {
            return referencesColumns(((Expr.Cast) e).arg());
        } else if (e instanceof Expr.Not) {
            return referencesColumns(((Expr.Not) e).arg());
        } else if (e instanceof Expr.IsNull) {
            return referencesColumns(((Expr.IsNull) e).arg());
        } else if (e instanceof Expr.InList) {
            return referencesColumns(((Expr.InList) e).arg());
        } else if (e instanceof Expr.Like) {
            return referencesColumns(((Expr.Like) e).arg());
        } else if (e instanceof Expr.DateTrunc) {
            return referencesColumns(((Expr.DateTrunc) e).arg());
        } else if (e instanceof Expr.Case) {
            Expr.Case c = (Expr.Case) e;
            return c.conditions().stream().anyMatch(QueryPlanner::referencesColumns)
                    || c.results().stream().anyMatch(QueryPlanner::referencesColumns)
                    || referencesColumns(c.otherwise());
        } else if (e instanceof Expr.Coalesce) {
            return ((Expr.Coalesce) e).args().stream().anyMatch(QueryPlanner::referencesColumns);
        } else if (e instanceof Expr.Convert) {
            return referencesColumns(((Expr.Convert) e).arg());
        } else if (e instanceof Expr.Call) {
            return ((Expr.Call) e).args().stream().anyMatch(QueryPlanner::referencesColumns);
        }
        return true;
    }

    private Expr scanColumn(Column c) {
        if (c.getTable() != null && c.getTable().getName() != null) {
            checkQualifier(c.getTable().getName(), c);
        }
        boolean quoted = c.getColumnName().startsWith("\"");
        String name = unquote(c.getColumnName());
        if (schema == null) {
            throw SqlPositions.error(
                    QueryException.UNKNOWN_COLUMN, "column " + name + " not found: the query has no FROM clause", c);
        }
        RelationSchema.SourceColumn col = findColumn(name, quoted);
        if (col == null) {
            throw SqlPositions.error(
                    QueryException.UNKNOWN_COLUMN, "column " + name + " not found in table " + table + candidates(), c);
        }
        int slot = scanColumns.indexOf(col.name());
        if (slot < 0) {
            scanColumns.add(col.name());
            slot = scanColumns.size() - 1;
        }
        return new Expr.ColumnRef(slot, col.name(), col.type());
    }

    private String candidates() {
        StringBuilder sb = new StringBuilder(" (columns: ");
        List<RelationSchema.SourceColumn> cols = schema.columns();
        for (int i = 0; i < cols.size() && i < 30; i++) {
            sb.append(i == 0 ? "" : ", ").append(cols.get(i).name());
        }
        return sb.append(cols.size() > 30 ? ", ...)" : ")").toString();
    }

    private RelationSchema.SourceColumn findColumn(String name, boolean quoted) {
        if (schema == null) {
            return null; // no FROM clause: binding the name reports the unknown column
        }
        RelationSchema.SourceColumn exact = schema.column(name);
        if (exact != null || quoted) {
            return exact;
        }
        RelationSchema.SourceColumn found = null;
        for (RelationSchema.SourceColumn c : schema.columns()) {
            if (c.name().equalsIgnoreCase(name)) {
                if (found != null) {
                    throw new QueryException(
                            QueryException.INVALID_QUERY,
                            "column name " + name + " is ambiguous (" + found.name() + ", " + c.name() + "); quote it");
                }
                found = c;
            }
        }
        return found;
    }

    private void checkQualifier(String qualifier, Expression at) {
        String q = unquote(qualifier);
        if (table == null || !(alias != null ? q.equalsIgnoreCase(alias) : q.equalsIgnoreCase(table))) {
            throw SqlPositions.error(
                    QueryException.UNKNOWN_TABLE, "table " + qualifier + " is not in the FROM clause", at);
        }
    }

    static String unquote(String name) {
        if (name != null
                && name.length() >= 2
                && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("`") && name.endsWith("`"))) {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        return name;
    }
}
