package io.river.engine.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.sf.jsqlparser.statement.select.Select;

/**
 * River's SQL engine: parses a query with JSqlParser into a {@link LogicalPlan}, takes one
 * consistent snapshot of the named table from the {@link Catalog}, and runs the plan vectorized
 * over the snapshot's splits on all cores (see {@link QueryExecution}). The supported subset and its
 * semantics are DuckDB's (the package documentation lists it): SELECT with aliases
 * and *, aggregates, scalar functions, CASE, CAST, GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET, SELECT
 * DISTINCT, subqueries in FROM, WITH and UNION ALL.
 *
 * <p>Thread-safe: any number of queries may run at once; each uses the calling thread plus up to
 * {@code parallelism - 1} threads of the engine's own daemon pool. Holds no Arrow memory between
 * queries (scan batches are released as they are consumed; results are Java values). Closing stops
 * the pool; queries must not be started after that.
 */
public final class QueryEngine implements AutoCloseable {
    private final ExecutorService pool;
    private final int parallelism;
    private final long maxResultRows;

    /** An engine using every available core, with no limit on result rows. */
    public QueryEngine() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public QueryEngine(int parallelism) {
        this(parallelism, Long.MAX_VALUE);
    }

    /**
     * @param parallelism   threads per query (the caller's plus {@code parallelism - 1} pooled)
     * @param maxResultRows a query whose answer would have more rows fails with
     *                      {@code result_too_large} instead of filling the heap (ORDER BY ... LIMIT
     *                      keeps only what it returns, so it is never refused)
     */
    public QueryEngine(int parallelism, long maxResultRows) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        if (maxResultRows < 0) {
            throw new IllegalArgumentException("maxResultRows must be >= 0, got " + maxResultRows);
        }
        this.parallelism = parallelism;
        this.maxResultRows = maxResultRows;
        AtomicInteger ids = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "river-query-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(Math.max(1, parallelism - 1), factory);
    }

    /**
     * Runs one SELECT. Throws {@link QueryException} for anything wrong with the query (syntax,
     * names, types, unsupported constructs, data errors such as integer overflow); any other
     * exception is River's own fault.
     */
    public QueryResult execute(String sql, Catalog catalog) {
        long start = System.nanoTime();
        Select select = SqlFrontEnd.parse(sql);
        SelectRunner.Relation r = new SelectRunner(catalog, pool, parallelism, maxResultRows).run(select, Map.of());
        List<ResultColumn> columns = new ArrayList<>();
        for (RelationSchema.SourceColumn c : r.schema().columns()) {
            columns.add(new ResultColumn(c.name(), c.type()));
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        return new QueryResult(columns, r.rows(), new QueryStats(r.rowsScanned(), r.blocksSkipped(), elapsed));
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
