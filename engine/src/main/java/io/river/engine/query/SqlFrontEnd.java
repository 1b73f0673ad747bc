package io.river.engine.query;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.TableFunction;

/**
 * Parses SQL text with JSqlParser (on the calling thread, no parser timeout pool) after {@link
 * SqlShapeGuard} has vetted its shape, checks that it is exactly one SELECT statement, and names the
 * constructs outside River's subset (joins, windows, lateral subqueries, ...). Stateless.
 */
final class SqlFrontEnd {
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private SqlFrontEnd() {}

    /**
     * Parses one SELECT statement (a trailing {@code ;} allowed); anything else, or a second
     * statement, is refused. The SELECT may be a plain one, a UNION ALL, parenthesized, and carry
     * WITH; {@link SelectRunner} checks what is inside.
     */
    static Select parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new QueryException(QueryException.SYNTAX_ERROR, "empty query");
        }
        SqlShapeGuard.check(sql);
        Statement st;
        try {
            CCJSqlParser parser = CCJSqlParserUtil.newParser(sql);
            st = parser.Statement();
            requireEnd(parser);
        } catch (ParseException e) {
            throw syntaxError(e, sql);
        } catch (TokenMgrException e) {
            throw syntaxError(e, sql);
        } catch (StackOverflowError e) {
            throw tooComplex();
        }
        if (!(st instanceof Select)) {
            throw new QueryException(
                    QueryException.UNSUPPORTED,
                    "only SELECT statements are supported, got "
                            + st.getClass()
                                    .getSimpleName()
                                    .replace("Statement", "")
                                    .toUpperCase(Locale.ROOT));
        }
        return (Select) st;
    }

    /** Refuses the clauses of a plain SELECT that River does not run (joins, windows, QUALIFY, ...). */
    static void checkPlainSelect(PlainSelect ps) {
        if (ps.getJoins() != null && !ps.getJoins().isEmpty()) {
            throw new QueryException(QueryException.UNSUPPORTED, "JOIN is not supported (one table per query)");
        }
        if (ps.getWindowDefinitions() != null && !ps.getWindowDefinitions().isEmpty()) {
            throw new QueryException(QueryException.UNSUPPORTED, "window functions (WINDOW) are not supported");
        }
        if (ps.getQualify() != null) {
            throw new QueryException(QueryException.UNSUPPORTED, "QUALIFY is not supported");
        }
        if (ps.getIntoTables() != null
                || ps.getTop() != null
                || ps.getLateralViews() != null
                || ps.getOracleHierarchical() != null
                || ps.getSampleClause() != null) {
            throw new QueryException(QueryException.UNSUPPORTED, "this SELECT clause is not supported: " + ps);
        }
    }

    /**
     * Refuses FROM items other than a table name and a parenthesized query: lateral subqueries,
     * table functions, parenthesized joins.
     */
    static void checkFromItem(FromItem from) {
        if (from instanceof LateralSubSelect) {
            throw new QueryException(QueryException.UNSUPPORTED, "LATERAL subqueries are not supported");
        }
        if (from instanceof TableFunction) {
            throw new QueryException(QueryException.UNSUPPORTED, "table functions are not supported");
        }
        if (from instanceof ParenthesedFromItem) {
            throw new QueryException(QueryException.UNSUPPORTED, "parenthesized FROM items (joins) are not supported");
        }
        if (!(from instanceof Table) && !(from instanceof ParenthesedSelect)) {
            throw new QueryException(QueryException.UNSUPPORTED, "FROM " + from + " is not supported");
        }
        if (from instanceof Table && ((Table) from).getSchemaName() != null) {
            throw new QueryException(
                    QueryException.UNKNOWN_TABLE,
                    "table " + ((Table) from).getFullyQualifiedName()
                            + " not found: River tables have no schema qualifier");
        }
    }

    /** Refuses a second statement after the first one's {@code ;} (trailing semicolons are fine). */
    private static void requireEnd(CCJSqlParser parser) {
        int k = 1;
        while (";".equals(parser.getToken(k).image) && parser.getToken(k).kind != CCJSqlParserConstants.EOF) {
            k++;
        }
        Token next = parser.getToken(k);
        if (next.kind != CCJSqlParserConstants.EOF) {
            throw new QueryException(
                    QueryException.UNSUPPORTED,
                    "one statement per request: found '" + next.image + "' after the first statement",
                    next.beginLine,
                    next.beginColumn);
        }
    }

    /** The error for a query whose parse or plan ran out of stack. */
    static QueryException tooComplex() {
        return new QueryException(
                QueryException.INVALID_QUERY,
                "the query is too deeply nested to plan; simplify"
                        + " it (fewer nested expressions, IN lists instead of long OR chains)");
    }

    private static QueryException syntaxError(ParseException e, String sql) {
        Token next = e.currentToken == null ? null : e.currentToken.next;
        if (next != null && next.beginLine > 0) {
            String what = next.image == null || next.image.isEmpty() ? "end of input" : "'" + next.image + "'";
            return new QueryException(
                    QueryException.SYNTAX_ERROR, "syntax error at or near " + what, next.beginLine, next.beginColumn);
        }
        return fromMessage(e.getMessage());
    }

    private static QueryException syntaxError(Throwable e, String sql) {
        return fromMessage(e.getMessage());
    }

    private static QueryException fromMessage(String message) {
        String first = message == null ? "syntax error" : message.split("\n")[0];
        Matcher m = POSITION.matcher(first);
        if (m.find()) {
            return new QueryException(
                    QueryException.SYNTAX_ERROR,
                    "syntax error: " + first,
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)));
        }
        return new QueryException(QueryException.SYNTAX_ERROR, "syntax error: " + first);
    }
}
