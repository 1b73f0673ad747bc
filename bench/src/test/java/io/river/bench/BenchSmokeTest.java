package io.river.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CI smoke of {@code ./river bench}: the key-value, SQL, recovery, Connect (no-op, embedded and
 * server mode, the River server a child JVM), bulk ingest (River's {@code /ingest} in a child JVM
 * against DuckDB) and ClickBench (its 43 queries against DuckDB) benchmarks at toy sizes, so a change
 * that breaks a benchmark (or makes River and its peer disagree: each benchmark checks both sides'
 * answers and fails instead of printing a figure of a wrong answer) fails the build. The figures
 * themselves mean nothing at these sizes and are not asserted; the full runs are {@code ./river bench}.
 * The HTTP benchmark runs in {@link HttpBenchTest} on its Java load generator.
 */
class BenchSmokeTest {
    @Test
    void keyValueAgainstRocksDb() throws Exception {
        BenchResults results = new BenchResults();
        new KvBench(true, results, Map.of("kv-keys", "4000")).run();
        assertCases(results, "key-value", 6);
    }

    @Test
    void sqlAgainstDuckDb() throws Exception {
        BenchResults results = new BenchResults();
        new SqlBench(40_000, 1, results).run();
        assertCases(results, "sql", 1 + SqlBench.QUERIES.length);
        // The answers checked against DuckDB came from narrowed segments (river.segment.encoding=auto).
        String md = results.markdown();
        assertTrue(md.contains("amount=[decimal 16-bit]"), md);
        assertTrue(md.contains("user_id=[offset"), md);
    }

    @Test
    void recoveryAfterKillDashNine() throws Exception {
        BenchResults results = new BenchResults();
        new RecoveryBench(4, 1, results).run();
        assertCases(results, "recovery", 2);
    }

    @Test
    void connectSinkEmbeddedAndServerModeAgainstTheNoOpSink() throws Exception {
        BenchResults results = new BenchResults();
        new ConnectBench(20_000, 1, results).run();
        // two converter paths x ((steady rate, end to end) x (embedded, 2 server modes x (vs no-op, vs embedded))
        // + CPU per record x (embedded, 2 server modes))
        assertCases(results, "connect", 26);
    }

    @Test
    void bulkIngestAgainstDuckDb() throws Exception {
        BenchResults results = new BenchResults();
        new IngestBench(20_000, 5_000, 1, results).run();
        assertCases(results, "ingest", 8); // NDJSON and Arrow x (vs whole file, vs per chunk, MB/s, CPU)
    }

    @Test
    void clickBenchAgainstDuckDb() throws Exception {
        BenchResults results = new BenchResults();
        new ClickBench(20_000, 1, results).run();
        assertCases(results, "clickbench", 1 + 43 + 1); // load, 43 queries, geometric mean
    }

    private static void assertCases(BenchResults results, String benchmark, int cases) {
        String md = results.markdown();
        assertFalse(md.contains("FAILED"), md);
        List<BenchResults.Row> rows = results.rows().stream()
                .filter(r -> r.benchmark().startsWith(benchmark))
                .toList();
        assertEquals(cases, rows.size(), md);
        for (BenchResults.Row r : rows) {
            assertTrue(r.river() > 0 && Double.isFinite(r.river()), "no River figure for " + r.what() + "\n" + md);
        }
    }
}
