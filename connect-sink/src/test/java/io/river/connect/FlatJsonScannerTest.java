package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scanner against Jackson's path ({@link JsonRowParser}) on the same documents: where the scanner
 * takes a document, Jackson gives the same columns and values in the same order; where Jackson refuses
 * one (a record error), the scanner leaves it; where the scanner leaves one, it has put nothing.
 */
class FlatJsonScannerTest {
    private final FlatJsonScanner scanner = new FlatJsonScanner();

    /** The puts of one parse, in order, or the error's class. */
    private record Outcome(List<Map.Entry<String, Object>> puts, Class<?> error) {}

    private static Outcome jackson(String json) {
        List<Map.Entry<String, Object>> puts = new ArrayList<>();
        try {
            JsonRowParser.parse(json, (c, v) -> puts.add(new java.util.AbstractMap.SimpleEntry<>(c, v)));
            return new Outcome(puts, null);
        } catch (RecordException e) {
            return new Outcome(null, e.getClass());
        }
    }

    /** Checks the scanner against Jackson on {@code json}; true when the scanner took it. */
    private boolean agree(String json) {
        List<Map.Entry<String, Object>> puts = new ArrayList<>();
        boolean taken = scanner.scan(json, (c, v) -> puts.add(new java.util.AbstractMap.SimpleEntry<>(c, v)));
        Outcome expected = jackson(json);
        if (!taken) {
            assertTrue(puts.isEmpty(), () -> "the scanner left " + json + " but put " + puts);
            return false;
        }
        if (expected.error() != null) {
            fail("the scanner took " + json + ", which Jackson refuses");
        }
        assertEquals(expected.puts(), puts, json);
        return true;
    }

    @Test
    void takesTheCommonShapeWithJacksonsValues() {
        String record = "{\"order_id\":17,\"city\":\"city42\",\"country\":\"FR\",\"user_id\":1234567,"
                + "\"amount\":512.37,\"ts\":1763000000017,\"ok\":true,\"gone\":false,\"none\":null}";
        assertTrue(agree(record));
        assertTrue(agree(" \t\r\n{ \"a\" : -0 , \"b\" : -0.0, \"c\":\"\", \"user-id\": 1e3 } \n"));
        assertTrue(agree("{}"));
        assertTrue(agree("{\"a\":1,\"a\":\"two\"}")); // duplicates: each put, the last wins in the row
        assertTrue(agree("{\"é\":\"ünïcödé \uD83D\uDE00\"}"));
        for (String n : List.of(
                "0",
                "-1",
                "999999999999999999",
                "-999999999999999999",
                "0.1",
                "0.30000000000000004",
                "123456789.012345",
                "1.7976931348623157e308",
                "4.9e-324",
                "2.2250738585072014E-308",
                "1e400",
                "-1e-400",
                "9007199254740993.0",
                "0.000000000000000000001",
                "12345678901234567890.5",
                "3.14159265358979323846")) {
            assertTrue(agree("{\"n\":" + n + "}"), n);
        }
    }

    @Test
    void leavesWhatItDoesNotReadToJackson() {
        for (String json : List.of(
                "{\"a\":\"x\\\"y\"}", // escape in a value
                "{\"a\\u0062\":1}", // escape in a name
                "{\"a\":{\"b\":1}}", // nested object
                "{\"a\":[1,2]}", // array
                "{\"a\":9223372036854775807}", // 19 digits
                "{\"a\":123456789012345678901234567890}", // beyond a long
                "{\"_key\":1}", // a system column: Jackson's path gives the error
                "{\"\":1}",
                "{\"a\":01}", // leading zero: malformed
                "{\"a\":1.}",
                "{\"a\":.5}",
                "{\"a\":1e}",
                "{\"a\":+1}",
                "{\"a\":tru}",
                "{\"a\":truex}",
                "{\"a\":1,}",
                "{\"a\" 1}",
                "{\"a\":1",
                "{\"a\":1}}",
                "{\"a\":1} x",
                "{\"a\":1}{}",
                "{\"a\":\"tab\there\"}", // raw control character
                "{\u000c\"a\":1}", // form feed is no JSON whitespace
                "{'a':1}",
                "{a:1}")) {
            assertFalse(agree(json), json);
        }
        assertFalse(agree("{\"a\":0." + "1".repeat(200) + "}"), "a long number: Jackson's constraints decide");
        assertFalse(agree("{\"a\":\"" + "x".repeat((1 << 20) + 1) + "\"}"), "a long string: Jackson decides");
    }

