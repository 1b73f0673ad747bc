package io.river.engine.query;

import io.river.engine.query.Expr.CmpOp;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Builds the scan's block filter from the WHERE conjuncts: a block is skipped when some conjunct
 * can be TRUE for none of its rows according to its zone maps (min/max/null count per column, or
 * the column missing from the block). Understands {@code col <op> literal} (either side, numeric
 * casts included), BETWEEN, IN lists, IS [NOT] NULL, LIKE with a literal prefix, AND and OR; any
 * other condition keeps the block. Unknown or mistyped stats keep the block. Stateless; the
 * predicate is immutable and thread-safe.
 */
final class ZoneMapPruner {
    private ZoneMapPruner() {}

    /** The block filter for these conjuncts over {@code scanColumns}, or null when none can prune. */
    static Predicate<BlockStats> build(List<Expr> conjuncts) {
        List<Expr> useful = conjuncts.stream().filter(ZoneMapPruner::prunable).toList();
        if (useful.isEmpty()) {
            return null;
        }
        return stats -> {
            for (Expr e : useful) {
                if (!mayMatch(e, stats)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static boolean prunable(Expr e) {
        if (e instanceof Expr.And) {
            return prunable(((Expr.And) e).left()) || prunable(((Expr.And) e).right());
        } else if (e instanceof Expr.Or) {
            return prunable(((Expr.Or) e).left()) && prunable(((Expr.Or) e).right());
        } else if (e instanceof Expr.Compare) {
            Expr.Compare c = (Expr.Compare) e;
            return column(c.left()) != null && c.right() instanceof Expr.Literal
                    || column(c.right()) != null && c.left() instanceof Expr.Literal;
        } else if (e instanceof Expr.IsNull) {
            return column(((Expr.IsNull) e).arg()) != null;
        } else if (e instanceof Expr.InList) {
            return !((Expr.InList) e).negated() && column(((Expr.InList) e).arg()) != null;
        } else if (e instanceof Expr.Like) {
            Expr.Like l = (Expr.Like) e;
            return !l.negated() && column(l.arg()) != null;
        } else if (e instanceof Expr.Literal) {
            return true;
        }
        return false;
    }

    /** The column a value-preserving expression reads, or null. */
    private static Expr.ColumnRef column(Expr e) {
        if (e instanceof Expr.Cast) {
            e = ((Expr.Cast) e).arg();
        }
        return e instanceof Expr.ColumnRef ? (Expr.ColumnRef) e : null;
    }

    static boolean mayMatch(Expr e, BlockStats b) {
        if (e instanceof Expr.And) {
            return mayMatch(((Expr.And) e).left(), b) && mayMatch(((Expr.And) e).right(), b);
        } else if (e instanceof Expr.Or) {
            return mayMatch(((Expr.Or) e).left(), b) || mayMatch(((Expr.Or) e).right(), b);
        } else if (e instanceof Expr.Literal) {
            Object v = ((Expr.Literal) e).value();
            return !(Boolean.FALSE.equals(v) || v == null);
        } else if (e instanceof Expr.Compare) {
            Expr.Compare c = (Expr.Compare) e;
            if (column(c.left()) != null && c.right() instanceof Expr.Literal) {
                return compare(column(c.left()).name(), c.op(), (Expr.Literal) c.right(), b);
            } else if (column(c.right()) != null && c.left() instanceof Expr.Literal) {
                return compare(column(c.right()).name(), c.op().flip(), (Expr.Literal) c.left(), b);
            }
            return true;
        } else if (e instanceof Expr.IsNull) {
            Expr.IsNull n = (Expr.IsNull) e;
            String name = column(n.arg()) == null ? null : column(n.arg()).name();
            if (name == null) {
                return true;
            }
            if (b.lacksColumn(name)) {
                return !n.negated();
            }
            ColumnStats s = b.column(name);
            if (s == null) {
                return true;
            }
            return n.negated() ? s.nullCount() < b.rowCount() : s.nullCount() > 0;
        } else if (e instanceof Expr.InList) {
            Expr.InList in = (Expr.InList) e;
            if (in.negated() || column(in.arg()) == null) {
                return true;
            }
            for (Expr.Literal l : in.values()) {
                if (!l.isNull() && compare(column(in.arg()).name(), CmpOp.EQ, l, b)) {
                    return true;
                }
            }
            return false;
        } else if (e instanceof Expr.Like) {
            return like((Expr.Like) e, b);
        }
        return true;
    }

    private static boolean compare(String name, CmpOp op, Expr.Literal lit, BlockStats b) {
        if (lit.isNull() || b.lacksColumn(name)) {
            return false;
        }
        ColumnStats s = b.column(name);
        if (s == null) {
            return true;
        }
        if (s.min() == null || s.max() == null) {
            return s.nullCount() < b.rowCount();
        }
        Integer lo = cmp(s.min(), lit.value());
        Integer hi = cmp(s.max(), lit.value());
        if (lo == null || hi == null) {
            return true;
        }
        switch (op) {
            case EQ:
                return lo <= 0 && hi >= 0;
            case NE:
                return !(lo == 0 && hi == 0);
            case LT:
                return lo < 0;
            case LE:
                return lo <= 0;
            case GT:
                return hi > 0;
            default:
                return hi >= 0;
        }
    }

    private static boolean like(Expr.Like l, BlockStats b) {
        if (l.negated() || column(l.arg()) == null) {
            return true;
        }
        String name = column(l.arg()).name();
        if (b.lacksColumn(name)) {
            return false;
        }
        ColumnStats s = b.column(name);
        if (s == null || !(s.min() instanceof String) || !(s.max() instanceof String)) {
            return s == null || s.nullCount() < b.rowCount() || s.min() != null;
        }
        byte[] prefix = new LikeMatcher(l.pattern(), l.escape()).prefix();
        if (prefix == null || orderAmbiguous((String) s.min()) || orderAmbiguous((String) s.max())) {
            return true;
        }
        byte[] min = ((String) s.min()).getBytes(StandardCharsets.UTF_8);
        byte[] max = ((String) s.max()).getBytes(StandardCharsets.UTF_8);
        // a match starts with prefix: it is >= prefix and its first |prefix| bytes equal prefix
        boolean maxReaches = Arrays.compareUnsigned(max, prefix) >= 0;
        int m = Math.min(min.length, prefix.length);
        boolean minBelow = Arrays.compareUnsigned(min, 0, m, prefix, 0, prefix.length) <= 0;
        return maxReaches && minBelow;
    }

    /**
     * True when a string zone-map bound holds a char at or above U+D800. SQL orders strings by code
     * point (UTF-8 bytes) while a writer may have picked min/max in Java's UTF-16 order; the two
     * disagree only between chars U+E000..U+FFFF and supplementary ones (surrogate pairs), and then
     * the bound it picked contains such a char. Such bounds are not trusted.
     */
    static boolean orderAmbiguous(String bound) {
        for (int i = 0; i < bound.length(); i++) {
            if (bound.charAt(i) >= Character.MIN_SURROGATE) {
                return true;
            }
        }
        return false;
    }

    /** Stat value vs literal value, or null when they are not comparable. */
    private static Integer cmp(Object stat, Object lit) {
        if (stat instanceof Instant || stat instanceof LocalDate) {
            stat = SqlTypes.asLong(stat);
        }
        if (stat instanceof Number && lit instanceof Number) {
            if (stat instanceof Double || lit instanceof Double || stat instanceof Float) {
                return ValueOrder.compareDoubles(((Number) stat).doubleValue(), ((Number) lit).doubleValue());
            }
            return Long.compare(((Number) stat).longValue(), ((Number) lit).longValue());
        } else if (stat instanceof String && lit instanceof String) {
            if (orderAmbiguous((String) stat)) {
                return null;
            }
            return Arrays.compareUnsigned(
                    ((String) stat).getBytes(StandardCharsets.UTF_8), ((String) lit).getBytes(StandardCharsets.UTF_8));
        } else if (stat instanceof byte[] && lit instanceof Expr.Blob) {
            return Arrays.compareUnsigned((byte[]) stat, ((Expr.Blob) lit).bytes());
        } else if (stat instanceof Boolean && lit instanceof Boolean) {
            return Boolean.compare((Boolean) stat, (Boolean) lit);
        }
        return null;
    }
}
