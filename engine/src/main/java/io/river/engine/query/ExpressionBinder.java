package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Expr.ArithOp;
import io.river.engine.query.Expr.CmpOp;
import io.river.engine.query.Expr.Literal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Binds JSqlParser expressions into typed {@link Expr} trees with DuckDB's typing rules: integer
 * literals are INTEGER when they fit, else BIGINT; decimal literals are DOUBLE (DuckDB: DECIMAL,
 * equal within float precision); integer {@code + - * %} keep the wider integer type (overflow is an
 * error at run time); {@code /} is always DOUBLE; mixed integer/DOUBLE is DOUBLE; a string literal
 * next to a typed operand is cast to that type. A {@link Scope} decides what names and aggregate
 * calls mean. Not thread-safe (one per query).
 */
final class ExpressionBinder {

    /** What names and aggregates mean where an expression is bound. */
    interface Scope {
        /** A replacement for this node (aggregate call, group key), or null to bind it structurally. */
        Expr intercept(Expression ast, ExpressionBinder binder);

        Expr column(Column column);
    }

    static final List<String> AGGREGATES = List.of("count", "sum", "min", "max", "avg", "approx_count_distinct");

    private final Scope scope;
    private final long nowMillis;
    private final FunctionBinder functions = new FunctionBinder(this);

    /** @param nowMillis what {@code now()} and {@code CURRENT_TIMESTAMP} mean in this query */
    ExpressionBinder(Scope scope, long nowMillis) {
        this.scope = scope;
        this.nowMillis = nowMillis;
    }

    static boolean isAggregate(Expression ast) {
        return ast instanceof Function
                && AGGREGATES.contains(((Function) ast).getName().toLowerCase(Locale.ROOT));
    }

    Expr bind(Expression ast) {
        Expr intercepted = scope.intercept(ast, this);
        if (intercepted != null) {
            return intercepted;
        }
        if (ast instanceof Column) {
            Column c = (Column) ast;
            if (c.getTable() == null || c.getTable().getName() == null) {
                String n = c.getColumnName().toLowerCase(Locale.ROOT);
                if (n.equals("true") || n.equals("false")) {
                    return new Literal(n.equals("true"), ColumnType.BOOLEAN);
                }
            }
            return scope.column(c);
        } else if (ast instanceof ExpressionList) {
            ExpressionList<?> list = (ExpressionList<?>) ast;
            if (list.size() != 1) {
                throw SqlPositions.error(QueryException.UNSUPPORTED, "row values (a, b, ...) are not supported", ast);
            }
            return bind(list.get(0));
        } else if (ast instanceof LongValue) {
            return integerLiteral(((LongValue) ast).getStringValue(), ast);
        } else if (ast instanceof DoubleValue) {
            return new Literal(((DoubleValue) ast).getValue(), ColumnType.FLOAT64);
        } else if (ast instanceof StringValue) {
            return new Literal(((StringValue) ast).getValue().replace("''", "'"), ColumnType.STRING);
        } else if (ast instanceof NullValue) {
            return new Literal(null, ColumnType.INT32);
        } else if (ast instanceof BooleanValue) {
            return new Literal(((BooleanValue) ast).getValue(), ColumnType.BOOLEAN);
        } else if (ast instanceof TimestampValue) {
            return timestampLiteral(((TimestampValue) ast).getRawValue(), ast);
        } else if (ast instanceof DateValue) {
            return timestampLiteral(((DateValue) ast).getValue().toString(), ast);
        } else if (ast instanceof DateTimeLiteralExpression) {
            DateTimeLiteralExpression d = (DateTimeLiteralExpression) ast;
            String kind = d.getType().name();
            if (!kind.equals("TIMESTAMP") && !kind.equals("DATE") && !kind.equals("TIMESTAMPTZ")) {
                throw SqlPositions.error(QueryException.UNSUPPORTED, kind + " literals are not supported", ast);
            }
            return timestampLiteral(d.getValue(), ast);
        } else if (ast instanceof SignedExpression) {
            SignedExpression s = (SignedExpression) ast;
            Expr arg = bind(s.getExpression());
            if (s.getSign() == '+') {
                requireNumeric(arg, "unary +", ast);
                return arg;
            }
            if (s.getSign() != '-') {
                throw SqlPositions.error(
                        QueryException.UNSUPPORTED, "operator " + s.getSign() + " is not supported", ast);
            }
            return negate(arg, ast);
        } else if (ast instanceof Addition) {
            return arith(ArithOp.ADD, (BinaryExpression) ast);
        } else if (ast instanceof Subtraction) {
            return arith(ArithOp.SUB, (BinaryExpression) ast);
        } else if (ast instanceof Multiplication) {
            return arith(ArithOp.MUL, (BinaryExpression) ast);
        } else if (ast instanceof Division) {
            return arith(ArithOp.DIV, (BinaryExpression) ast);
        } else if (ast instanceof Modulo) {
            return arith(ArithOp.MOD, (BinaryExpression) ast);
        } else if (ast instanceof EqualsTo) {
            return compare(CmpOp.EQ, (BinaryExpression) ast);
        } else if (ast instanceof NotEqualsTo) {
            return compare(CmpOp.NE, (BinaryExpression) ast);
        } else if (ast instanceof MinorThan) {
            return compare(CmpOp.LT, (BinaryExpression) ast);
        } else if (ast instanceof MinorThanEquals) {
            return compare(CmpOp.LE, (BinaryExpression) ast);
        } else if (ast instanceof GreaterThan) {
            return compare(CmpOp.GT, (BinaryExpression) ast);
        } else if (ast instanceof GreaterThanEquals) {
            return compare(CmpOp.GE, (BinaryExpression) ast);
        } else if (ast instanceof AndExpression || ast instanceof OrExpression) {
            return booleanChain((BinaryExpression) ast);
        } else if (ast instanceof NotExpression) {
            Expression inner = ((NotExpression) ast).getExpression();
            return new Expr.Not(bool(bind(inner), "NOT", inner));
        } else if (ast instanceof IsNullExpression) {
            IsNullExpression n = (IsNullExpression) ast;
            return new Expr.IsNull(bind(n.getLeftExpression()), n.isNot());
        } else if (ast instanceof Between) {
            return between((Between) ast);
        } else if (ast instanceof InExpression) {
            return in((InExpression) ast);
        } else if (ast instanceof LikeExpression) {
            return like((LikeExpression) ast);
        } else if (ast instanceof Function) {
            return function((Function) ast);
        } else if (ast instanceof Concat) {
            Concat c = (Concat) ast;
            return functions.concatOperator(bind(c.getLeftExpression()), bind(c.getRightExpression()), ast);
        } else if (ast instanceof TrimFunction) {
            return trim((TrimFunction) ast);
        } else if (ast instanceof ExtractExpression) {
            ExtractExpression x = (ExtractExpression) ast;
            return functions.extract(x.getName(), x.getExpression(), ast);
        } else if (ast instanceof CaseExpression) {
            return caseExpr((CaseExpression) ast);
        } else if (ast instanceof CastExpression) {
            return cast((CastExpression) ast);
        } else if (ast instanceof TimeKeyExpression
                && ((TimeKeyExpression) ast).getStringValue().equalsIgnoreCase("CURRENT_TIMESTAMP")) {
            return new Literal(nowMillis, ColumnType.TIMESTAMP);
        }
        throw SqlPositions.error(QueryException.UNSUPPORTED, unsupportedName(ast) + " is not supported", ast);
    }

