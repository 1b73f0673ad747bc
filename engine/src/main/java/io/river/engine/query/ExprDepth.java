package io.river.engine.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Bounds how deeply bound expressions nest, so that evaluating them (which recurses once per level
 * on worker threads with ordinary stacks) cannot overflow: deeper than {@value #MAX_DEPTH} levels
 * is refused with {@code invalid_query}. The walk itself keeps its own stack. Stateless.
 */
final class ExprDepth {
    static final int MAX_DEPTH = 500;

    private ExprDepth() {}

    /** Throws {@code invalid_query} when {@code e} nests more than {@value #MAX_DEPTH} levels. */
    static void check(Expr e) {
        Deque<Expr> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(e);
        depths.push(1);
        while (!nodes.isEmpty()) {
            Expr node = nodes.pop();
            int depth = depths.pop();
            if (depth > MAX_DEPTH) {
                throw new QueryException(
                        QueryException.INVALID_QUERY,
                        "an expression nests more than " + MAX_DEPTH + " levels deep; simplify it");
            }
            for (Expr child : children(node)) {
                nodes.push(child);
                depths.push(depth + 1);
            }
        }
    }

    /** The direct operands of {@code e}. */
    static List<Expr> children(Expr e) {
        if (e instanceof Expr.Arith) {
            return List.of(((Expr.Arith) e).left(), ((Expr.Arith) e).right());
        } else if (e instanceof Expr.Compare) {
            return List.of(((Expr.Compare) e).left(), ((Expr.Compare) e).right());
        } else if (e instanceof Expr.And) {
            return List.of(((Expr.And) e).left(), ((Expr.And) e).right());
        } else if (e instanceof Expr.Or) {
            return List.of(((Expr.Or) e).left(), ((Expr.Or) e).right());
        } else if (e instanceof Expr.Negate) {
            return List.of(((Expr.Negate) e).arg());
        } else if (e instanceof Expr.Cast) {
            return List.of(((Expr.Cast) e).arg());
        } else if (e instanceof Expr.Not) {
            return List.of(((Expr.Not) e).arg());
        } else if (e instanceof Expr.IsNull) {
            return List.of(((Expr.IsNull) e).arg());
        } else if (e instanceof Expr.InList) {
            return List.of(((Expr.InList) e).arg());
        } else if (e instanceof Expr.Like) {
            return List.of(((Expr.Like) e).arg());
        } else if (e instanceof Expr.DateTrunc) {
            return List.of(((Expr.DateTrunc) e).arg());
        } else if (e instanceof Expr.Convert) {
            return List.of(((Expr.Convert) e).arg());
        } else if (e instanceof Expr.Coalesce) {
            return ((Expr.Coalesce) e).args();
        } else if (e instanceof Expr.Call) {
            return ((Expr.Call) e).args();
        } else if (e instanceof Expr.Case) {
            Expr.Case c = (Expr.Case) e;
            List<Expr> all = new ArrayList<>(c.conditions());
            all.addAll(c.results());
            all.add(c.otherwise());
            return all;
        }
        return List.of();
    }
}
