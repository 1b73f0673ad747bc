/**
 * River's SQL: a vectorized executor over Arrow scans with DuckDB's semantics.
 *
 * <h2>Pipeline</h2>
 * {@link io.river.engine.query.QueryEngine#execute} parses with JSqlParser ({@code SqlFrontEnd}),
 * binds names and types into River's own {@code LogicalPlan} ({@code QueryPlanner},
 * {@code ExpressionBinder}), takes one snapshot from the {@link io.river.engine.query.Catalog}, and
 * runs {@code QueryExecution}: a scan of only the referenced columns with a zone-map block filter
 * ({@code ZoneMapPruner}), splits pulled by the calling thread and pool workers, each batch
 * filtered by narrowing its selection vector conjunct by conjunct ({@code VectorEvaluator}), then
 * folded into per-worker hash aggregation ({@code GroupTable} + {@code Accumulator}s) or row
 * collection with top-N ({@code RowCollector}); partials are merged on the calling thread.
 * Scans read cached blocks in place and take dictionary-encoded string columns as codes
 * ({@code Vec.DictVec}): a comparison with a literal, IN or LIKE on such a column is evaluated once
 * per dictionary entry and looked up by code, and GROUP BY on it finds each code's group once per
 * dictionary. A numeric column compared with a constant narrows the selection in one primitive loop;
 * a top-N skips the blocks its running bar rules out ({@code TopNBound}).
 *
 * <h2>Supported SQL</h2>
 * One SELECT statement per request (a trailing {@code ;} allowed; a second statement is refused).
 * FROM one table, a subquery ({@code FROM (SELECT ...) AS t}) or a CTE ({@code WITH a AS (...), b
 * AS (...)}, optionally with column names), or no FROM ({@code SELECT 1 + 1}); {@code UNION ALL} of
 * SELECTs with ORDER BY/LIMIT over the whole ({@code SelectRunner}: subqueries, CTEs and union
 * branches run first and are queried as materialized rows). SELECT list with aliases, {@code *} and
 * {@code t.*}; SELECT DISTINCT; WHERE with {@code = <> != < <= > >=}, AND/OR/NOT (three-valued),
 * [NOT] IN (list), [NOT] BETWEEN, [NOT] LIKE ({@code %}, {@code _}, optional ESCAPE), IS [NOT]
 * NULL; arithmetic {@code + - * / %} and unary minus; {@code CASE} (searched and simple; a branch is
 * evaluated only on its own rows), {@code COALESCE}, {@code NULLIF}; {@code abs}, {@code round(x[,
 * p])}, {@code floor}, {@code ceil}/{@code ceiling}; {@code length}, {@code strlen}, {@code lower},
 * {@code upper}, {@code substring}/{@code substr}, {@code concat}, {@code ||}, {@code replace},
 * {@code trim}/{@code ltrim}/{@code rtrim}, {@code starts_with}, {@code contains},
 * {@code regexp_matches}, {@code regexp_replace}; {@code EXTRACT(part FROM ts)}/{@code date_part}
 * (year to millisecond, epoch, dow, isodow, doy, week, ...), {@code date_trunc} (millisecond to
 * millennium); {@code now()}/{@code CURRENT_TIMESTAMP} (one instant per query) and
 * {@code ts +/- INTERVAL} ({@code 5 MINUTE}, {@code '5 minutes'}, {@code '1' DAY}, milliseconds to
 * years; months on the calendar). Calls and casts over constants fold to literals, so
 * {@code WHERE ts > now() - INTERVAL '5 minutes'} still skips blocks. {@code CAST(x AS t)} /
 * {@code x::t} between INTEGER, BIGINT, DOUBLE, VARCHAR, BOOLEAN, TIMESTAMP and BLOB. COUNT(*),
 * COUNT([DISTINCT] x), SUM([DISTINCT] x), AVG([DISTINCT] x), MIN, MAX, APPROX_COUNT_DISTINCT
 * (HyperLogLog, exact below 2048 distinct values per group); GROUP BY expressions, select-list
 * positions or aliases; HAVING; ORDER BY expressions, aggregates, positions or aliases, ASC/DESC,
 * NULLS FIRST/LAST; LIMIT/OFFSET. Identifiers resolve exactly, then case-insensitively; double
 * quotes force an exact match. A function of one dictionary-encoded string column (with literal
 * other arguments) is evaluated once per dictionary entry, in filters and in GROUP BY alike.
 *
 * <h2>Limits</h2>
 * More than 128 nested parentheses or 2048 AND/OR operators are refused before parsing
 * ({@code SqlShapeGuard}); a chain {@code x = a OR x = b OR ...} becomes one IN list, and other
 * AND/OR chains balanced trees.
 *
 * <h2>Semantics (DuckDB's)</h2>
 * Integer literals are INTEGER when they fit, else BIGINT; integer {@code + - * %} keep the wider
 * integer type and fail on overflow; {@code /} is always DOUBLE ({@code 1/0} is Infinity);
 * integer {@code %} by zero fails; a string literal next to a typed operand is cast to its type
 * (so {@code ts > '2024-01-01 00:00:00'} and {@code TIMESTAMP '...'} both work). Strings compare by
 * UTF-8 bytes (code point order); NaN is above every double. NULLs sort last for ASC and DESC
 * unless NULLS FIRST is given. COUNT is BIGINT, AVG DOUBLE, SUM of integers BIGINT, SUM of DOUBLE
 * DOUBLE, MIN/MAX keep their argument's type.
 *
 * <h2>Known differences from DuckDB</h2>
 * Decimal literals ({@code 1.5}) are DOUBLE, not DECIMAL (values agree to float precision). SUM of
 * integers is summed exactly in 128 bits like DuckDB's HUGEINT, but a final sum outside BIGINT's
 * range fails with {@code out_of_range} instead of returning a HUGEINT. Timestamps have millisecond
 * precision. Regular expressions run on Java's engine with RE2's syntax where both agree
 * ({@code (?P<name>...)} is translated; RE2-only constructs may differ). {@code upper}/{@code lower}
 * map single code points with Java's Unicode tables. TRY_CAST, other scalar functions, joins,
 * subqueries in expressions, UNION without ALL, INTERSECT, EXCEPT, recursive CTEs and window
 * functions are rejected with {@code unsupported}.
 *
 * <h2>Results</h2>
 * {@link io.river.engine.query.QueryResult} rows hold Java values per
 * {@link io.river.engine.model.ColumnType} (TIMESTAMP as {@link java.time.Instant}); errors are
 * {@link io.river.engine.query.QueryException} with a code and, where known, line and column.
 */
package io.river.engine.query;
