package io.river.http.ingest;

/**
 * Recognises numbers written as text. Strict means JSON's number grammar (no '+', no leading zeros), which CSV
 * inference uses so that a CSV cell becomes a number exactly when the same text would be a JSON number; lenient
 * also allows a leading '+' and leading zeros, for text going into a column already known to be numeric.
 * Stateless.
 */
final class NumberText {
    private NumberText() {}

    /** Whether {@code s} is an integer: an optional sign and digits. Says nothing about its range. */
    static boolean isInteger(String s, boolean lenient) {
        int digits = sign(s, lenient);
        int end = digitsEnd(s, digits);
        return end == s.length() && wellFormedDigits(s, digits, end, lenient);
    }

    /** Whether {@code s} is a number: an integer part, an optional fraction and an optional exponent. */
    static boolean isNumber(String s, boolean lenient) {
        int start = sign(s, lenient);
        int i = digitsEnd(s, start);
        if (!wellFormedDigits(s, start, i, lenient)) {
            return false;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            int fraction = i + 1;
            i = digitsEnd(s, fraction);
            if (i == fraction) {
                return false;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int exponent = i + 1;
            if (exponent < s.length() && (s.charAt(exponent) == '+' || s.charAt(exponent) == '-')) {
                exponent++;
            }
            i = digitsEnd(s, exponent);
            if (i == exponent) {
                return false;
            }
        }
        return i == s.length();
    }

    /** The long value of an integer per {@link #isInteger}, or null when it needs more than 64 bits. */
    static Long parseLong(String integer) {
        try {
            return Long.parseLong(integer);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int sign(String s, boolean lenient) {
        if (s.isEmpty()) {
            return 0;
        }
        char c = s.charAt(0);
        return c == '-' || (lenient && c == '+') ? 1 : 0;
    }

    private static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static boolean wellFormedDigits(String s, int start, int end, boolean lenient) {
        if (end == start) {
            return false;
        }
        return lenient || end - start == 1 || s.charAt(start) != '0';
    }
}
