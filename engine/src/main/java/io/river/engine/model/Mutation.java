package io.river.engine.model;

import java.util.Objects;

/** A row version destined for one table. Immutable. */
public record Mutation(String table, Row row) {
    public Mutation {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(row, "row");
    }
}
