package io.river.http.ingest;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.apache.arrow.vector.validate.ValidateUtil.ValidateException;

/**
 * Checks that a vector loaded from a client's stream can be read cell by cell: Arrow's structural validation
 * (buffers large enough for the value count, last offset within the data) plus offsets that start at or above
 * zero and never decrease, so that every cell lies inside its data buffer. View vectors get Arrow's full
 * validation. Much cheaper than {@link ValueVectorUtility#validateFull} on every vector, which costs a fifth of the
 * whole read. Throws {@link ValidateException}. Stateless.
 */
final class ArrowChecks {
    private ArrowChecks() {}

    static void check(ValueVector vector) {
        ValueVectorUtility.validate(vector);
        int count = vector.getValueCount();
        if (vector instanceof BaseVariableWidthVector v) {
            intOffsets(v.getOffsetBuffer(), count);
        } else if (vector instanceof BaseLargeVariableWidthVector v) {
            longOffsets(v.getOffsetBuffer(), count);
        } else if (vector instanceof BaseVariableWidthViewVector) {
            ValueVectorUtility.validateFull(vector);
        }
    }

    private static void intOffsets(ArrowBuf offsets, int count) {
        int previous = 0;
        for (int i = 0; i <= count && count > 0; i++) {
            int offset = offsets.getInt((long) i * BaseVariableWidthVector.OFFSET_WIDTH);
            if (offset < previous) {
                throw invalid(i, offset, previous);
            }
            previous = offset;
        }
    }

    private static void longOffsets(ArrowBuf offsets, int count) {
        long previous = 0;
        for (int i = 0; i <= count && count > 0; i++) {
            long offset = offsets.getLong((long) i * BaseLargeVariableWidthVector.OFFSET_WIDTH);
            if (offset < previous) {
                throw invalid(i, offset, previous);
            }
            previous = offset;
        }
    }

    private static ValidateException invalid(int index, long offset, long previous) {
        return new ValidateException("offset " + index + " is " + offset + ", below "
                + (index == 0 ? "zero" : "the offset before it (" + previous + ")"));
    }
}
