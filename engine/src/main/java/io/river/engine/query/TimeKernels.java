package io.river.engine.query;

import io.river.engine.model.ColumnType;
import io.river.engine.query.Vec.DoubleVec;
import io.river.engine.query.Vec.LongVec;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * Date and time functions on TIMESTAMP (epoch milliseconds, UTC) with DuckDB's semantics:
 * {@code date_part}/{@code EXTRACT} give BIGINT ({@code epoch}: DOUBLE seconds), {@code second} is
 * the whole seconds of the minute and {@code millisecond} the milliseconds of the minute, {@code dow}
 * counts from Sunday = 0, {@code isodow} from Monday = 1, {@code week} is the ISO week; calendar
 * {@code date_trunc} units floor to the first instant of the month, quarter, year, decade, century
 * or millennium; adding months clamps the day to the end of the target month. Each kernel switches
 * on its argument's type, so another temporal type is one more case. Stateless.
 */
final class TimeKernels {
    private static final long DAY_MILLIS = 86_400_000L;

    private TimeKernels() {}

    /** A part {@code date_part} extracts. */
    enum Part {
        YEAR,
        QUARTER,
        MONTH,
        DAY,
        HOUR,
        MINUTE,
        SECOND,
        MILLISECOND,
        MICROSECOND,
        EPOCH,
        DOW,
        ISODOW,
        DOY,
        WEEK,
        ISOYEAR,
        DECADE,
        CENTURY,
        MILLENNIUM;

        /** The part a name (or DuckDB alias) denotes, or null. */
        static Part of(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "year":
                case "years":
                case "y":
                case "yr":
                case "yrs":
                    return YEAR;
                case "quarter":
                case "quarters":
                    return QUARTER;
                case "month":
                case "months":
                case "mon":
                case "mons":
                    return MONTH;
                case "day":
                case "days":
                case "d":
                case "dayofmonth":
                    return DAY;
                case "hour":
                case "hours":
                case "h":
                case "hr":
                case "hrs":
                    return HOUR;
                case "minute":
                case "minutes":
                case "m":
                case "min":
                case "mins":
                    return MINUTE;
                case "second":
                case "seconds":
                case "s":
                case "sec":
                case "secs":
                    return SECOND;
                case "millisecond":
                case "milliseconds":
                case "ms":
                case "msec":
                case "msecs":
                    return MILLISECOND;
                case "microsecond":
                case "microseconds":
                case "us":
                case "usec":
                case "usecs":
                    return MICROSECOND;
                case "epoch":
                    return EPOCH;
                case "dow":
                case "dayofweek":
                case "weekday":
                    return DOW;
                case "isodow":
                    return ISODOW;
                case "doy":
                case "dayofyear":
                    return DOY;
                case "week":
                case "weeks":
                case "w":
                case "weekofyear":
                    return WEEK;
                case "isoyear":
                    return ISOYEAR;
                case "decade":
                case "decades":
                case "dec":
                    return DECADE;
                case "century":
                case "centuries":
                case "c":
                    return CENTURY;
                case "millennium":
                case "millennia":
                case "millenium":
                    return MILLENNIUM;
                default:
                    return null;
            }
        }

