package io.river.engine.query;

import io.river.engine.model.ColumnType;
import java.util.Arrays;
import java.util.List;

/**
 * A bound, typed scalar expression of River's logical plan. Column references point at input
 * slots (the scanned columns, or after aggregation the group keys followed by the aggregates).
 * Every node is an immutable record with structural equality, which the planner uses to match
 * SELECT expressions against GROUP BY keys. Literal values: Long for INT32/INT64/TIMESTAMP (epoch
 * millis), Double, Boolean, String, {@link Blob} for BYTES, null for NULL.
 */
sealed interface Expr {
    ColumnType type();

    /** An input slot. */
    record ColumnRef(int slot, String name, ColumnType type) implements Expr {}

    record Literal(Object value, ColumnType type) implements Expr {
        boolean isNull() {
            return value == null;
        }
    }

    /** Arithmetic; operands already cast to the result type (except {@code %}/{@code /} rules). */
    record Arith(ArithOp op, Expr left, Expr right, ColumnType type) implements Expr {}

    record Negate(Expr arg, ColumnType type) implements Expr {}

    /** Numeric widening: INT32 to INT64 or an integer to DOUBLE. */
    record Cast(Expr arg, ColumnType type) implements Expr {}

    /** Comparison of two operands of one comparable type. */
    record Compare(CmpOp op, Expr left, Expr right) implements Expr {
        public ColumnType type() {
            return ColumnType.BOOLEAN;
        }
    }

    record And(Expr left, Expr right) implements Expr {
        public ColumnType type() {
            return ColumnType.BOOLEAN;
        }
    }

    record Or(Expr left, Expr right) implements Expr {
        public ColumnType type() {
            return ColumnType.BOOLEAN;
        }
    }

    record Not(Expr arg) implements Expr {
        public ColumnType type() {
            return ColumnType.BOOLEAN;
        }
    }

    record IsNull(Expr arg, boolean negated) implements Expr {
        public ColumnType type() {
            return ColumnType.BOOLEAN;
        }
    }

    /** {@code arg [NOT] IN (literals)}, literals of arg's type (NULLs allowed). */
    record InList(Expr arg, List<Literal> values, boolean negated) implements Expr {
        public ColumnType type() {
            return ColumnType.BOOLEAN;
        }
    }

    /** {@code arg [NOT] LIKE pattern} on a string; escape is 0 when none. */
    record Like(Expr arg, String pattern, char escape, boolean negated) implements Expr {
        public ColumnType type() {
            return ColumnType.BOOLEAN;
        }
    }

    /** {@code date_trunc(unit, ts)}: TIMESTAMP floored to a multiple of the unit. */
    record DateTrunc(long unitMillis, String unit, Expr arg) implements Expr {
        public ColumnType type() {
            return ColumnType.TIMESTAMP;
        }
    }

    /**
     * {@code CASE WHEN c1 THEN r1 ... [ELSE e] END}: the first branch whose condition is TRUE (not
     * NULL) gives the value, else {@code otherwise} (a NULL literal when absent). Results share one type.
     */
    record Case(List<Expr> conditions, List<Expr> results, Expr otherwise, ColumnType type) implements Expr {}

    /** {@code CAST(arg AS type)}: an explicit conversion with DuckDB's rules (see {@code CastKernels}). */
    record Convert(Expr arg, ColumnType type) implements Expr {}

    /** {@code COALESCE(a, b, ...)}: the first non-NULL argument; arguments share one type. */
    record Coalesce(List<Expr> args, ColumnType type) implements Expr {}

    /**
     * A scalar function call: {@code args} already have the types {@code function} takes (see
     * {@code FunctionBinder}); constant arguments the function needs at bind time (a regular
     * expression, a date part) are literals.
     */
    record Call(ScalarFunction function, List<Expr> args, ColumnType type) implements Expr {}

    enum ArithOp {
        ADD("+", "addition"),
        SUB("-", "subtraction"),
        MUL("*", "multiplication"),
        DIV("/", "division"),
        MOD("%", "modulo");

        final String symbol;
        final String noun;

        ArithOp(String symbol, String noun) {
            this.symbol = symbol;
            this.noun = noun;
        }
    }

    enum CmpOp {
        EQ("="),
        NE("<>"),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        final String symbol;

        CmpOp(String symbol) {
            this.symbol = symbol;
        }

        /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
        CmpOp flip() {
            switch (this) {
                case LT:
                    return GT;
                case LE:
                    return GE;
                case GT:
                    return LT;
                case GE:
                    return LE;
                default:
                    return this;
            }
        }

        boolean test(int cmp) {
            switch (this) {
                case EQ:
                    return cmp == 0;
                case NE:
                    return cmp != 0;
                case LT:
                    return cmp < 0;
                case LE:
                    return cmp <= 0;
                case GT:
                    return cmp > 0;
                default:
                    return cmp >= 0;
            }
        }
    }

    /** A BYTES literal with value equality. */
    record Blob(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Blob && Arrays.equals(((Blob) o).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Blob" + Arrays.toString(bytes);
        }
    }
}