    @Test
    void repeatedValuesShareOneStringAndNamesResolveOnce() {
        List<Object> seen = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertTrue(scanner.scan("{\"user-id\":\"FR\"}", (c, v) -> {
                seen.add(c);
                seen.add(v);
            }));
        }
        assertEquals("user_id", seen.get(0));
        assertSame(seen.get(0), seen.get(2));
        assertSame(seen.get(1), seen.get(3));
    }

    @Test
    void randomDocumentsAgreeWithJackson() {
        SplittableRandom rnd = new SplittableRandom(16);
        int taken = 0;
        int total = 20_000;
        for (int i = 0; i < total; i++) {
            String json = document(rnd);
            if (rnd.nextInt(4) == 0) {
                json = mutate(json, rnd);
            }
            taken += agree(json) ? 1 : 0;
        }
        // The generator mostly writes the common shape: the scanner must take a good share of it.
        assertTrue(taken > total / 5, "the scanner took only " + taken + " of " + total);
    }

    private static String document(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder();
        blank(b, rnd);
        b.append('{');
        int fields = rnd.nextInt(8);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                b.append(',');
            }
            blank(b, rnd);
            b.append('"').append(NAMES[rnd.nextInt(NAMES.length)]).append('"');
            blank(b, rnd);
            b.append(':');
            blank(b, rnd);
            value(b, rnd, 0);
            blank(b, rnd);
        }
        b.append('}');
        blank(b, rnd);
        return b.toString();
    }

    private static final String[] NAMES = {
        "id", "city", "amount", "user-id", "user_id", "é", "a b", "_key", "_topic", "x\\u0079", "id", "id"
    };

    private static void value(StringBuilder b, SplittableRandom rnd, int depth) {
        switch (rnd.nextInt(depth > 1 ? 8 : 10)) {
            case 0:
                b.append(rnd.nextBoolean() ? "true" : "false");
                break;
            case 1:
                b.append("null");
                break;
            case 2:
                b.append(edgeLong(rnd));
                break;
            case 3:
                b.append(rnd.nextBoolean() ? Double.toString(edgeDouble(rnd)) : decimal(rnd));
                break;
            case 4:
            case 5:
            case 6:
                string(b, rnd);
                break;
            case 7:
                b.append(rnd.nextLong(1_000_000));
                break;
            case 8:
                b.append('[');
                value(b, rnd, depth + 1);
                b.append(",");
                value(b, rnd, depth + 1);
                b.append(']');
                break;
            default:
                b.append("{\"in\":");
                value(b, rnd, depth + 1);
                b.append('}');
        }
    }

    private static String edgeLong(SplittableRandom rnd) {
        long[] edges = {
            0,
            -1,
            1,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            999_999_999_999_999_999L,
            1_000_000_000_000_000_000L,
            -999_999_999_999_999_999L,
            Integer.MAX_VALUE + 1L
        };
        return rnd.nextBoolean() ? Long.toString(edges[rnd.nextInt(edges.length)]) : Long.toString(rnd.nextLong());
    }

    private static double edgeDouble(SplittableRandom rnd) {
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-7, 1e21, 0.1, 9007199254740993.0};
        return rnd.nextBoolean()
                ? edges[rnd.nextInt(edges.length)]
                : rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
    }

    /** A decimal with 1 to 20 integer and fraction digits. */
    private static String decimal(SplittableRandom rnd) {
        StringBuilder d = new StringBuilder(rnd.nextBoolean() ? "-" : "");
        int ints = 1 + rnd.nextInt(20);
        d.append(1 + rnd.nextInt(9));
        for (int i = 1; i < ints; i++) {
            d.append(rnd.nextInt(10));
        }
        d.append('.');
        int fraction = 1 + rnd.nextInt(20);
        for (int i = 0; i < fraction; i++) {
            d.append(rnd.nextInt(10));
        }
        return d.toString();
    }

    private static void string(StringBuilder b, SplittableRandom rnd) {
        String[] pieces = {"a", "FR", "city7", "é", "\uD83D\uDE00", "\\n", "\\\"", "\\u00e9", " ", "\\\\", "\t", "z"};
        b.append('"');
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            String p = pieces[rnd.nextInt(pieces.length)];
            b.append(p.startsWith("\\") || p.equals("\t") ? (rnd.nextInt(4) == 0 ? p : "x") : p);
        }
        if (rnd.nextInt(20) == 0) {
            b.append("abcdefghijklmnopqrstuvwxyz0123456789"); // longer than the value cache's strings
        }
        b.append('"');
    }

    private static void blank(StringBuilder b, SplittableRandom rnd) {
        String[] blanks = {"", "", "", " ", "\n", "\r\n", "\t", "  "};
        b.append(blanks[rnd.nextInt(blanks.length)]);
    }

    /** The document with one character removed, doubled or replaced by a JSON-significant one. */
    private static String mutate(String json, SplittableRandom rnd) {
        if (json.isEmpty()) {
            return json;
        }
        int at = rnd.nextInt(json.length());
        String significant = "{}[]\":,.-+eE0 \\x";
        switch (rnd.nextInt(3)) {
            case 0:
                return json.substring(0, at) + json.substring(at + 1);
            case 1:
                return json.substring(0, at + 1) + json.substring(at);
            default:
                return json.substring(0, at)
                        + significant.charAt(rnd.nextInt(significant.length()))
                        + json.substring(at + 1);
        }
    }
}
