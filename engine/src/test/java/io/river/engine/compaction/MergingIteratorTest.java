package io.river.engine.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.model.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergingIteratorTest {

    private static Row row(String k, int v) {
        return Row.builder(k).set("v", v).build();
    }

    @Test
    void newestSourceWinsAndTombstonesFollowTheFlag() {
        List<Row> newest = List.of(row("b", 2), Row.tombstone("c"));
        List<Row> older = List.of(row("a", 1), row("b", 1), row("c", 1), row("d", 1));
        List<String> kept = new ArrayList<>();
        new MergingIterator(List.of(newest.iterator(), older.iterator()), false)
                .forEachRemaining(r -> kept.add(r.pk() + (r.isTombstone() ? "-" : "=" + r.get("v"))));
        assertEquals(List.of("a=1", "b=2", "c-", "d=1"), kept);
        List<String> dropped = new ArrayList<>();
        new MergingIterator(List.of(newest.iterator(), older.iterator()), true)
                .forEachRemaining(r -> dropped.add(r.pk()));
        assertEquals(List.of("a", "b", "d"), dropped);
    }
}
