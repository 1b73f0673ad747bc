package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.NarrowValues;
import io.river.engine.scan.ScanBatch;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A scan slot read from narrow stored integers ({@link ScanBatch#narrow}) holds the logical values a
 * model computes from the stored ones and the encoding: random stored integers over each width's
 * whole range (its two ends always among them), NULLs, negative and extreme bases, decimal scales.
 */
class NarrowReadTest {
    private static final int ROWS = 3_000;

    @ParameterizedTest
    @CsvSource({
        "8, 0, INT64",
        "8, -128, INT32",
        "16, -9223372036854775808, INT64",
        "16, 40000, DATE",
        "32, 1700000000000, TIMESTAMP",
        "32, -5, INT64",
        "32, 9223372036854775807, INT64"
    })
    void offsetColumnsReadAsBasePlusStored(int bits, long base, ColumnType type) {
        NarrowValues narrow = new NarrowValues(bits, base, 0, false);
        long seed = bits * 31L + base;
        try (RootAllocator allocator = new RootAllocator()) {
            Stored stored = Stored.random(bits, seed);
            Vec.LongVec v = (Vec.LongVec) read(allocator, stored, narrow, type);
            assertEquals(type, v.type);
            for (int i = 0; i < ROWS; i++) {
                assertEquals(stored.nulls[i], v.isNull(i), "row " + i);
                if (!stored.nulls[i]) {
                    assertEquals(base + stored.values[i], v.values[i], "row " + i); // wraps like the writer
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"8, 0, 2", "8, -3, 0", "16, 5000, 2", "16, -32768, 6", "32, 123456789, 3", "32, -4503599627370496, 1"})
    void decimalColumnsReadAsScaledIntegersOverTenToTheScale(int bits, long base, int scale) {
        NarrowValues narrow = new NarrowValues(bits, base, scale, true);
        double p = Math.pow(10, scale);
        try (RootAllocator allocator = new RootAllocator()) {
            Stored stored = Stored.random(bits, bits * 17L + base + scale);
            Vec.DoubleVec v = (Vec.DoubleVec) read(allocator, stored, narrow, ColumnType.FLOAT64);
            for (int i = 0; i < ROWS; i++) {
                assertEquals(stored.nulls[i], v.isNull(i), "row " + i);
                if (!stored.nulls[i]) {
                    double expected = (base + stored.values[i]) / p;
                    assertEquals(
                            Double.doubleToRawLongBits(expected),
                            Double.doubleToRawLongBits(v.values[i]),
                            "row " + i + ": " + expected + " vs " + v.values[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"8", "16", "32"})
    void allNullColumnsAndSparesAreHandledAsPlainReadsDo(int bits) {
        NarrowValues narrow = new NarrowValues(bits, 10, 0, false);
        try (RootAllocator allocator = new RootAllocator()) {
            Stored none = new Stored(new long[4], new boolean[] {true, true, true, true}, bits);
            Vec v = read(allocator, none, narrow, ColumnType.INT64);
            assertArrayEquals(new boolean[] {true, true, true, true}, v.nulls);
            Stored full = Stored.random(bits, 5);
            java.util.Arrays.fill(full.nulls, false);
            Vec plain = read(allocator, full, narrow, ColumnType.INT64);
            assertNull(plain.nulls, "no NULL flags when no row is NULL");
        }
    }

    /** Reads slot 0 of a batch holding {@code stored} as narrow integers described by {@code narrow}. */
    private static Vec read(RootAllocator allocator, Stored stored, NarrowValues narrow, ColumnType type) {
        FieldVector fv = stored.vector(allocator);
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(fv));
        root.setRowCount(stored.values.length);
        try (ScanBatch batch = new ScanBatch(root, null, root, null, new NarrowValues[] {narrow})) {
            ScanInput input = new ScanInput(new ColumnType[] {type});
            input.reset(batch);
            return input.slot(0);
        }
    }

    /** Stored integers of one width with NULLs; both ends of the width's range always occur. */
    private record Stored(long[] values, boolean[] nulls, int bits) {
        static Stored random(int bits, long seed) {
            Random r = new Random(seed);
            long half = 1L << (bits - 1);
            long[] values = new long[ROWS];
            boolean[] nulls = new boolean[ROWS];
            for (int i = 0; i < ROWS; i++) {
                values[i] = switch (i % 5) {
                    case 0 -> -half;
                    case 1 -> half - 1;
                    default -> r.nextLong(-half, half);
                };
                nulls[i] = r.nextInt(7) == 0;
            }
            return new Stored(values, nulls, bits);
        }

        FieldVector vector(RootAllocator allocator) {
            BaseIntVector v = switch (bits) {
                case 8 -> new TinyIntVector("x", allocator);
                case 16 -> new SmallIntVector("x", allocator);
                default -> new IntVector("x", allocator);
            };
            FieldVector fv = (FieldVector) v;
            fv.setInitialCapacity(values.length);
            fv.allocateNew();
            for (int i = 0; i < values.length; i++) {
                if (nulls[i]) {
                    fv.setNull(i);
                } else {
                    v.setWithPossibleTruncate(i, values[i]);
                }
            }
            fv.setValueCount(values.length);
            return fv;
        }
    }
}