        ColumnType resultType() {
            return this == EPOCH ? ColumnType.FLOAT64 : ColumnType.INT64;
        }
    }

    /** The calendar units {@code date_trunc} handles here (fixed-length units are {@link Expr.DateTrunc}). */
    static boolean isCalendarUnit(Part unit) {
        return unit == Part.MONTH
                || unit == Part.QUARTER
                || unit == Part.YEAR
                || unit == Part.DECADE
                || unit == Part.CENTURY
                || unit == Part.MILLENNIUM;
    }

    static Vec datePart(Part part, Vec a, int rows, int[] sel, int n) {
        switch (a.type) {
            case TIMESTAMP:
                return timestampPart(part, (LongVec) a, rows, sel, n);
            default:
                throw new IllegalStateException("date_part of " + a.type);
        }
    }

    private static Vec timestampPart(Part part, LongVec a, int rows, int[] sel, int n) {
        if (part == Part.EPOCH) {
            DoubleVec out = new DoubleVec(rows);
            for (int k = 0; k < n; k++) {
                int i = sel[k];
                out.values[i] = a.values[i] / 1000.0;
            }
            out.nulls = a.nulls;
            return out;
        }
        LongVec out = new LongVec(ColumnType.INT64, rows);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (!a.isNull(i)) {
                out.values[i] = timestampPart(part, a.values[i]);
            }
        }
        out.nulls = a.nulls;
        return out;
    }

    static long timestampPart(Part part, long millis) {
        long ofDay = Math.floorMod(millis, DAY_MILLIS);
        switch (part) {
            case HOUR:
                return ofDay / 3_600_000L;
            case MINUTE:
                return ofDay / 60_000L % 60;
            case SECOND:
                return ofDay / 1000 % 60;
            case MILLISECOND:
                return ofDay % 60_000L;
            case MICROSECOND:
                return ofDay % 60_000L * 1000;
            default:
                return datePart(part, LocalDate.ofEpochDay(Math.floorDiv(millis, DAY_MILLIS)));
        }
    }

    private static long datePart(Part part, LocalDate d) {
        switch (part) {
            case YEAR:
                return d.getYear();
            case QUARTER:
                return (d.getMonthValue() - 1) / 3 + 1;
            case MONTH:
                return d.getMonthValue();
            case DAY:
                return d.getDayOfMonth();
            case DOW:
                return d.getDayOfWeek().getValue() % 7;
            case ISODOW:
                return d.getDayOfWeek().getValue();
            case DOY:
                return d.getDayOfYear();
            case WEEK:
                return d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case ISOYEAR:
                return d.get(IsoFields.WEEK_BASED_YEAR);
            case DECADE:
                return Math.floorDiv(d.getYear(), 10);
            case CENTURY:
                return d.getYear() > 0 ? (d.getYear() - 1) / 100 + 1 : -((-d.getYear()) / 100 + 1);
            case MILLENNIUM:
                return d.getYear() > 0 ? (d.getYear() - 1) / 1000 + 1 : -((-d.getYear()) / 1000 + 1);
            default:
                throw new IllegalStateException("not a date part: " + part);
        }
    }

    /** {@code date_trunc} to a calendar unit ({@link #isCalendarUnit}). */
    static Vec truncate(Part unit, Vec a, int rows, int[] sel, int n) {
        switch (a.type) {
            case TIMESTAMP: {
                LongVec in = (LongVec) a;
                LongVec out = new LongVec(ColumnType.TIMESTAMP, rows);
                for (int k = 0; k < n; k++) {
                    int i = sel[k];
                    if (!a.isNull(i)) {
                        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(in.values[i], DAY_MILLIS));
                        out.values[i] = truncate(unit, d).toEpochDay() * DAY_MILLIS;
                    }
                }
                out.nulls = a.nulls;
                return out;
            }
            default:
                throw new IllegalStateException("date_trunc of " + a.type);
        }
    }

    private static LocalDate truncate(Part unit, LocalDate d) {
        switch (unit) {
            case MONTH:
                return d.withDayOfMonth(1);
            case QUARTER:
                return LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1);
            case YEAR:
                return LocalDate.of(d.getYear(), 1, 1);
            case DECADE:
                return LocalDate.of(Math.floorDiv(d.getYear(), 10) * 10, 1, 1);
            case CENTURY:
                return LocalDate.of(firstYear(d.getYear(), 100), 1, 1);
            case MILLENNIUM:
                return LocalDate.of(firstYear(d.getYear(), 1000), 1, 1);
            default:
                throw new IllegalStateException("not a calendar unit: " + unit);
        }
    }

    /** The first year of the century (span 100) or millennium (1000) holding {@code year}: 1901, 2001, ... */
    private static int firstYear(int year, int span) {
        return year > 0 ? (year - 1) / span * span + 1 : -(((-year) / span + 1) * span) + 1;
    }

    /** {@code ts + months} months, the day clamped to the target month's last day. */
    static Vec addMonths(Vec a, Vec months, int rows, int[] sel, int n) {
        LongVec in = (LongVec) a;
        long[] m = ((LongVec) months).values;
        LongVec out = new LongVec(ColumnType.TIMESTAMP, rows);
        out.nulls = BooleanKernels.orNulls(a.nulls, months.nulls, rows, sel, n);
        for (int k = 0; k < n; k++) {
            int i = sel[k];
            if (out.nulls == null || !out.nulls[i]) {
                out.values[i] = addMonths(in.values[i], m[i]);
            }
        }
        return out;
    }

    private static long addMonths(long millis, long months) {
        try {
            LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC)
                    .plusMonths(months);
            return Math.addExact(
                    Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1000L), Math.floorMod(millis, 1000));
        } catch (ArithmeticException | DateTimeException e) {
            throw new QueryException(
                    QueryException.OUT_OF_RANGE, "TIMESTAMP out of range adding " + months + " months");
        }
    }
}
