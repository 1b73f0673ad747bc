package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.BoolVec;
import io.river.engine.query.Vec.BytesVec;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Explicit {@code CAST}s with DuckDB's rules: integers narrow with a range check, DOUBLE to an
 * integer rounds half to even (NaN and infinities fail), BOOLEAN and integers convert as 1/0 and
 * non-zero, strings parse (numbers after trimming spaces; booleans as true/false/t/f/1/0;
 * timestamps as in literals) and print (timestamps as {@code 2024-01-01 10:00:00[.fff]}). A value
 * that cannot convert fails the query ({@code out_of_range} for numbers out of range,
 * {@code type_mismatch} for text that does not parse). DOUBLE to VARCHAR is not offered: Java and
 * DuckDB print doubles differently. Stateless.
 */
final class CastKernels {
    private CastKernels() {
    }

    static boolean supported(ColumnType from, ColumnType to) {
        if (from == to || to == ColumnType.STRING && from != ColumnType.FLOAT64 && from != ColumnType.BYTES) {
            return true;
        }
        switch (to) {
            case INT32:
            case INT64:
                return from.isNumeric() || from == ColumnType.BOOLEAN || from == ColumnType.STRING;
            case FLOAT64:
                return from.isNumeric() || from == ColumnType.BOOLEAN || from == ColumnType.STRING;
            case BOOLEAN:
                return SqlTypes.isInteger(from) || from == ColumnType.STRING;
            case TIMESTAMP:
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
                    try {
                        v = Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw notConvertible(s, to);
                    }
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
                    try {
                        d = Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        throw notConvertible(s, to);
                    }
                }
                ((DoubleVec) out).values[i] = d;
                return;
            }
            case BOOLEAN: {
                boolean b;
                if (a instanceof LongVec) {
                    b = ((LongVec) a).values[i] != 0;
                } else {
                    String s = text(a, i);
                    switch (s.toLowerCase(Locale.ROOT)) {
                        case "true": case "t": case "1":
                            b = true;
                            break;
                        case "false": case "f": case "0":
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
                String s = text(a, i);
                Long millis = LiteralParser.timestampMillis(s);
                if (millis == null) {
                    throw notConvertible(s, to);
                }
                ((LongVec) out).values[i] = millis;
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

    private static String text(Vec a, int i) {
        BytesVec b = (BytesVec) a;
        b.load(i);
        return new String(b.buf, b.off, b.len, StandardCharsets.UTF_8);
    }

    private static String print(Vec a, int i) {
        if (a instanceof BoolVec) {
            return String.valueOf(((BoolVec) a).values[i]);
        }
        long v = ((LongVec) a).values[i];
        if (a.type != ColumnType.TIMESTAMP) {
            return String.valueOf(v);
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1000), 0, ZoneOffset.UTC);
        String s = String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
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

    private static QueryException outOfRange(String fromType, String value, ColumnType to) {
        return new QueryException(QueryException.OUT_OF_RANGE, "Type " + fromType + " with value " + value
                + " can't be cast because the value is out of range for the destination type " + SqlTypes.sqlName(to));
    }

    private static QueryException notConvertible(String s, ColumnType to) {
        return new QueryException(QueryException.TYPE_MISMATCH, "Could not convert string '" + s + "' to "
                + SqlTypes.sqlName(to));
    }
}
