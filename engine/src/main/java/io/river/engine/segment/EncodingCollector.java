package io.river.engine.segment;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.TableSchema;
import io.river.engine.model.VectorValues;
import io.river.engine.scan.ColumnStats;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;

/**
 * Chooses the {@link ColumnEncoding} of each numeric column of a segment about to be written, from
 * the values it may hold: a superset is fine (a flush offers every value of the memtable, a
 * compaction its inputs' zone maps and encodings), a value missing is not (the writer refuses a
 * value outside its column's encoding). The choice is by cost: the narrowest integer that holds the
 * column's range, only when narrower than the logical type (INT32, INT64, TIMESTAMP, DATE columns);
 * a FLOAT64 column is stored as scaled integers when every value is a decimal of at most {@value
 * ColumnEncoding#MAX_SCALE} digits that converts back exactly (and the scaled range fits 32 bits),
 * and is left plain, no longer collected, at the first value that is not. Booleans stay bit-packed
 * and strings go to {@link DictionaryCollector}. Not thread-safe; one per segment write.
 */
public final class EncodingCollector {
    private final Map<String, Range> ranges = new HashMap<>();

    /** True while {@code column} may still be encoded, i.e. more values for it are worth offering. */
    public boolean wants(String column) {
        Range r = ranges.get(column);
        return r == null || !r.plain;
    }

    /**
     * Offers every non-NULL value among the first {@code n} of {@code values} (an integer, timestamp,
     * date or double vector) for {@code column}; vectors of other types are ignored.
     */
    public void offer(String column, FieldVector values, int n) {
        if (values instanceof Float8Vector doubles) {
            Range r = range(column);
            for (int i = 0; i < n && !r.plain; i++) {
                if (!doubles.isNull(i)) {
                    r.addDouble(doubles.get(i));
                }
            }
        } else if (values instanceof BaseIntVector
                || values instanceof TimeStampVector
                || values instanceof DateDayVector) {
            Range r = range(column);
            for (int i = 0; i < n; i++) {
                if (!values.isNull(i)) {
                    r.addLong(VectorValues.longAt(values, i));
                }
            }
        }
    }

    private Range range(String column) {
        return ranges.computeIfAbsent(column, c -> new Range());
    }

    /**
     * Offers what a compaction input may contribute: each numeric column's range from the input's
     * zone map; a FLOAT64 column the input stores as plain doubles (values of unknown form) is
     * left plain.
     */
    public void offerSegment(SegmentReader input) {
        Map<String, ColumnStats> stats = input.meta().columns();
        input.columnTypes().forEach((column, stored) -> {
            ColumnStats cs = stats.get(column);
            boolean numeric = stored == ColumnType.INT32
                    || stored == ColumnType.INT64
                    || stored == ColumnType.TIMESTAMP
                    || stored == ColumnType.DATE;
            if (cs == null || cs.min() == null || !(numeric || stored == ColumnType.FLOAT64)) {
                return; // no value in this input, or not a numeric column
            }
            Range r = range(column);
            if (numeric) {
                r.addLong(((Number) cs.min()).longValue());
                r.addLong(((Number) cs.max()).longValue());
                return;
            }
            ColumnEncoding enc = input.encoding(column);
            if (enc == null || enc.kind() != ColumnEncoding.Kind.DECIMAL) {
                r.plain = true;
                return;
            }
            r.scale = Math.max(r.scale, enc.scale());
            r.addDouble(((Number) cs.min()).doubleValue());
            r.addDouble(((Number) cs.max()).doubleValue());
        });
    }

    /**
     * The encodings to write a segment of {@code schema} with, by column name; columns left plain
     * (or without values, or not numeric) are absent.
     */
    public Map<String, ColumnEncoding> build(TableSchema schema) {
        Map<String, ColumnEncoding> out = new LinkedHashMap<>();
        for (Column c : schema.columns()) {
            Range r = ranges.get(c.name());
            ColumnEncoding enc = r == null ? null : r.encoding(c.type());
            if (enc != null) {
                out.put(c.name(), enc);
            }
        }
        return out;
    }

    /** What one column's offered values span: integers and doubles apart (a schema may widen one to the other). */
    private static final class Range {
        boolean plain;
        boolean anyLong;
        boolean anyDouble;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        double minDouble = Double.POSITIVE_INFINITY;
        double maxDouble = Double.NEGATIVE_INFINITY;
        /** The fewest fractional digits that every double offered so far converts back at. */
        int scale;

        void addLong(long v) {
            anyLong = true;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        /**
         * A value converting back at scale s converts back at every larger scale whose scaled
         * integer stays within 2^53 (division is correctly rounded), so the scale only grows and
         * the extremes are checked again when the encoding is chosen.
         */
        void addDouble(double v) {
            while (ColumnEncoding.scaled(v, scale) == null) {
                if (++scale > ColumnEncoding.MAX_SCALE) {
                    plain = true;
                    return;
                }
            }
            anyDouble = true;
            minDouble = Math.min(minDouble, v);
            maxDouble = Math.max(maxDouble, v);
        }

        ColumnEncoding encoding(ColumnType type) {
            switch (type) {
                case INT32, INT64, TIMESTAMP, DATE:
                    return anyLong && !anyDouble
                            ? ColumnEncoding.forRange(ColumnEncoding.Kind.OFFSET, type, min, max, 0)
                            : null;
                case FLOAT64:
                    return decimal();
                default:
                    return null;
            }
        }

        /** Integers widened to doubles join the doubles' range (exact within 2^53, checked with the extremes). */
        private ColumnEncoding decimal() {
            if (plain || !(anyLong || anyDouble)) {
                return null;
            }
            double lo = anyDouble ? minDouble : Double.POSITIVE_INFINITY;
            double hi = anyDouble ? maxDouble : Double.NEGATIVE_INFINITY;
            if (anyLong) {
                lo = Math.min(lo, (double) min);
                hi = Math.max(hi, (double) max);
                if (Math.abs((double) min) > ColumnEncoding.MAX_EXACT
                        || Math.abs((double) max) > ColumnEncoding.MAX_EXACT) {
                    return null;
                }
            }
            Long kl = ColumnEncoding.scaled(lo, scale);
            Long kh = ColumnEncoding.scaled(hi, scale);
            return kl == null || kh == null
                    ? null
                    : ColumnEncoding.forRange(ColumnEncoding.Kind.DECIMAL, ColumnType.FLOAT64, kl, kh, scale);
        }
    }
}
