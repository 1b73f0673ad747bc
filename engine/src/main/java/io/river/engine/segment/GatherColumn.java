package io.river.engine.segment;

import io.river.engine.model.ColumnType;
import io.river.engine.model.GatheredRows;
import io.river.engine.model.VectorValues;
import io.river.engine.scan.StringDictionary;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Copies one column of a run of {@link GatheredRows} into a segment block's vector: one loop per
 * column type, each value read from its source's vector (widened INT32 → INT64 → FLOAT64 where the
 * source is narrower), stored as a dictionary code, a narrowed integer or plainly, and recorded in
 * the block's zone map. NULLs, delete rows and sources without the column are left unset (NULL in a
 * freshly reset block). Stateless.
 */
final class GatherColumn {
    private GatherColumn() {}

    /**
     * Fills slots {@code [at, at + n)} of {@code dst} from positions {@code [from, from + n)} of
     * {@code rows}; {@code dead[i]} marks position {@code from + i} a delete, {@code sources[s]} is
     * source s's vector of the column (null: lacks it).
     */
    static void fill(
            GatheredRows rows,
            int from,
            int n,
            boolean[] dead,
            FieldVector[] sources,
            ColumnType type,
            FieldVector dst,
            int at,
            ZoneMapBuilder zone,
            StringDictionary dictionary,
            ColumnEncoding encoding) {
        int[] source = rows.source();
        int[] row = rows.row();
        switch (type) {
            case BOOLEAN -> {
                BitVector out = (BitVector) dst;
                for (int i = 0; i < n; i++) {
                    FieldVector v = value(sources, source, row, dead, from, i);
                    if (v != null) {
                        int b = ((BitVector) v).get(row[from + i]);
                        out.setSafe(at + i, b);
                        zone.addBoolean(b != 0);
                    }
                }
            }
            case INT32, INT64, TIMESTAMP, DATE -> {
                for (int i = 0; i < n; i++) {
                    FieldVector v = value(sources, source, row, dead, from, i);
                    if (v != null) {
                        long x = VectorValues.longAt(v, row[from + i]);
                        if (encoding != null) {
                            BlockBuilder.setCode(dst, at + i, encoding.encode(x));
                        } else {
                            setLong(dst, type, at + i, x);
                        }
                        zone.addLong(x);
                    }
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    FieldVector v = value(sources, source, row, dead, from, i);
                    if (v != null) {
                        double x = doubleAt(v, row[from + i]);
                        if (encoding != null) {
                            BlockBuilder.setCode(dst, at + i, encoding.encode(x));
                        } else {
                            ((Float8Vector) dst).setSafe(at + i, x);
                        }
                        zone.addDouble(x);
                    }
                }
            }
            case STRING -> fillStrings(rows, from, n, dead, sources, dst, at, zone, dictionary);
            case BYTES -> {
                VarBinaryVector out = (VarBinaryVector) dst;
                for (int i = 0; i < n; i++) {
                    FieldVector v = value(sources, source, row, dead, from, i);
                    if (v != null) {
                        out.setSafe(at + i, ((VarBinaryVector) v).get(row[from + i]));
                        zone.addOpaque();
                    }
                }
            }
            default -> throw new IllegalArgumentException(type.name());
        }
    }

    private static void fillStrings(
            GatheredRows rows,
            int from,
            int n,
            boolean[] dead,
            FieldVector[] sources,
            FieldVector dst,
            int at,
            ZoneMapBuilder zone,
            StringDictionary dictionary) {
        int[] source = rows.source();
        int[] row = rows.row();
        for (int i = 0; i < n; i++) {
            FieldVector v = value(sources, source, row, dead, from, i);
            if (v == null) {
                continue;
            }
            byte[] utf8 = ((VarCharVector) v).get(row[from + i]);
            if (dictionary == null) {
                ((VarCharVector) dst).setSafe(at + i, utf8);
                zone.addUtf8(utf8);
                continue;
            }
            int code = dictionary.code(new String(utf8, StandardCharsets.UTF_8));
            if (code < 0) {
                throw new IllegalArgumentException("row '" + rows.keys()[from + i] + "': column '" + dst.getName()
                        + "' value is not in the segment's dictionary");
            }
            BlockBuilder.setCode(dst, at + i, code);
            zone.addCode(code);
        }
    }

    /** The source vector holding a value for position {@code from + i}, or null when it is NULL there. */
    private static FieldVector value(FieldVector[] sources, int[] source, int[] row, boolean[] dead, int from, int i) {
        if (dead[i]) {
            return null;
        }
        int p = from + i;
        FieldVector v = sources[source[p]];
        return v == null || v.isNull(row[p]) ? null : v;
    }

    private static double doubleAt(FieldVector v, int r) {
        if (v instanceof Float8Vector d) {
            return d.get(r);
        }
        return ((BaseIntVector) v).getValueAsLong(r);
    }

    private static void setLong(FieldVector dst, ColumnType type, int i, long x) {
        switch (type) {
            case INT32 -> ((IntVector) dst).setSafe(i, (int) x);
            case INT64 -> ((BigIntVector) dst).setSafe(i, x);
            case TIMESTAMP -> ((TimeStampVector) dst).setSafe(i, x);
            default -> ((DateDayVector) dst).setSafe(i, (int) x);
        }
    }
}
