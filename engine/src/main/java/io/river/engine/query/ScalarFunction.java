package io.river.engine.query;

/**
 * The scalar functions River evaluates through {@link Expr.Call}, each with DuckDB's semantics (see
 * {@link MathKernels}, {@link StringKernels}, {@link TimeKernels}). Unless noted, a function is
 * strict: a NULL argument gives NULL.
 */
enum ScalarFunction {
    ABS,
    ROUND,
    FLOOR,
    CEIL,
    LENGTH,
    STRLEN,
    LOWER,
    UPPER,
    SUBSTRING,
    /** {@code concat(...)}: NULL arguments are skipped (not strict). */
    CONCAT,
    /** {@code a || b}: NULL when either side is. */
    CONCAT_OPERATOR,
    REPLACE,
    TRIM,
    LTRIM,
    RTRIM,
    STARTS_WITH,
    CONTAINS,
    REGEXP_MATCHES,
    REGEXP_REPLACE,
    /** {@code date_part('part', ts)}, also {@code EXTRACT(part FROM ts)}; the part is a literal. */
    DATE_PART,
    /** {@code date_trunc('unit', ts)} for calendar units (month, quarter, year, ...); the unit is a literal. */
    DATE_TRUNC,
    /** {@code ts + n months}, as {@code ts + INTERVAL 'n months'}: the day is clamped to the month's end. */
    ADD_MONTHS;

    /** True when the function can answer NULL only for a NULL argument, and never fails on a value. */
    boolean isStrictAndTotal() {
        switch (this) {
            case LENGTH:
            case STRLEN:
            case LOWER:
            case UPPER:
            case SUBSTRING:
            case CONCAT_OPERATOR:
            case REPLACE:
            case TRIM:
            case LTRIM:
            case RTRIM:
            case STARTS_WITH:
            case CONTAINS:
            case REGEXP_MATCHES:
            case REGEXP_REPLACE:
                return true;
            default:
                return false;
        }
    }
}
