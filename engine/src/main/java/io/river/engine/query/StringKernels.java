package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.LongVec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * String functions with DuckDB's semantics: {@code length} counts characters (code points) and
 * {@code strlen} UTF-8 bytes; {@code lower}/{@code upper} map each code point on its own;
 * {@code substring} is 1-based on characters (start 0 begins one before the first character, a
 * negative start counts from the end, a negative length takes the characters before the start);
 * {@code concat} skips NULLs while {@code ||} propagates them; {@code trim} removes spaces (or the
 * given characters); {@code replace} of an empty string changes nothing. Regular expressions use
 * RE2's syntax as far as Java's engine shares it: {@code regexp_matches} finds a match anywhere,
 * {@code regexp_replace} replaces the first match (all with option {@code g}) and takes {@code \1}
 * for a group in the replacement; options {@code c i l m n p s g}. Not thread-safe: one per
 * evaluator (it caches compiled patterns).
 */
final class StringKernels {
    private static final int MAX_PATTERNS = 256;
    private final Map<List<String>, Regex> patterns = new HashMap<>();

    /** A compiled pattern with its options. */
    record Regex(Pattern pattern, boolean global) {}

    /**
     * Compiles {@code pattern} under DuckDB's option letters; an invalid pattern or option fails
     * with {@code invalid_query}.
     */
    static Regex compile(String pattern, String options) {
        int flags = Pattern.UNIX_LINES;
        boolean global = false;
        for (int k = 0; k < options.length(); k++) {
            char o = options.charAt(k);
            switch (o) {
                case 'c':
                    flags &= ~(Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                    break;
                case 'i':
                    flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    break;
                case 'l':
                    flags |= Pattern.LITERAL;
                    break;
                case 'm':
                case 'n':
                case 'p':
                    flags &= ~Pattern.DOTALL;
                    break;
                case 's':
                    flags |= Pattern.DOTALL;
                    break;
                case 'g':
                    global = true;
                    break;
                default:
                    throw new QueryException(QueryException.INVALID_QUERY, "Unrecognized Regex option " + o);
            }
        }
        String javaPattern = (flags & Pattern.LITERAL) != 0 ? pattern : pattern.replace("(?P<", "(?<");
        try {
            return new Regex(Pattern.compile(javaPattern, flags), global);
        } catch (PatternSyntaxException e) {
            throw new QueryException(
                    QueryException.INVALID_QUERY,
                    "invalid regular expression '" + pattern + "': " + e.getDescription());
        }
    }

    /**
     * Checks a {@code regexp_replace} replacement against its pattern: a backslash must be followed
     * by a digit naming an existing group or by another backslash.
     */
    static void checkReplacement(String replacement, Pattern pattern) {
        int groups = pattern.matcher("").groupCount();
        for (int k = 0; k < replacement.length(); k++) {
            if (replacement.charAt(k) != '\\') {
                continue;
            }
            char next = k + 1 < replacement.length() ? replacement.charAt(k + 1) : 0;
            if (next >= '0' && next <= '9') {
                if (next - '0' > groups) {
                    throw new QueryException(
                            QueryException.INVALID_QUERY,
                            "Invalid replacement string for" + " regexp_replace: it refers to group " + next
                                    + ", but the pattern has " + groups);
                }
            } else if (next != '\\') {
                throw new QueryException(
                        QueryException.INVALID_QUERY,
                        "Invalid replacement string for" + " regexp_replace: '\\' must be followed by a digit or '\\'");
            }
            k++;
        }
    }

    private Regex regex(String pattern, String options) {
        List<String> key = List.of(pattern, options);
        Regex r = patterns.get(key);
        if (r == null) {
            if (patterns.size() >= MAX_PATTERNS) {
                patterns.clear();
            }
            r = compile(pattern, options);
            patterns.put(key, r);
        }
        return r;
    }

    // ---- evaluation ----

    /** Evaluates {@code fn} (a string function) over its evaluated arguments. */
    Vec eval(ScalarFunction fn, Vec[] args, ColumnType type, int rows, int[] sel, int n) {
        switch (fn) {
            case LENGTH:
                return mapBytes(args[0], rows, sel, n, (b, off, len) -> (long) codePoints(b, off, len));
            case STRLEN:
                return mapBytes(args[0], rows, sel, n, (b, off, len) -> (long) len);
            case LOWER:
                return strict(args, type, rows, sel, n, a -> lower((String) a[0]));
            case UPPER:
                return strict(args, type, rows, sel, n, a -> upper((String) a[0]));
            case SUBSTRING:
                return strict(
                        args,
                        type,
                        rows,
                        sel,
                        n,
                        a -> substring((String) a[0], (Long) a[1], a.length > 2 ? (Long) a[2] : Long.MAX_VALUE));
            case CONCAT:
                return concat(args, rows, sel, n);
            case CONCAT_OPERATOR:
                return strict(args, type, rows, sel, n, a -> (String) a[0] + a[1]);
            case REPLACE:
                return strict(args, type, rows, sel, n, a -> replace((String) a[0], (String) a[1], (String) a[2]));
            case TRIM:
                return strict(args, type, rows, sel, n, a -> trim((String) a[0], trimSet(a), true, true));
            case LTRIM:
                return strict(args, type, rows, sel, n, a -> trim((String) a[0], trimSet(a), true, false));
            case RTRIM:
                return strict(args, type, rows, sel, n, a -> trim((String) a[0], trimSet(a), false, true));
            case STARTS_WITH:
                return strict(args, type, rows, sel, n, a -> ((String) a[0]).startsWith((String) a[1]));
            case CONTAINS:
                return strict(args, type, rows, sel, n, a -> ((String) a[0]).contains((String) a[1]));
            case REGEXP_MATCHES:
                return strict(
                        args,
                        type,
                        rows,
                        sel,
                        n,
                        a -> regex((String) a[1], a.length > 2 ? (String) a[2] : "")
                                .pattern()
                                .matcher(new BudgetedText((String) a[0], (String) a[1]))
                                .find());
            case REGEXP_REPLACE:
                return strict(
                        args,
                        type,
                        rows,
                        sel,
                        n,
                        a -> regexpReplace(
                                (String) a[0], regex((String) a[1], a.length > 3 ? (String) a[3] : ""), (String) a[2]));
            default:
                throw new IllegalStateException("not a string function: " + fn);
        }
    }

    /** A function of one row's bytes. */
    private interface BytesFunction {
        Object apply(byte[] buf, int off, int len);
    }

    private static Vec mapBytes(Vec a, int rows, int[] sel, int n, BytesFunction f) {
        BytesVec b = (BytesVec) a;
        LongVec out = new LongVec(ColumnType.INT64, rows);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (!b.isNull(i)) {
                b.load(i);
                out.values[i] = (Long) f.apply(b.buf, b.off, b.len);
            }
        }
        out.nulls = a.nulls;
        return out;
    }

