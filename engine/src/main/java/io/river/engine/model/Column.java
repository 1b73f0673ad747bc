package io.river.engine.model;

import java.util.Objects;

/** A named, typed, nullable column. Immutable. */
public record Column(String name, ColumnType type) {
    public Column {
        Names.checkColumn(name);
        Objects.requireNonNull(type, "type");
    }
}
