package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Explicit {@code CAST}s with DuckDB's rules: integers narrow with a range check, DOUBLE to an
 * integer rounds half to even (NaN and infinities fail), BOOLEAN and integers convert as 1/0 and
 * non-zero, strings parse (numbers after trimming spaces; booleans as true/false/t/f/1/0;
 * timestamps as in literals) and print (timestamps as {@code 2024-01-01 10:00:00[.fff]}). A value
 * that cannot convert fails the query ({@code out_of_range} for numbers out of range,
 * {@code type_mismatch} for text that does not parse). DATE and TIMESTAMP convert both ways (a date is its
 * midnight UTC; a timestamp's date is its UTC calendar day), text casts to DATE by its date part, and
 * a DATE prints as {@code 2024-01-31}. DOUBLE prints as DuckDB does: the shortest
 * digits that read back as the same value, in positional notation for decimal exponents -4 to 15
 * ({@code 100.0}, {@code 0.0001}) and scientific otherwise ({@code 1e+16}, {@code 1e-05}); {@code nan},
 * {@code inf}, {@code -inf}. Each conversion switches on the target type, so another type is one more
 * case. Stateless.
 */
final class CastKernels {
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX][0-9a-fA-F]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(_\\d+)*(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private CastKernels() {}

    static boolean supported(ColumnType from, ColumnType to) {
        if (from == to || to == ColumnType.STRING && from != ColumnType.BYTES) {
            return true;
        }
        switch (to) {
            case INT32:
            case INT64:
                return from.isNumeric() || from == ColumnType.BOOLEAN || from == ColumnType.STRING;
            case FLOAT64:
                return from.isNumeric() || from == ColumnType.BOOLEAN || from == ColumnType.STRING;
            case BOOLEAN:
                return from.isNumeric() || from == ColumnType.STRING;
            case TIMESTAMP:
                return from == ColumnType.STRING || from == ColumnType.DATE;
            case DATE:
                return from == ColumnType.STRING || from == ColumnType.TIMESTAMP;
            case BYTES:
                return from == ColumnType.STRING;
            default:
                return false;
        }
    }

    static Vec convert(Vec a, ColumnType to, int rows, int[] sel, int n) {
        if (a.type == to) {
            return a;
        }
        Vec out = ResultVectors.create(to, rows);
        out.nulls = a.nulls;
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (!a.isNull(i)) {
                convertRow(a, i, out, to);
            }
        }
        return out;
    }

    private static void convertRow(Vec a, int i, Vec out, ColumnType to) {
        switch (to) {
            case INT32:
            case INT64: {
                long v;
                if (a instanceof LongVec) {
                    v = ((LongVec) a).values[i];
                } else if (a instanceof BoolVec) {
                    v = ((BoolVec) a).values[i] ? 1 : 0;
                } else if (a instanceof DoubleVec) {
                    double d = ((DoubleVec) a).values[i];
                    double r = Math.rint(d);
                    if (Double.isNaN(r) || r < -0x1p63 || r >= 0x1p63) {
                        throw outOfRange("DOUBLE", String.valueOf(d), to);
                    }
                    v = (long) r;
                } else {
                    String s = text(a, i);
                    Long parsed = parseInteger(s);
                    if (parsed == null) {
                        throw notConvertible(s, to);
                    }
                    v = parsed;
                }
                if (to == ColumnType.INT32 && v != (int) v) {
                    throw outOfRange(a.type == ColumnType.FLOAT64 ? "DOUBLE" : "INT64", String.valueOf(v), to);
                }
                ((LongVec) out).values[i] = v;
                return;
            }
            case FLOAT64: {
                double d;
                if (a instanceof LongVec) {
                    d = ((LongVec) a).values[i];
                } else if (a instanceof BoolVec) {
                    d = ((BoolVec) a).values[i] ? 1 : 0;
                } else {
                    String s = text(a, i);
                    Double parsed = parseDouble(s);
                    if (parsed == null) {
                        throw notConvertible(s, to);
                    }
                    d = parsed;
                }
                ((DoubleVec) out).values[i] = d;
                return;
            }
            case BOOLEAN: {
                boolean b;
                if (a instanceof LongVec) {
                    b = ((LongVec) a).values[i] != 0;
                } else if (a instanceof DoubleVec) {
                    b = ((DoubleVec) a).values[i] != 0;
                } else {
                    String s = text(a, i);
                    switch (s.toLowerCase(Locale.ROOT)) {
                        case "true":
                        case "t":
                        case "1":
                        case "yes":
                        case "y":
                            b = true;
                            break;
                        case "false":
                        case "f":
                        case "0":
                        case "no":
                        case "n":
                            b = false;
                            break;
                        default:
                            throw notConvertible(s, to);
                    }
                }
                ((BoolVec) out).values[i] = b;
                return;
            }
            case TIMESTAMP: {
                if (a.type == ColumnType.DATE) {
                    ((LongVec) out).values[i] = ((LongVec) a).values[i] * LiteralParser.MILLIS_PER_DAY;
                    return;
                }
                String s = text(a, i);
                Long millis = LiteralParser.timestampMillis(s);
                if (millis == null) {
                    throw notConvertible(s, to);
                }
                ((LongVec) out).values[i] = millis;
                return;
            }
            case DATE: {
                if (a.type == ColumnType.TIMESTAMP) {
                    ((LongVec) out).values[i] = Math.floorDiv(((LongVec) a).values[i], LiteralParser.MILLIS_PER_DAY);
                    return;
                }
                String s = text(a, i);
                Long days = LiteralParser.castDate(s);
                if (days == null) {
                    throw notConvertible(s, to);
                }
                ((LongVec) out).values[i] = days;
                return;
            }
            case BYTES:
                ((Vec.ArrayBytesVec) out).values[i] = LiteralParser.blob(text(a, i));
                return;
            case STRING:
                ((Vec.ArrayBytesVec) out).values[i] = print(a, i).getBytes(StandardCharsets.UTF_8);
                return;
            default:
                throw new IllegalStateException("CAST to " + to);
        }
    }

    /**
     * An integer as DuckDB reads one from text: surrounding spaces, a sign, {@code _} between
     * digits, a fraction (rounded half away from zero), an exponent, or {@code 0x} hex; null when
     * the text is none of these or out of BIGINT's range.
     */
    static Long parseInteger(String text) {
        String s = text.trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            // the slower forms below
        }
        if (HEX.matcher(s).matches()) {
            boolean negative = s.startsWith("-");
            String digits = s.substring(s.indexOf('0') + 2);
            try {
                long v = Long.parseUnsignedLong(digits, 16);
                return negative ? Math.negateExact(v) : v;
            } catch (NumberFormatException | ArithmeticException e) {
                return null;
            }
        }
        if (!DECIMAL.matcher(s).matches()) {
            return null;
        }
        try {
            BigDecimal exact = new BigDecimal(s.replace("_", ""));
            int integerDigits = exact.precision() - exact.scale();
            if (integerDigits > 20) {
                return null;
            } else if (integerDigits < -1) {
                return 0L;
            }
            return exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A DOUBLE as DuckDB reads one from text (decimal forms, {@code nan}, {@code inf[inity]}); null if not one. */
    static Double parseDouble(String text) {
        String s = text.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (unsigned.equals("nan")) {
            return Double.NaN;
        } else if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        } else if (!DECIMAL.matcher(s).matches()) {
            return null;
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    private static String text(Vec a, int i) {
        BytesVec b = (BytesVec) a;
        b.load(i);
        return new String(b.buf, b.off, b.len, StandardCharsets.UTF_8);
    }

    private static String print(Vec a, int i) {
        if (a instanceof BoolVec) {
            return String.valueOf(((BoolVec) a).values[i]);
        }
        if (a instanceof DoubleVec) {
            return printDouble(((DoubleVec) a).values[i]);
        }
        long v = ((LongVec) a).values[i];
        if (a.type == ColumnType.DATE) {
            return LocalDate.ofEpochDay(v).toString();
        }
        if (a.type != ColumnType.TIMESTAMP) {
            return String.valueOf(v);
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1000), 0, ZoneOffset.UTC);
        String s = String.format(
                Locale.ROOT,
                "%04d-%02d-%02d %02d:%02d:%02d",
                t.getYear(),
                t.getMonthValue(),
                t.getDayOfMonth(),
                t.getHour(),
                t.getMinute(),
                t.getSecond());
        int ms = (int) Math.floorMod(v, 1000);
        if (ms == 0) {
            return s;
        }
        String frac = String.format(Locale.ROOT, "%03d", ms);
        while (frac.endsWith("0")) {
            frac = frac.substring(0, frac.length() - 1);
        }
        return s + "." + frac;
    }

    /** A DOUBLE as DuckDB prints it (see the class comment). */
    static String printDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        } else if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        } else if (d == 0) {
            return 1 / d > 0 ? "0.0" : "-0.0";
        }
        BigDecimal shortest = shortestDigits(d);
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        if (exponent < 0) {
            return sign + "0." + "0".repeat(-exponent - 1) + digits;
        }
        if (digits.length() <= exponent + 1) {
            return sign + digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
        }
        return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
    }

    /** The fewest significant decimal digits that round back to {@code d}, trailing zeros stripped. */
    private static BigDecimal shortestDigits(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal r = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                return r.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static QueryException outOfRange(String fromType, String value, ColumnType to) {
        return new QueryException(
                QueryException.OUT_OF_RANGE,
                "Type " + fromType + " with value " + value
                        + " can't be cast because the value is out of range for the destination type "
                        + SqlTypes.sqlName(to));
    }

    private static QueryException notConvertible(String s, ColumnType to) {
        return new QueryException(
                QueryException.TYPE_MISMATCH, "Could not convert string '" + s + "' to " + SqlTypes.sqlName(to));
    }
}
