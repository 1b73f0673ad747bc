package io.river.engine.query;

import io.river.engine.testing.InMemoryTableSnapshot;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The same {@link DifferentialData} rows as table {@code t} in DuckDB and in an in-memory River
 * snapshot laid out by the caller (blocks, splits, dead rows), with a River {@link QueryEngine} to
 * query it. Closing it closes the engine, DuckDB and the allocator (which fails on a leaked buffer).
 */
final class DifferentialFixture implements AutoCloseable {
    final RootAllocator allocator;
    final QueryEngine engine;
    final Connection duck;
    final Catalog catalog;

    private DifferentialFixture(RootAllocator allocator, QueryEngine engine, Connection duck, Catalog catalog) {
        this.allocator = allocator;
        this.engine = engine;
        this.duck = duck;
        this.catalog = catalog;
    }

    static DifferentialFixture open(
            long seed, int rows, int threads, UnaryOperator<InMemoryTableSnapshot.Builder> layout) throws Exception {
        DifferentialData data = new DifferentialData(seed, rows);
        RootAllocator allocator = new RootAllocator();
        QueryEngine engine = new QueryEngine(threads);
        Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        data.loadInto(duck);
        InMemoryTableSnapshot snapshot = layout.apply(
                        InMemoryTableSnapshot.builder("t", DifferentialData.COLUMNS, allocator)
                                .rows(data.rows()))
                .build();
        return new DifferentialFixture(allocator, engine, duck, new TestCatalog().with(snapshot));
    }

    @Override
    public void close() throws Exception {
        duck.close();
        engine.close();
        allocator.close();
    }
}