    private static String unsupportedName(Expression ast) {
        if (ast instanceof Select || ast instanceof ExistsExpression) {
            return "subqueries are";
        } else if (ast instanceof AnalyticExpression) {
            return "window functions (OVER) are";
        } else if (ast instanceof IntervalExpression) {
            return "INTERVAL outside TIMESTAMP + INTERVAL / TIMESTAMP - INTERVAL";
        } else if (ast instanceof JdbcParameter || ast instanceof JdbcNamedParameter) {
            return "query parameters are";
        } else if (ast instanceof AllColumns) {
            return "* outside SELECT and COUNT(*)";
        }
        return "expression '" + ast + "'";
    }

    private static Literal integerLiteral(String text, Expression ast) {
        BigInteger v = new BigInteger(text);
        if (v.bitLength() < 32) {
            return new Literal(v.longValue(), ColumnType.INT32);
        } else if (v.bitLength() < 64) {
            return new Literal(v.longValue(), ColumnType.INT64);
        }
        throw SqlPositions.error(
                QueryException.OUT_OF_RANGE, "integer literal " + text + " is out of BIGINT range", ast);
    }

    private static Literal timestampLiteral(String raw, Expression ast) {
        String text = raw.trim();
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            text = text.substring(1, text.length() - 1);
        }
        Long millis = LiteralParser.timestampMillis(text);
        if (millis == null) {
            throw SqlPositions.error(QueryException.TYPE_MISMATCH, "'" + text + "' is not a valid TIMESTAMP", ast);
        }
        return new Literal(millis, ColumnType.TIMESTAMP);
    }

    private Expr negate(Expr arg, Expression ast) {
        requireNumeric(arg, "unary -", ast);
        if (arg instanceof Literal) {
            Literal l = (Literal) arg;
            if (l.isNull()) {
                return l;
            }
            if (l.type() == ColumnType.FLOAT64) {
                return new Literal(-(Double) l.value(), ColumnType.FLOAT64);
            }
            long v = (Long) l.value();
            if (v == Long.MIN_VALUE) {
                throw SqlPositions.error(QueryException.OUT_OF_RANGE, "Overflow in negation of INT64", ast);
            }
            long n = -v;
            return new Literal(n, n == (int) n ? ColumnType.INT32 : ColumnType.INT64);
        }
        return new Expr.Negate(arg, arg.type());
    }

    private static void requireNumeric(Expr e, String op, Expression ast) {
        if (!e.type().isNumeric() && !isNullLiteral(e)) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH, "cannot apply " + op + " to " + SqlTypes.sqlName(e.type()), ast);
        }
    }

    static boolean isNullLiteral(Expr e) {
        return e instanceof Literal && ((Literal) e).isNull();
    }

    private Expr bool(Expr e, String op, Expression ast) {
        if (isNullLiteral(e)) {
            return new Literal(null, ColumnType.BOOLEAN);
        }
        if (e.type() == ColumnType.BOOLEAN) {
            return e;
        }
        if (e instanceof Literal && e.type() == ColumnType.STRING) {
            Object v = LiteralParser.parse((String) ((Literal) e).value(), ColumnType.BOOLEAN);
            if (v != null) {
                return new Literal(v, ColumnType.BOOLEAN);
            }
        }
        throw SqlPositions.error(
                QueryException.TYPE_MISMATCH, op + " needs BOOLEAN operands, got " + SqlTypes.sqlName(e.type()), ast);
    }

    /**
     * A chain {@code a OR b OR c ...} (or of ANDs), bound without recursing along the chain:
     * <ol>
     *   <li>collect the operands of the same operator, left to right;</li>
     *   <li>bind each as a BOOLEAN;</li>
     *   <li>for OR, merge equalities of one expression with literals ({@code x = 1 OR x = 2}) and its
     *       IN lists into one IN list;</li>
     *   <li>combine what is left as a balanced tree, so evaluation depth grows with the log of its size.</li>
     * </ol>
     */
    private Expr booleanChain(BinaryExpression root) {
        boolean or = root instanceof OrExpression;
        String op = or ? "OR" : "AND";
        List<Expr> operands = new ArrayList<>();
        for (Expression e : chainOperands(root)) {
            operands.add(bool(bind(e), op, e));
        }
        if (or) {
            operands = mergeEqualities(operands);
        }
        return balanced(operands, 0, operands.size(), or);
    }

    /** The operands of a chain of {@code root}'s operator (its class), left to right. */
    private static List<Expression> chainOperands(BinaryExpression root) {
        List<Expression> out = new ArrayList<>();
        Deque<Expression> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Expression e = stack.pop();
            if (e.getClass() == root.getClass()) {
                stack.push(((BinaryExpression) e).getRightExpression());
                stack.push(((BinaryExpression) e).getLeftExpression());
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * OR operands with every {@code x = literal} and {@code x IN (literals)} of one expression x
     * merged into a single IN list at the place of the first; other operands unchanged.
     */
    private static List<Expr> mergeEqualities(List<Expr> operands) {
        Map<Expr, Integer> counts = new HashMap<>();
        for (Expr e : operands) {
            Expr x = equalityTarget(e);
            if (x != null) {
                counts.merge(x, 1, Integer::sum);
            }
        }
        List<Expr> out = new ArrayList<>();
        Map<Expr, Integer> placeOf = new HashMap<>();
        Map<Expr, List<Literal>> values = new HashMap<>();
        for (Expr e : operands) {
            Expr x = equalityTarget(e);
            if (x == null || counts.get(x) < 2) {
                out.add(e);
                continue;
            }
            if (!placeOf.containsKey(x)) {
                placeOf.put(x, out.size());
                out.add(null);
                values.put(x, new ArrayList<>());
            }
            for (Literal l : equalityValues(e)) {
                values.get(x).add(new Literal(l.value(), x.type()));
            }
        }
        for (Map.Entry<Expr, Integer> place : placeOf.entrySet()) {
            out.set(place.getValue(), new Expr.InList(place.getKey(), values.get(place.getKey()), false));
        }
        return out;
    }

    /** The expression an equality with a literal or a plain IN list tests, or null. */
    private static Expr equalityTarget(Expr e) {
        if (e instanceof Expr.InList && !((Expr.InList) e).negated()) {
            return ((Expr.InList) e).arg();
        }
        if (e instanceof Expr.Compare && ((Expr.Compare) e).op() == CmpOp.EQ) {
            Expr.Compare c = (Expr.Compare) e;
            if (c.right() instanceof Literal && !(c.left() instanceof Literal)) {
                return sameKind(c.left(), c.right()) ? c.left() : null;
            }
            if (c.left() instanceof Literal && !(c.right() instanceof Literal)) {
                return sameKind(c.right(), c.left()) ? c.right() : null;
            }
        }
        return null;
    }

    /** True when the literal can join an IN list on x: both integers, or of x's own type. */
    private static boolean sameKind(Expr x, Expr literal) {
        return x.type() == literal.type() || SqlTypes.isInteger(x.type()) && SqlTypes.isInteger(literal.type());
    }

    private static List<Literal> equalityValues(Expr e) {
        if (e instanceof Expr.InList) {
            return ((Expr.InList) e).values();
        }
        Expr.Compare c = (Expr.Compare) e;
        return List.of((Literal) (c.right() instanceof Literal ? c.right() : c.left()));
    }

    /** {@code operands[from..to)} joined by AND or OR as a balanced tree. */
    static Expr balanced(List<Expr> operands, int from, int to, boolean or) {
        if (to - from == 1) {
            return operands.get(from);
        }
        int mid = (from + to) >>> 1;
        Expr l = balanced(operands, from, mid, or);
        Expr r = balanced(operands, mid, to, or);
        return or ? new Expr.Or(l, r) : new Expr.And(l, r);
    }

    private Expr arith(ArithOp op, BinaryExpression ast) {
        Expression la = ast.getLeftExpression();
        Expression ra = ast.getRightExpression();
        if (ra instanceof IntervalExpression || la instanceof IntervalExpression && op == ArithOp.ADD) {
            return timestampPlusInterval(
                    op,
                    ra instanceof IntervalExpression ? la : ra,
                    (IntervalExpression) (ra instanceof IntervalExpression ? ra : la),
                    ast);
        }
        Expr l = bind(ast.getLeftExpression());
        Expr r = bind(ast.getRightExpression());
        l = numericOperand(l, r, op, ast);
        r = numericOperand(r, l, op, ast);
        ColumnType type;
        if (op == ArithOp.DIV || l.type() == ColumnType.FLOAT64 || r.type() == ColumnType.FLOAT64) {
            type = ColumnType.FLOAT64;
        } else {
            type = l.type() == ColumnType.INT64 || r.type() == ColumnType.INT64 ? ColumnType.INT64 : ColumnType.INT32;
        }
        return fold(new Expr.Arith(op, castTo(l, type), castTo(r, type), type));
    }

    /**
     * {@code ts + INTERVAL '5 minutes'}, {@code ts - INTERVAL 1 MONTH}: months are added on the
     * calendar first (the day clamped to the month's end), then the fixed-length rest in millis. A
     * DATE operand counts as its midnight UTC and the answer is a TIMESTAMP (as in DuckDB).
     */
    private Expr timestampPlusInterval(
            ArithOp op, Expression tsAst, IntervalExpression interval, BinaryExpression ast) {
        if (op != ArithOp.ADD && op != ArithOp.SUB) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH, "cannot apply " + op.symbol + " to an INTERVAL", ast);
        }
        long[] monthsMillis = interval(interval, ast);
        Expr ts = castStringLiteral(bind(tsAst), ColumnType.TIMESTAMP, ast);
        if (isNullLiteral(ts)) {
            return new Literal(null, ColumnType.TIMESTAMP);
        }
        if (ts.type() == ColumnType.DATE) {
            ts = foldConstant(new Expr.Convert(ts, ColumnType.TIMESTAMP));
        }
        if (ts.type() != ColumnType.TIMESTAMP) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    "cannot apply " + op.symbol + " to " + SqlTypes.sqlName(ts.type()) + " and INTERVAL",
                    ast);
        }
        long sign = op == ArithOp.SUB ? -1 : 1;
        if (monthsMillis[0] != 0) {
            Literal months = new Literal(sign * monthsMillis[0], ColumnType.INT64);
            ts = foldConstant(new Expr.Call(ScalarFunction.ADD_MONTHS, List.of(ts, months), ColumnType.TIMESTAMP));
        }
        if (monthsMillis[1] == 0) {
            return ts;
        }
        return fold(new Expr.Arith(op, ts, new Literal(monthsMillis[1], ColumnType.INT64), ColumnType.TIMESTAMP));
    }

    /**
     * Evaluates an expression over literals once, at bind time, so that {@code now() - INTERVAL ...}
     * or {@code 60 * 60} become literals the zone-map pruner and the comparison kernels can use.
     */
    static Expr fold(Expr e) {
        if (!(e instanceof Expr.Arith)
                || !(((Expr.Arith) e).left() instanceof Literal)
                || !(((Expr.Arith) e).right() instanceof Literal)) {
            return e;
        }
        Object v = new VectorEvaluator()
                .eval(e, Input.of(1, new Vec[0]), new int[] {0}, 1)
                .get(0);
        return new Literal(literalValue(v), e.type());
    }

    /**
     * The months and milliseconds of {@code INTERVAL 'n unit [n unit ...]'}, {@code INTERVAL n unit}
     * or {@code INTERVAL 'n' unit}, units from milliseconds to years.
     */
    private static long[] interval(IntervalExpression interval, Expression ast) {
        String text = interval.toString().trim();
        if (text.regionMatches(true, 0, "INTERVAL", 0, 8)) {
            text = text.substring(8);
        }
        String[] parts = text.replace("'", " ").trim().split("\\s+");
        long[] out = new long[2];
        boolean valid = parts.length % 2 == 0;
        try {
            for (int k = 0; valid && k < parts.length; k += 2) {
                valid = addIntervalPart(out, Long.parseLong(parts[k]), parts[k + 1].toLowerCase(Locale.ROOT));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            valid = false;
        }
        if (!valid) {
            throw SqlPositions.error(
                    QueryException.UNSUPPORTED,
                    "interval " + interval + " is not supported (integer"
                            + " counts of milliseconds, seconds, minutes, hours, days, weeks, months, quarters or "
                            + "years)",
                    ast);
        }
        return out;
    }

    /** Adds {@code n unit} to {months, millis}; false for an unknown unit. */
    private static boolean addIntervalPart(long[] monthsMillis, long n, String unit) {
        TimeKernels.Part part = TimeKernels.Part.of(unit);
        long millis = unitMillis(unit);
        if (part == TimeKernels.Part.MILLISECOND) {
            millis = 1;
        }
        if (millis > 0) {
            monthsMillis[1] = Math.addExact(monthsMillis[1], Math.multiplyExact(n, millis));
            return true;
        }
        long months = part == TimeKernels.Part.MONTH
                ? 1
                : part == TimeKernels.Part.QUARTER ? 3 : part == TimeKernels.Part.YEAR ? 12 : 0;
        if (months == 0) {
            return false;
        }
        monthsMillis[0] = Math.addExact(monthsMillis[0], Math.multiplyExact(n, months));
        return true;
    }

    /** An arithmetic operand: numeric, a NULL (typed like the other side) or a numeric string literal. */
    private Expr numericOperand(Expr e, Expr other, ArithOp op, BinaryExpression ast) {
        if (isNullLiteral(e)) {
            return new Literal(null, other.type().isNumeric() ? other.type() : ColumnType.INT32);
        }
        if (e instanceof Literal
                && e.type() == ColumnType.STRING
                && other.type().isNumeric()) {
            Object v = LiteralParser.parse((String) ((Literal) e).value(), other.type());
            if (v != null) {
                return new Literal(v, other.type());
            }
        }
        if (!e.type().isNumeric()) {
            String what =
                    e.type() == ColumnType.TIMESTAMP ? " (TIMESTAMP arithmetic and INTERVAL are not supported)" : "";
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    "cannot apply " + op.symbol + " to " + SqlTypes.sqlName(e.type()) + " and "
                            + SqlTypes.sqlName(other.type()) + what,
                    ast);
        }
        return e;
    }

    /** Widens a numeric expression to {@code type} (INT32 and INT64 share one representation). */
    static Expr castTo(Expr e, ColumnType type) {
        if (e.type() == type) {
            return e;
        }
        if (e instanceof Literal) {
            Literal l = (Literal) e;
            if (l.isNull()) {
                return new Literal(null, type);
            }
            if (type == ColumnType.FLOAT64) {
                return new Literal(((Number) l.value()).doubleValue(), type);
            }
            return new Literal(l.value(), type);
        }
        return new Expr.Cast(e, type);
    }

    private Expr compare(CmpOp op, BinaryExpression ast) {
        Expr[] pair = comparable(bind(ast.getLeftExpression()), bind(ast.getRightExpression()), op.symbol, ast);
        return new Expr.Compare(op, pair[0], pair[1]);
    }

    /** Brings two operands to one comparable type, or fails with type_mismatch. */
    Expr[] comparable(Expr l, Expr r, String op, Expression ast) {
        if (isNullLiteral(l) && isNullLiteral(r)) {
            return new Expr[] {l, r};
        }
        if (isNullLiteral(l)) {
            return new Expr[] {new Literal(null, r.type()), r};
        }
        if (isNullLiteral(r)) {
            return new Expr[] {l, new Literal(null, l.type())};
        }
        l = castStringLiteral(l, r.type(), ast);
        r = castStringLiteral(r, l.type(), ast);
        l = dateLiteral(l, r.type());
        r = dateLiteral(r, l.type());
        if (l.type() == r.type()) {
            return new Expr[] {l, r};
        }
        if (l.type().isNumeric() && r.type().isNumeric()) {
            if (l.type() == ColumnType.FLOAT64 || r.type() == ColumnType.FLOAT64) {
                return new Expr[] {castTo(l, ColumnType.FLOAT64), castTo(r, ColumnType.FLOAT64)};
            }
            return new Expr[] {l, r};
        }
        throw SqlPositions.error(
                QueryException.TYPE_MISMATCH,
                "cannot compare " + SqlTypes.sqlName(l.type()) + " " + op + " " + SqlTypes.sqlName(r.type()),
                ast);
    }

    /**
     * A TIMESTAMP literal at midnight UTC (how {@code DATE '2024-01-01'} binds) compared with a DATE
     * operand, as that DATE; anything else unchanged.
     */
    private static Expr dateLiteral(Expr e, ColumnType other) {
        if (other != ColumnType.DATE
                || !(e instanceof Literal)
                || e.type() != ColumnType.TIMESTAMP
                || ((Literal) e).value() == null) {
            return e;
        }
        long millis = ((Number) ((Literal) e).value()).longValue();
        if (Math.floorMod(millis, LiteralParser.MILLIS_PER_DAY) != 0) {
            return e;
        }
        return new Literal(Math.floorDiv(millis, LiteralParser.MILLIS_PER_DAY), ColumnType.DATE);
    }

    static Expr castStringLiteral(Expr e, ColumnType target, Expression ast) {
        if (!(e instanceof Literal) || e.type() != ColumnType.STRING || target == ColumnType.STRING) {
            return e;
        }
        String text = (String) ((Literal) e).value();
        Object v = LiteralParser.parse(text, target);
        if (v == null) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    "could not convert string '" + text + "' to " + SqlTypes.sqlName(target),
                    ast);
        }
        return new Literal(v, target);
    }

    private Expr between(Between b) {
        Expr x = bind(b.getLeftExpression());
        Expr[] lo = comparable(x, bind(b.getBetweenExpressionStart()), "BETWEEN", b);
        Expr[] hi = comparable(x, bind(b.getBetweenExpressionEnd()), "BETWEEN", b);
        Expr e = new Expr.And(new Expr.Compare(CmpOp.GE, lo[0], lo[1]), new Expr.Compare(CmpOp.LE, hi[0], hi[1]));
        return b.isNot() ? new Expr.Not(e) : e;
    }

    private Expr in(InExpression in) {
        Expression right = in.getRightExpression();
        if (!(right instanceof ExpressionList)) {
            throw SqlPositions.error(QueryException.UNSUPPORTED, "IN with a subquery is not supported", in);
        }
        Expr x = bind(in.getLeftExpression());
        List<Expr> items = new ArrayList<>();
        for (Object o : (ExpressionList<?>) right) {
            Expr[] pair = comparable(x, bind((Expression) o), "IN", in);
            x = pair[0];
            Expr item = pair[1];
            if (item instanceof Literal && SqlTypes.isInteger(item.type()) && SqlTypes.isInteger(x.type())) {
                item = new Literal(((Literal) item).value(), x.type());
            }
            items.add(item);
        }
        boolean allLiterals = items.stream().allMatch(e -> e instanceof Literal);
        boolean sameType = items.stream().allMatch(e -> e.type() == items.get(0).type());
        if (allLiterals && sameType && items.get(0).type() == x.type()) {
            List<Literal> lits = new ArrayList<>();
            items.forEach(e -> lits.add((Literal) e));
            return new Expr.InList(x, lits, in.isNot());
        }
        List<Expr> equalities = new ArrayList<>();
        for (Expr item : items) {
            Expr[] pair = comparable(x, item, "IN", in);
            equalities.add(new Expr.Compare(CmpOp.EQ, pair[0], pair[1]));
        }
        Expr any = balanced(equalities, 0, equalities.size(), true);
        return in.isNot() ? new Expr.Not(any) : any;
    }

    private Expr like(LikeExpression like) {
        if (like.getLikeKeyWord() != null && !like.getLikeKeyWord().name().equals("LIKE")) {
            throw SqlPositions.error(
                    QueryException.UNSUPPORTED, like.getLikeKeyWord().name() + " is not supported (only LIKE)", like);
        }
        Expr x = bind(like.getLeftExpression());
        if (isNullLiteral(x)) {
            x = new Literal(null, ColumnType.STRING);
        }
        if (x.type() != ColumnType.STRING) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    "LIKE needs a VARCHAR operand, got " + SqlTypes.sqlName(x.type()),
                    like);
        }
        Expr p = bind(like.getRightExpression());
        if (isNullLiteral(p)) {
            return new Literal(null, ColumnType.BOOLEAN);
        }
        if (!(p instanceof Literal) || p.type() != ColumnType.STRING) {
            throw SqlPositions.error(QueryException.UNSUPPORTED, "LIKE patterns must be string literals", like);
        }
        char escape = 0;
        if (like.getEscape() != null) {
            Expr esc = bind(like.getEscape());
            if (!(esc instanceof Literal)
                    || esc.type() != ColumnType.STRING
                    || ((String) ((Literal) esc).value()).length() != 1) {
                throw SqlPositions.error(QueryException.INVALID_QUERY, "ESCAPE must be a single character", like);
            }
            escape = ((String) ((Literal) esc).value()).charAt(0);
        }
        return new Expr.Like(x, (String) ((Literal) p).value(), escape, like.isNot());
    }

    private Expr function(Function f) {
        String name = f.getName().toLowerCase(Locale.ROOT);
        if (AGGREGATES.contains(name)) {
            throw SqlPositions.error(
                    QueryException.INVALID_QUERY, "aggregate function " + name + " is not allowed here", f);
        }
        if (name.equals("coalesce")) {
            ExpressionList<?> params = f.getParameters();
            if (params == null || params.isEmpty()) {
                throw SqlPositions.error(QueryException.INVALID_QUERY, "coalesce needs at least one argument", f);
            }
            List<Expr> args = new ArrayList<>();
            for (Object p : params) {
                args.add(bind((Expression) p));
            }
            args = unify(args, "COALESCE", f);
            return args.size() == 1
                    ? args.get(0)
                    : new Expr.Coalesce(args, args.get(0).type());
        }
        if ((name.equals("now") || name.equals("current_timestamp"))
                && (f.getParameters() == null || f.getParameters().isEmpty())) {
            return new Literal(nowMillis, ColumnType.TIMESTAMP);
        }
        List<Expression> params = new ArrayList<>();
        if (f.getParameters() != null) {
            for (Object p : f.getParameters()) {
                params.add((Expression) p);
            }
        }
        Expr call = functions.bind(name, params, f);
        if (call == null) {
            throw SqlPositions.error(QueryException.UNSUPPORTED, "function " + name + " is not supported", f);
        }
        return call;
    }

    /**
     * {@code trim(s)}, {@code trim(s, chars)} and {@code trim([BOTH|LEADING|TRAILING] [chars] FROM s)}
     * as {@code trim}, {@code ltrim} or {@code rtrim}.
     */
    private Expr trim(TrimFunction t) {
        String name = "trim";
        if (t.getTrimSpecification() != null) {
            switch (t.getTrimSpecification()) {
                case LEADING:
                    name = "ltrim";
                    break;
                case TRAILING:
                    name = "rtrim";
                    break;
                default:
                    break;
            }
        }
        List<Expression> params = new ArrayList<>();
        if (t.isUsingFromKeyword()) {
            params.add(t.getFromExpression());
            if (t.getExpression() != null) {
                params.add(t.getExpression());
            }
        } else {
            params.add(t.getExpression());
            if (t.getFromExpression() != null) {
                params.add(t.getFromExpression());
            }
        }
        return functions.bind(name, params, t);
    }

    private Expr cast(CastExpression c) {
        if (c.toString().regionMatches(true, 0, "TRY_CAST", 0, 8)
                || c.toString().regionMatches(true, 0, "SAFE_CAST", 0, 9)) {
            throw SqlPositions.error(QueryException.UNSUPPORTED, "TRY_CAST is not supported", c);
        }
        String typeName =
                c.getColDataType().getDataType().toUpperCase(Locale.ROOT).trim();
        ColumnType target = castTarget(typeName);
        if (target == null) {
            throw SqlPositions.error(
                    QueryException.UNSUPPORTED,
                    "CAST to " + typeName + " is not supported"
                            + " (INTEGER, BIGINT, DOUBLE, VARCHAR, BOOLEAN, TIMESTAMP, DATE, BLOB)",
                    c);
        }
        Expr arg = bind(c.getLeftExpression());
        if (isNullLiteral(arg)) {
            return new Literal(null, target);
        }
        if (arg.type() == target) {
            return arg;
        }
        if (!CastKernels.supported(arg.type(), target)) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    "CAST(" + SqlTypes.sqlName(arg.type()) + " AS " + SqlTypes.sqlName(target) + ") is not supported",
                    c);
        }
        Expr e = new Expr.Convert(arg, target);
        return foldConstant(e);
    }

    /**
     * A function call or CAST whose arguments are all literals, evaluated once into a literal (so the
     * comparison kernels and the zone-map pruner see a constant); any other expression unchanged.
     */
    static Expr foldConstant(Expr e) {
        List<Expr> args = e instanceof Expr.Call
                ? ((Expr.Call) e).args()
                : e instanceof Expr.Convert ? List.of(((Expr.Convert) e).arg()) : null;
        if (args == null || !args.stream().allMatch(a -> a instanceof Literal)) {
            return e;
        }
        Object v = new VectorEvaluator()
                .eval(e, Input.of(1, new Vec[0]), new int[] {0}, 1)
                .get(0);
        return new Literal(literalValue(v), e.type());
    }

    /** A result value (see {@link Vec#get}) as a {@link Literal}'s value. */
    private static Object literalValue(Object v) {
        if (v instanceof Integer) {
            return ((Integer) v).longValue();
        } else if (v instanceof Instant || v instanceof LocalDate) {
            return SqlTypes.asLong(v);
        } else if (v instanceof byte[]) {
            return new Expr.Blob((byte[]) v);
        }
        return v;
    }

    private static ColumnType castTarget(String name) {
        int paren = name.indexOf('(');
        String base = (paren >= 0 ? name.substring(0, paren) : name).trim();
        switch (base) {
            case "INTEGER":
            case "INT":
            case "INT4":
            case "INT32":
            case "SIGNED":
                return ColumnType.INT32;
            case "BIGINT":
            case "INT8":
            case "INT64":
            case "LONG":
                return ColumnType.INT64;
            case "DOUBLE":
            case "DOUBLE PRECISION":
            case "FLOAT8":
            case "FLOAT64":
                return ColumnType.FLOAT64;
            case "VARCHAR":
            case "TEXT":
            case "STRING":
            case "CHAR":
            case "CHARACTER VARYING":
            case "BPCHAR":
                return ColumnType.STRING;
            case "BOOLEAN":
            case "BOOL":
                return ColumnType.BOOLEAN;
            case "TIMESTAMP":
            case "DATETIME":
                return ColumnType.TIMESTAMP;
            case "DATE":
                return ColumnType.DATE;
            case "BLOB":
            case "BYTEA":
            case "BINARY":
            case "VARBINARY":
                return ColumnType.BYTES;
            default:
                return null;
        }
    }

    private Expr caseExpr(CaseExpression c) {
        Expr subject = c.getSwitchExpression() == null ? null : bind(c.getSwitchExpression());
        List<Expr> conditions = new ArrayList<>();
        List<Expr> results = new ArrayList<>();
        for (WhenClause w : c.getWhenClauses()) {
            Expr when = bind(w.getWhenExpression());
            if (subject != null) {
                Expr[] pair = comparable(subject, when, "CASE", c);
                when = new Expr.Compare(CmpOp.EQ, pair[0], pair[1]);
            }
            conditions.add(bool(when, "CASE WHEN", w.getWhenExpression()));
            results.add(bind(w.getThenExpression()));
        }
        results.add(c.getElseExpression() == null ? new Literal(null, ColumnType.INT32) : bind(c.getElseExpression()));
        results = unify(results, "CASE", c);
        Expr otherwise = results.remove(results.size() - 1);
        return new Expr.Case(conditions, results, otherwise, otherwise.type());
    }

    /**
     * Brings the branches of CASE or the arguments of COALESCE to one type, as DuckDB does: NULLs and
     * string literals take the others' type, numbers widen to the widest (INTEGER, BIGINT, DOUBLE).
     */
    private List<Expr> unify(List<Expr> exprs, String what, Expression ast) {
        ColumnType type = null;
        for (Expr e : exprs) {
            if (isNullLiteral(e) || (e instanceof Literal && e.type() == ColumnType.STRING)) {
                continue;
            }
            if (type == null || type == e.type()) {
                type = e.type();
            } else if (type.isNumeric() && e.type().isNumeric()) {
                type = type.widen(e.type());
            } else {
                throw SqlPositions.error(
                        QueryException.TYPE_MISMATCH,
                        what + " mixes " + SqlTypes.sqlName(type) + " and " + SqlTypes.sqlName(e.type()),
                        ast);
            }
        }
        if (type == null) {
            type = exprs.stream().anyMatch(e -> !isNullLiteral(e)) ? ColumnType.STRING : ColumnType.INT32;
        }
        List<Expr> out = new ArrayList<>();
        for (Expr e : exprs) {
            if (isNullLiteral(e)) {
                out.add(new Literal(null, type));
            } else {
                Expr x = castStringLiteral(e, type, ast);
                out.add(x.type() == type ? x : castTo(x, type));
            }
        }
        return out;
    }

    /** Milliseconds of a fixed-length unit (second to week, singular or plural), 0 for any other name. */
    static long unitMillis(String unit) {
        switch (unit) {
            case "second":
            case "seconds":
                return 1000L;
            case "minute":
            case "minutes":
                return 60_000L;
            case "hour":
            case "hours":
                return 3_600_000L;
            case "day":
            case "days":
                return 86_400_000L;
            case "week":
            case "weeks":
                return 7 * 86_400_000L;
            default:
                return 0;
        }
    }
}
