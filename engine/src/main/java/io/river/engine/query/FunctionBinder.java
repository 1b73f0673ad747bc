package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Expr.CmpOp;
import io.river.engine.query.Expr.Literal;
import io.river.engine.query.TimeKernels.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import net.sf.jsqlparser.expression.Expression;

/**
 * Binds scalar function calls by name with DuckDB's argument types: numbers for {@code abs},
 * {@code round} (an INTEGER precision), {@code floor}, {@code ceil}/{@code ceiling}; VARCHAR for the
 * string functions (string literals for regular expressions, their options and replacements, which
 * are checked here); TIMESTAMP for {@code date_part} and {@code date_trunc} (a literal part or
 * unit); {@code concat} and {@code ||} take anything that casts to VARCHAR. {@code nullif(a, b)} is
 * {@code CASE WHEN a = b THEN NULL ELSE a END}. A call on literals only is folded to a literal. Not
 * thread-safe (one per {@link ExpressionBinder}).
 */
final class FunctionBinder {
    private final ExpressionBinder binder;

    FunctionBinder(ExpressionBinder binder) {
        this.binder = binder;
    }

    /** The bound call, or null when {@code name} is not a function this binder knows. */
    Expr bind(String name, List<Expression> params, Expression ast) {
        switch (name) {
            case "nullif":
                return nullif(params, ast);
            case "abs":
                return numeric(ScalarFunction.ABS, name, params, ast, false);
            case "floor":
                return numeric(ScalarFunction.FLOOR, name, params, ast, true);
            case "ceil":
            case "ceiling":
                return numeric(ScalarFunction.CEIL, name, params, ast, true);
            case "round":
                return round(params, ast);
            case "length":
            case "char_length":
            case "character_length":
            case "len":
                return strings(ScalarFunction.LENGTH, name, params, 1, 1, ColumnType.INT64, ast);
            case "strlen":
            case "octet_length":
                return strings(ScalarFunction.STRLEN, name, params, 1, 1, ColumnType.INT64, ast);
            case "lower":
            case "lcase":
                return strings(ScalarFunction.LOWER, name, params, 1, 1, ColumnType.STRING, ast);
            case "upper":
            case "ucase":
                return strings(ScalarFunction.UPPER, name, params, 1, 1, ColumnType.STRING, ast);
            case "substring":
            case "substr":
                return substring(name, params, ast);
            case "concat":
                return concat(params, ast);
            case "replace":
                return strings(ScalarFunction.REPLACE, name, params, 3, 3, ColumnType.STRING, ast);
            case "trim":
                return strings(ScalarFunction.TRIM, name, params, 1, 2, ColumnType.STRING, ast);
            case "ltrim":
                return strings(ScalarFunction.LTRIM, name, params, 1, 2, ColumnType.STRING, ast);
            case "rtrim":
                return strings(ScalarFunction.RTRIM, name, params, 1, 2, ColumnType.STRING, ast);
            case "starts_with":
                return strings(ScalarFunction.STARTS_WITH, name, params, 2, 2, ColumnType.BOOLEAN, ast);
            case "contains":
                return strings(ScalarFunction.CONTAINS, name, params, 2, 2, ColumnType.BOOLEAN, ast);
            case "regexp_matches":
                return regex(ScalarFunction.REGEXP_MATCHES, name, params, 2, 3, ColumnType.BOOLEAN, ast);
            case "regexp_replace":
                return regex(ScalarFunction.REGEXP_REPLACE, name, params, 3, 4, ColumnType.STRING, ast);
            case "date_part":
            case "datepart":
                return datePart(params, ast);
            case "date_trunc":
            case "datetrunc":
                return dateTrunc(params, ast);
            default:
                return null;
        }
    }

    /** {@code a || b}: both sides cast to VARCHAR; NULL when either is NULL. */
    Expr concatOperator(Expr left, Expr right, Expression ast) {
        return call(
                ScalarFunction.CONCAT_OPERATOR,
                List.of(toText(left, "||", ast), toText(right, "||", ast)),
                ColumnType.STRING);
    }

