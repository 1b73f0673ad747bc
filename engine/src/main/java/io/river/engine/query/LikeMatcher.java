package io.river.engine.query;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SQL LIKE over UTF-8 bytes: {@code %} matches any run of characters, {@code _} exactly one
 * character (one UTF-8 sequence), everything else itself, case-sensitively; the escape character,
 * when given, makes the next pattern character literal. Patterns of the forms {@code abc},
 * {@code abc%}, {@code %abc} and {@code %abc%} use direct byte comparisons; others a greedy
 * matcher with backtracking on the last {@code %}. Immutable and thread-safe.
 */
final class LikeMatcher {
    private enum Kind {
        EXACT,
        PREFIX,
        SUFFIX,
        CONTAINS,
        GENERAL
    }

    /** Pattern pieces: literal byte runs, with null meaning '%' and a zero-length array meaning '_'. */
    private final List<byte[]> parts;

    private final Kind kind;
    private final byte[] literal;

    LikeMatcher(String pattern, char escape) {
        List<byte[]> ps = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != 0 && c == escape && i + 1 < pattern.length()) {
                i++;
                int cp = pattern.codePointAt(i);
                if (Character.charCount(cp) == 2) {
                    i++;
                }
                cur.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            } else if (c == '%' || c == '_') {
                if (cur.size() > 0) {
                    ps.add(cur.toByteArray());
                    cur.reset();
                }
                if (c == '%') {
                    if (ps.isEmpty() || ps.get(ps.size() - 1) != null) {
                        ps.add(null);
                    }
                } else {
                    ps.add(new byte[0]);
                }
            } else {
                int cp = pattern.codePointAt(i);
                if (Character.charCount(cp) == 2) {
                    i++;
                }
                cur.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (cur.size() > 0) {
            ps.add(cur.toByteArray());
        }
        parts = ps;
        boolean noUnderscore = ps.stream().allMatch(p -> p == null || p.length > 0);
        int n = ps.size();
        if (noUnderscore && n == 1 && ps.get(0) != null) {
            kind = Kind.EXACT;
            literal = ps.get(0);
        } else if (noUnderscore && n == 0) {
            kind = Kind.EXACT;
            literal = new byte[0];
        } else if (noUnderscore && n == 2 && ps.get(0) != null && ps.get(1) == null) {
            kind = Kind.PREFIX;
            literal = ps.get(0);
        } else if (noUnderscore && n == 2 && ps.get(0) == null && ps.get(1) != null) {
            kind = Kind.SUFFIX;
            literal = ps.get(1);
        } else if (noUnderscore && n == 3 && ps.get(0) == null && ps.get(1) != null && ps.get(2) == null) {
            kind = Kind.CONTAINS;
            literal = ps.get(1);
        } else if (n == 1 && ps.get(0) == null) {
            kind = Kind.CONTAINS;
            literal = new byte[0];
        } else {
            kind = Kind.GENERAL;
            literal = null;
        }
    }

    /** The literal prefix every match starts with (for zone-map pruning), or null if none. */
    byte[] prefix() {
        return !parts.isEmpty() && parts.get(0) != null && parts.get(0).length > 0 ? parts.get(0) : null;
    }

    /** True when {@code s[off..off+len)} matches. */
    boolean matches(byte[] s, int off, int len) {
        int end = off + len;
        switch (kind) {
            case EXACT:
                return Arrays.equals(s, off, end, literal, 0, literal.length);
            case PREFIX:
                return len >= literal.length && Arrays.equals(s, off, off + literal.length, literal, 0, literal.length);
            case SUFFIX:
                return len >= literal.length && Arrays.equals(s, end - literal.length, end, literal, 0, literal.length);
            case CONTAINS:
                return indexOf(s, off, end, literal) >= 0;
            default:
                return general(s, off, end, 0);
        }
    }

    private boolean general(byte[] s, int pos, int len, int part) {
        for (int p = part; p < parts.size(); p++) {
            byte[] piece = parts.get(p);
            if (piece == null) {
                if (p == parts.size() - 1) {
                    return true;
                }
                // try every start for the rest; '%' consumes whole characters
                for (int start = pos; start <= len; start = start < len ? start + charLength(s[start]) : len + 1) {
                    if (general(s, start, len, p + 1)) {
                        return true;
                    }
                }
                return false;
            } else if (piece.length == 0) {
                if (pos >= len) {
                    return false;
                }
                pos += charLength(s[pos]);
                if (pos > len) {
                    return false;
                }
            } else {
                if (len - pos < piece.length || !Arrays.equals(s, pos, pos + piece.length, piece, 0, piece.length)) {
                    return false;
                }
                pos += piece.length;
            }
        }
        return pos == len;
    }

    private static int charLength(byte lead) {
        int b = lead & 0xff;
        if (b < 0x80) {
            return 1;
        } else if (b >= 0xf0) {
            return 4;
        } else if (b >= 0xe0) {
            return 3;
        } else if (b >= 0xc0) {
            return 2;
        }
        return 1;
    }

    private static int indexOf(byte[] s, int from, int len, byte[] needle) {
        int n = needle.length;
        if (n == 0) {
            return from;
        }
        byte first = needle[0];
        for (int i = from; i + n <= len; i++) {
            if (s[i] == first && Arrays.equals(s, i, i + n, needle, 0, n)) {
                return i;
            }
        }
        return -1;
    }
}