    /**
     * Applies {@code f} to each selected row whose arguments are all non-NULL (strings as
     * {@code String}, integers as {@code Long}); other rows are NULL.
     */
    private static Vec strict(Vec[] args, ColumnType type, int rows, int[] sel, int n, Function<Object[], Object> f) {
        Vec out = ResultVectors.create(type, rows);
        boolean[] nulls = new boolean[rows];
        boolean anyNull = false;
        Object[] values = new Object[args.length];
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            boolean isNull = false;
            for (int a = 0; a < args.length && !isNull; a++) {
                isNull = args[a].isNull(i);
                values[a] = isNull ? null : value(args[a], i);
            }
            if (isNull) {
                nulls[i] = true;
                anyNull = true;
                continue;
            }
            Object r = f.apply(values);
            if (out instanceof BoolVec) {
                ((BoolVec) out).values[i] = (Boolean) r;
            } else if (out instanceof LongVec) {
                ((LongVec) out).values[i] = (Long) r;
            } else {
                ((Vec.ArrayBytesVec) out).values[i] = ((String) r).getBytes(StandardCharsets.UTF_8);
            }
        }
        out.nulls = anyNull ? nulls : null;
        return out;
    }

    private static Object value(Vec v, int i) {
        if (v instanceof LongVec) {
            return ((LongVec) v).values[i];
        }
        BytesVec b = (BytesVec) v;
        b.load(i);
        return new String(b.buf, b.off, b.len, StandardCharsets.UTF_8);
    }

    private static Vec concat(Vec[] args, int rows, int[] sel, int n) {
        byte[][] out = new byte[rows][];
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            sb.setLength(0);
            for (Vec a : args) {
                if (!a.isNull(i)) {
                    sb.append((String) value(a, i));
                }
            }
            out[i] = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        Vec.ArrayBytesVec v = new Vec.ArrayBytesVec(ColumnType.STRING, out);
        v.nulls = null;
        return v;
    }

    // ---- the functions on one value ----

    static int codePoints(byte[] b, int off, int len) {
        int count = 0;
        for (int k = off; k < off + len; k++) {
            count += (b[k] & 0xC0) != 0x80 ? 1 : 0;
        }
        return count;
    }

    static String lower(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.toLowerCase(c)));
        return sb.toString();
    }

    /** Upper case per code point; {@code ß} becomes {@code ẞ} as in DuckDB. */
    static String upper(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(c == 0xDF ? 0x1E9E : Character.toUpperCase(c)));
        return sb.toString();
    }

    /** DuckDB's substring over code points: see the class comment. */
    static String substring(String s, long start, long length) {
        int size = s.codePointCount(0, s.length());
        long from;
        if (start > 0) {
            from = start - 1;
        } else if (start == 0) {
            from = -1;
        } else {
            from = Math.max(size + start, Integer.MIN_VALUE);
        }
        long to;
        if (length >= 0) {
            to = length == Long.MAX_VALUE || from > Long.MAX_VALUE - length ? Long.MAX_VALUE : from + length;
        } else {
            to = from;
            from = length == Long.MIN_VALUE ? Long.MIN_VALUE : from + length;
        }
        int a = (int) Math.max(0, Math.min(size, from));
        int b = (int) Math.max(0, Math.min(size, to));
        if (a >= b) {
            return "";
        }
        return s.substring(s.offsetByCodePoints(0, a), s.offsetByCodePoints(0, b));
    }

    static String replace(String s, String from, String to) {
        return from.isEmpty() ? s : s.replace(from, to);
    }

    private static String trimSet(Object[] a) {
        return a.length > 1 ? (String) a[1] : " ";
    }

    static String trim(String s, String characters, boolean left, boolean right) {
        int begin = 0;
        int end = s.length();
        while (left && begin < end && characters.indexOf(s.codePointAt(begin)) >= 0) {
            begin += Character.charCount(s.codePointAt(begin));
        }
        while (right && end > begin && characters.indexOf(s.codePointBefore(end)) >= 0) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(begin, end);
    }

    /**
     * Replaces the first match (every match when global) with {@code replacement}, where {@code \n}
     * is group n and {@code \\} a backslash; as in RE2, an empty match right after a match is skipped.
     */
    static String regexpReplace(String s, Regex regex, String replacement) {
        Matcher m = regex.pattern().matcher(new BudgetedText(s, regex.pattern().pattern()));
        StringBuilder sb = new StringBuilder();
        int copied = 0;
        int lastEnd = -1;
        while (m.find()) {
            if (m.start() == m.end() && m.start() == lastEnd) {
                continue;
            }
            sb.append(s, copied, m.start());
            appendReplacement(sb, m, replacement);
            copied = m.end();
            lastEnd = m.end();
            if (!regex.global()) {
                break;
            }
        }
        return sb.append(s, copied, s.length()).toString();
    }

    /**
     * A row's text as the regular expression engine reads it, refusing to be read more than
     * {@value #READ_BUDGET} times plus 64 reads per character: Java's backtracking engine can take
     * exponential time on patterns such as {@code (a+)+$} where RE2 (DuckDB's) is linear, so a
     * runaway match fails the query with {@code invalid_query} instead of holding a worker.
     */
    private static final class BudgetedText implements CharSequence {
        private static final long READ_BUDGET = 50_000_000L;
        private final String text;
        private final String pattern;
        private final long budget;
        private long reads;

        BudgetedText(String text, String pattern) {
            this.text = text;
            this.pattern = pattern;
            this.budget = READ_BUDGET + 64L * text.length();
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++reads > budget) {
                throw new QueryException(
                        QueryException.INVALID_QUERY,
                        "regular expression '" + pattern + "' backtracks too much on a value of " + text.length()
                                + " characters; simplify it");
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static void appendReplacement(StringBuilder sb, Matcher m, String replacement) {
        for (int k = 0; k < replacement.length(); k++) {
            char c = replacement.charAt(k);
            if (c == '\\' && k + 1 < replacement.length()) {
                char next = replacement.charAt(++k);
                if (next >= '0' && next <= '9') {
                    String g = m.group(next - '0');
                    sb.append(g == null ? "" : g);
                } else {
                    sb.append(next);
                }
            } else {
                sb.append(c);
            }
        }
    }
}
