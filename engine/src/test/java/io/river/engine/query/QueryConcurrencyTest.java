package io.river.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.river.engine.testing.InMemoryTableSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** One engine serving many queries at once, and failing queries releasing every Arrow buffer. */
class QueryConcurrencyTest {
    static final String[] QUERIES = {
        "SELECT s, count(*), sum(i), max(h) FROM t GROUP BY s ORDER BY 1",
        "SELECT id, d FROM t WHERE d > 0 ORDER BY d DESC, id LIMIT 7",
        "SELECT count(DISTINCT h), approx_count_distinct(l), avg(d) FROM t WHERE f",
        "SELECT date_trunc('hour', ts), count(*) FROM t GROUP BY 1 ORDER BY 1",
    };

    @Test
    void concurrentQueriesGetTheSameAnswersAsSequentialOnes() throws Exception {
        DifferentialData data = new DifferentialData(5, 5000);
        try (RootAllocator allocator = new RootAllocator();
                QueryEngine engine = new QueryEngine(3)) {
            Catalog catalog = new TestCatalog()
                    .with(InMemoryTableSnapshot.builder("t", DifferentialData.COLUMNS, allocator)
                            .rows(data.rows())
                            .blockRows(250)
                            .splits(6)
                            .deadRowEvery(4)
                            .wildDeadRows(true)
                            .build());
            List<List<Object[]>> expected = new ArrayList<>();
            for (String q : QUERIES) {
                expected.add(DuckDbDifferentialTest.normalizeRiver(
                        engine.execute(q, catalog).rows()));
            }
            ExecutorService clients = Executors.newFixedThreadPool(6);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int c = 0; c < 120; c++) {
                    int k = c % QUERIES.length;
                    results.add(clients.submit(() -> DuckDbDifferentialTest.compare(
                            expected.get(k),
                            DuckDbDifferentialTest.normalizeRiver(
                                    engine.execute(QUERIES[k], catalog).rows()),
                            true,
                            java.util.Set.of())));
                }
                for (Future<String> f : results) {
                    assertEquals(null, f.get());
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    @Test
    void aFailingQueryStopsItsWorkersAndReleasesEveryBatch() {
        DifferentialData data = new DifferentialData(6, 20_000);
        try (RootAllocator allocator = new RootAllocator();
                QueryEngine engine = new QueryEngine(4)) {
            Catalog catalog = new TestCatalog()
                    .with(InMemoryTableSnapshot.builder("t", DifferentialData.COLUMNS, allocator)
                            .rows(data.rows())
                            .blockRows(100)
                            .splits(8)
                            .build());
            QueryException e = assertThrows(
                    QueryException.class,
                    () -> engine.execute("SELECT max(i + 2147483600) FROM t WHERE id > 10000", catalog));
            assertEquals(QueryException.OUT_OF_RANGE, e.code());
            assertEquals(0, allocator.getAllocatedMemory(), "every scan batch closed");
            // the engine still serves queries after a failure
            assertEquals(
                    20_000L,
                    engine.execute("SELECT count(*) FROM t", catalog).rows().get(0)[0]);
        }
    }
}