    /** {@code EXTRACT(part FROM ts)}. */
    Expr extract(String part, Expression tsAst, Expression ast) {
        return datePart(part, binder.bind(tsAst), ast);
    }

    // ---- families ----

    private Expr nullif(List<Expression> params, Expression ast) {
        arity("nullif", params, 2, 2, ast);
        Expr a = binder.bind(params.get(0));
        Expr b = binder.bind(params.get(1));
        if (ExpressionBinder.isNullLiteral(a)) {
            return a;
        }
        Expr[] pair = binder.comparable(a, b, "NULLIF", ast);
        Expr equal = new Expr.Compare(CmpOp.EQ, pair[0], pair[1]);
        return new Expr.Case(List.of(equal), List.of(new Literal(null, a.type())), a, a.type());
    }

    private Expr numeric(ScalarFunction fn, String name, List<Expression> params, Expression ast, boolean toDouble) {
        arity(name, params, 1, 1, ast);
        Expr x = number(binder.bind(params.get(0)), name, ast);
        ColumnType type = toDouble ? ColumnType.FLOAT64 : x.type();
        return call(fn, List.of(x), type);
    }

    private Expr round(List<Expression> params, Expression ast) {
        arity("round", params, 1, 2, ast);
        Expr x = number(binder.bind(params.get(0)), "round", ast);
        if (params.size() == 1) {
            return call(ScalarFunction.ROUND, List.of(x), x.type());
        }
        Expr p = binder.bind(params.get(1));
        if (ExpressionBinder.isNullLiteral(p)) {
            p = new Literal(null, ColumnType.INT32);
        }
        if (p.type() != ColumnType.INT32) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    "round(" + SqlTypes.sqlName(x.type()) + ", " + SqlTypes.sqlName(p.type())
                            + ") is not defined: the precision must be an INTEGER",
                    ast);
        }
        return call(ScalarFunction.ROUND, List.of(x, ExpressionBinder.castTo(p, ColumnType.INT64)), x.type());
    }

    private Expr strings(
            ScalarFunction fn,
            String name,
            List<Expression> params,
            int min,
            int max,
            ColumnType type,
            Expression ast) {
        arity(name, params, min, max, ast);
        List<Expr> args = new ArrayList<>();
        for (Expression p : params) {
            args.add(text(binder.bind(p), name, ast));
        }
        return call(fn, args, type);
    }

    private Expr substring(String name, List<Expression> params, Expression ast) {
        arity(name, params, 2, 3, ast);
        List<Expr> args = new ArrayList<>();
        args.add(text(binder.bind(params.get(0)), name, ast));
        for (int k = 1; k < params.size(); k++) {
            args.add(integer(binder.bind(params.get(k)), name, ast));
        }
        return call(ScalarFunction.SUBSTRING, args, ColumnType.STRING);
    }

    private Expr concat(List<Expression> params, Expression ast) {
        if (params.isEmpty()) {
            throw SqlPositions.error(QueryException.INVALID_QUERY, "concat needs at least one argument", ast);
        }
        List<Expr> args = new ArrayList<>();
        for (Expression p : params) {
            args.add(toText(binder.bind(p), "concat", ast));
        }
        return call(ScalarFunction.CONCAT, args, ColumnType.STRING);
    }

    private Expr regex(
            ScalarFunction fn,
            String name,
            List<Expression> params,
            int min,
            int max,
            ColumnType type,
            Expression ast) {
        arity(name, params, min, max, ast);
        List<Expr> args = new ArrayList<>();
        args.add(text(binder.bind(params.get(0)), name, ast));
        for (int k = 1; k < params.size(); k++) {
            Expr e = text(binder.bind(params.get(k)), name, ast);
            if (!(e instanceof Literal)) {
                throw SqlPositions.error(
                        QueryException.UNSUPPORTED,
                        name + ": the pattern, replacement and options" + " must be string literals",
                        ast);
            }
            args.add(e);
        }
        if (args.stream().anyMatch(ExpressionBinder::isNullLiteral)) {
            return new Literal(null, type);
        }
        String options = fn == ScalarFunction.REGEXP_MATCHES ? optionAt(args, 2) : optionAt(args, 3);
        StringKernels.Regex regex = withPosition(() -> StringKernels.compile(literalText(args.get(1)), options), ast);
        if (fn == ScalarFunction.REGEXP_REPLACE) {
            withPosition(
                    () -> {
                        StringKernels.checkReplacement(literalText(args.get(2)), regex.pattern());
                        return null;
                    },
                    ast);
        } else if (regex.global()) {
            throw SqlPositions.error(
                    QueryException.INVALID_QUERY, "regexp_matches does not support the global" + " option 'g'", ast);
        }
        return call(fn, args, type);
    }

    private Expr datePart(List<Expression> params, Expression ast) {
        arity("date_part", params, 2, 2, ast);
        Expr part = binder.bind(params.get(0));
        if (!(part instanceof Literal) || part.type() != ColumnType.STRING || ExpressionBinder.isNullLiteral(part)) {
            throw SqlPositions.error(QueryException.UNSUPPORTED, "date_part: the part must be a string literal", ast);
        }
        return datePart(literalText(part), binder.bind(params.get(1)), ast);
    }

    private Expr datePart(String partName, Expr ts, Expression ast) {
        Part part = Part.of(partName);
        if (part == null) {
            throw SqlPositions.error(
                    QueryException.INVALID_QUERY,
                    "date part '" + partName + "' is not recognized"
                            + " (year, quarter, month, day, hour, minute, second, millisecond, epoch, dow, doy, week, "
                            + "...)",
                    ast);
        }
        Expr arg = temporal(ts, "date_part", ast);
        if (ExpressionBinder.isNullLiteral(arg)) {
            return new Literal(null, part.resultType());
        }
        return call(
                ScalarFunction.DATE_PART, List.of(new Literal(part.name(), ColumnType.STRING), arg), part.resultType());
    }

    /**
     * {@code date_trunc(unit, ts)}: fixed-length units (second to week) become {@link Expr.DateTrunc},
     * calendar units a {@link ScalarFunction#DATE_TRUNC} call, milliseconds the value itself.
     */
    private Expr dateTrunc(List<Expression> params, Expression ast) {
        arity("date_trunc", params, 2, 2, ast);
        Expr unitExpr = binder.bind(params.get(0));
        if (!(unitExpr instanceof Literal)
                || unitExpr.type() != ColumnType.STRING
                || ExpressionBinder.isNullLiteral(unitExpr)) {
            throw SqlPositions.error(QueryException.UNSUPPORTED, "date_trunc unit must be a string literal", ast);
        }
        String unitName = literalText(unitExpr).toLowerCase(Locale.ROOT);
        Part unit = Part.of(unitName);
        long millis = ExpressionBinder.unitMillis(unitName);
        if (unit == null || millis == 0 && !TimeKernels.isCalendarUnit(unit) && unit != Part.MILLISECOND) {
            throw SqlPositions.error(
                    QueryException.UNSUPPORTED,
                    "date_trunc unit '" + unitName + "' is not supported"
                            + " (millisecond, second, minute, hour, day, week, month, quarter, year, decade, century,"
                            + " millennium)",
                    ast);
        }
        Expr ts = ExpressionBinder.castStringLiteral(binder.bind(params.get(1)), ColumnType.TIMESTAMP, ast);
        ts = temporal(ts, "date_trunc", ast);
        if (ExpressionBinder.isNullLiteral(ts)) {
            return new Literal(null, ColumnType.TIMESTAMP);
        }
        if (unit == Part.MILLISECOND) {
            return ts;
        }
        if (millis > 0) {
            String canonical = unit.name().toLowerCase(Locale.ROOT);
            return ExpressionBinder.fold(new Expr.DateTrunc(millis, canonical, ts));
        }
        return call(
                ScalarFunction.DATE_TRUNC,
                List.of(new Literal(unit.name(), ColumnType.STRING), ts),
                ColumnType.TIMESTAMP);
    }

    // ---- argument checks ----

    private static void arity(String name, List<Expression> params, int min, int max, Expression ast) {
        if (params.size() < min || params.size() > max) {
            String want = min == max ? String.valueOf(min) : min + " to " + max;
            throw SqlPositions.error(
                    QueryException.INVALID_QUERY,
                    name + " takes " + want + " argument" + (max == 1 ? "" : "s") + ", got " + params.size(),
                    ast);
        }
    }

    private static Expr number(Expr e, String name, Expression ast) {
        if (ExpressionBinder.isNullLiteral(e)) {
            return new Literal(null, ColumnType.INT32);
        }
        if (!e.type().isNumeric()) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH, name + " is not defined for " + SqlTypes.sqlName(e.type()), ast);
        }
        return e;
    }

    private static Expr integer(Expr e, String name, Expression ast) {
        if (ExpressionBinder.isNullLiteral(e)) {
            return new Literal(null, ColumnType.INT64);
        }
        e = ExpressionBinder.castStringLiteral(e, ColumnType.INT64, ast);
        if (!SqlTypes.isInteger(e.type())) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH, name + " needs an integer, got " + SqlTypes.sqlName(e.type()), ast);
        }
        return ExpressionBinder.castTo(e, ColumnType.INT64);
    }

    private static Expr text(Expr e, String name, Expression ast) {
        if (ExpressionBinder.isNullLiteral(e)) {
            return new Literal(null, ColumnType.STRING);
        }
        if (e.type() != ColumnType.STRING) {
            throw SqlPositions.error(
                    QueryException.TYPE_MISMATCH,
                    name + " needs VARCHAR arguments, got " + SqlTypes.sqlName(e.type()),
                    ast);
        }
        return e;
    }

    /** An argument of concat or {@code ||}: VARCHAR as it is, other types cast to VARCHAR. */
    private static Expr toText(Expr e, String name, Expression ast) {
        if (ExpressionBinder.isNullLiteral(e)) {
            return new Literal(null, ColumnType.STRING);
        }
        if (e.type() == ColumnType.STRING) {
            return e;
        }
        if (!CastKernels.supported(e.type(), ColumnType.STRING)) {
            throw SqlPositions.error(
                    QueryException.UNSUPPORTED,
                    name + " of " + SqlTypes.sqlName(e.type()) + " is not supported (it would need CAST("
                            + SqlTypes.sqlName(e.type()) + " AS VARCHAR))",
                    ast);
        }
        return ExpressionBinder.foldConstant(new Expr.Convert(e, ColumnType.STRING));
    }

    /** The time argument of date_part/date_trunc: a TIMESTAMP as is, a DATE as its midnight UTC (as DuckDB). */
    private static Expr temporal(Expr e, String name, Expression ast) {
        if (ExpressionBinder.isNullLiteral(e)) {
            return new Literal(null, ColumnType.TIMESTAMP);
        }
        switch (e.type()) {
            case TIMESTAMP:
                return e;
            case DATE:
                return ExpressionBinder.foldConstant(new Expr.Convert(e, ColumnType.TIMESTAMP));
            default:
                throw SqlPositions.error(
                        QueryException.TYPE_MISMATCH,
                        name + " needs a TIMESTAMP, got " + SqlTypes.sqlName(e.type()),
                        ast);
        }
    }

    private static String optionAt(List<Expr> args, int index) {
        return args.size() > index ? literalText(args.get(index)) : "";
    }

    private static String literalText(Expr e) {
        return (String) ((Literal) e).value();
    }

    /** Runs a check that throws a position-less QueryException, adding the call's position. */
    private static <T> T withPosition(Supplier<T> check, Expression ast) {
        try {
            return check.get();
        } catch (QueryException e) {
            throw e.hasPosition() ? e : SqlPositions.error(e.code(), e.reason(), ast);
        }
    }

    /** The call, folded to a literal when every argument is one. */
    private static Expr call(ScalarFunction fn, List<Expr> args, ColumnType type) {
        Expr e = new Expr.Call(fn, List.copyOf(args), type);
        if (fn != ScalarFunction.CONCAT && args.stream().anyMatch(ExpressionBinder::isNullLiteral)) {
            return new Literal(null, type);
        }
        return ExpressionBinder.foldConstant(e);
    }
}
