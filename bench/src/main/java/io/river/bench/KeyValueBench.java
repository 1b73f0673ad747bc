package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.Table;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Key-value throughput of River and RocksDB side by side in one JMH run, with the same durability
 * (WAL on, fsync per batch) and the same data: batched writes of {@value #BATCH} 100-byte values,
 * and random point reads over {@code keys} preloaded keys (flushed to disk, so reads go through
 * segments / SSTs and their caches). JMH reports ops/s per record; the ratio is River / RocksDB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KeyValueBench {
    static final int BATCH = 100;

    @Param({"100000"})
    public int keys;

    private Path dir;
    private RiverEngine river;
    private Table table;
    private RocksDB rocks;
    private Options rocksOptions;
    private WriteOptions syncWrites;
    private byte[] value;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        RocksDB.loadLibrary();
        dir = Files.createTempDirectory("river-kv-bench");
        value = new byte[100];
        ThreadLocalRandom.current().nextBytes(value);
        river = RiverEngine.open(RiverConfig.from(Map.of("river.data.dir", dir.resolve("river").toString(),
                "river.wal.sync", "batch", "river.http.port", "-1")));
        table = river.createTable("kv", TableMode.UPSERT);
        rocksOptions = new Options().setCreateIfMissing(true);
        rocks = RocksDB.open(rocksOptions, dir.resolve("rocks").toString());
        syncWrites = new WriteOptions().setSync(true);
        for (int i = 0; i < keys; i += BATCH) {
            WriteBatch.Builder b = WriteBatch.builder();
            try (org.rocksdb.WriteBatch rb = new org.rocksdb.WriteBatch()) {
                for (int j = i; j < i + BATCH && j < keys; j++) {
                    b.add("kv", Row.builder(key(j)).set("_value", value).build());
                    rb.put(key(j).getBytes(), value);
                }
                river.write(b.build());
                rocks.write(syncWrites, rb);
            }
        }
        river.flush();
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            rocks.flush(fo);
        }
    }

    static String key(int i) {
        return String.format("user%010d", i);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long riverBatchedWrite() throws IOException {
        WriteBatch.Builder b = WriteBatch.builder();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int j = 0; j < BATCH; j++) {
            b.add("kv", Row.builder(key(r.nextInt(keys))).set("_value", value).build());
        }
        return river.write(b.build()).lsn();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rocksBatchedWrite() throws RocksDBException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try (org.rocksdb.WriteBatch rb = new org.rocksdb.WriteBatch()) {
            for (int j = 0; j < BATCH; j++) {
                rb.put(key(r.nextInt(keys)).getBytes(), value);
            }
            rocks.write(syncWrites, rb);
        }
    }

    @Benchmark
    public Object riverPointRead() {
        return table.get(key(ThreadLocalRandom.current().nextInt(keys))).orElse(null);
    }

    @Benchmark
    public byte[] rocksPointRead() throws RocksDBException {
        return rocks.get(key(ThreadLocalRandom.current().nextInt(keys)).getBytes());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        river.close();
        rocks.close();
        rocksOptions.close();
        syncWrites.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
