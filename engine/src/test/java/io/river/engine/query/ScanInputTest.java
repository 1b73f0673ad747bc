package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.river.engine.model.ColumnType;
import io.river.engine.scan.ScanBatch;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class ScanInputTest {
    @Test
    void nullFlagsAreKeptOnlyWhenASelectedRowIsNull() {
        try (RootAllocator allocator = new RootAllocator()) {
            assertNull(slotNulls(allocator, new int[] {0, 2, 3}), "only the unselected row 1 is NULL");
            boolean[] nulls = slotNulls(allocator, new int[] {0, 1});
            assertNotNull(nulls, "selected row 1 is NULL");
            assertEquals(true, nulls[1]);
            assertNotNull(slotNulls(allocator, null), "no selection: every row counts");
        }
    }

    private static boolean[] slotNulls(RootAllocator allocator, int[] selection) {
        BigIntVector v = new BigIntVector("x", allocator);
        v.allocateNew(4);
        v.set(0, 10);
        v.setNull(1);
        v.set(2, 30);
        v.set(3, 40);
        v.setValueCount(4);
        VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(v));
        root.setRowCount(4);
        try (ScanBatch batch = new ScanBatch(root, selection, root)) {
            ScanInput input = new ScanInput(new ColumnType[] {ColumnType.INT64});
            input.reset(batch);
            return input.slot(0).nulls;
        }
    }
}
