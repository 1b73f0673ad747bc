package io.river.engine.query;

import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.parser.Node;
import net.sf.jsqlparser.parser.Token;

/**
 * Best-effort source positions of parsed expressions for error messages. JSqlParser records a
 * token range only on some node kinds (columns, functions, ...); for the others this takes the
 * position of the leftmost operand that has one. Stateless.
 */
final class SqlPositions {
    private SqlPositions() {}

    /** {line, column} (1-based) of the expression's first token, or {0, 0} when unknown. */
    static int[] of(Expression e) {
        for (int depth = 0; e != null && depth < 64; depth++) {
            Node node = e.getASTNode();
            if (node != null && node.jjtGetFirstToken() != null) {
                Token t = node.jjtGetFirstToken();
                return new int[] {t.beginLine, t.beginColumn};
            }
            e = leftmost(e);
        }
        return new int[] {0, 0};
    }

    static QueryException error(String code, String reason, Expression at) {
        int[] p = of(at);
        return new QueryException(code, reason, p[0], p[1]);
    }

    private static Expression leftmost(Expression e) {
        if (e instanceof BinaryExpression) {
            return ((BinaryExpression) e).getLeftExpression();
        } else if (e instanceof SignedExpression) {
            return ((SignedExpression) e).getExpression();
        } else if (e instanceof NotExpression) {
            return ((NotExpression) e).getExpression();
        } else if (e instanceof Between) {
            return ((Between) e).getLeftExpression();
        } else if (e instanceof InExpression) {
            return ((InExpression) e).getLeftExpression();
        } else if (e instanceof IsNullExpression) {
            return ((IsNullExpression) e).getLeftExpression();
        } else if (e instanceof ExpressionList && !((ExpressionList<?>) e).isEmpty()) {
            return (Expression) ((ExpressionList<?>) e).get(0);
        }
        return null;
    }
}
