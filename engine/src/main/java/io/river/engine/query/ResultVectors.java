package io.river.engine.query;

import io.river.engine.model.ColumnType;

/** Makes an empty {@link Vec} of a type for {@code rows} rows, for kernels that fill values row by row. Stateless. */
final class ResultVectors {
    private ResultVectors() {}

    static Vec create(ColumnType type, int rows) {
        switch (type) {
            case FLOAT64:
                return new Vec.DoubleVec(rows);
            case BOOLEAN:
                return new Vec.BoolVec(rows);
            case STRING:
            case BYTES:
                return new Vec.ArrayBytesVec(type, new byte[rows][]);
            default:
                return new Vec.LongVec(type, rows);
        }
    }
}
