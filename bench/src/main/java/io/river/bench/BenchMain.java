package io.river.bench;

import java.util.Arrays;

/**
 * {@code ./river bench [--quick] [kv|sql|recovery|space ...]}: River against its peers in one
 * process. {@code --quick} is the few-minute smoke; without it the runs are sized for people
 * (10M-row SQL table, 1 GB WAL, several GB of overwrites). The Connect pipeline comparison runs
 * in the sink's test harness: {@code mvn -pl connect-sink verify -Dit.test=SinkThroughputIT
 * -Driver.sink.bench.records=1000000}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        String only = Arrays.stream(args).filter(s -> !s.startsWith("--")).findFirst().orElse("all");
        if (only.equals("all") || only.equals("kv")) {
            System.out.println("== key-value: River vs RocksDB (JMH)");
            org.openjdk.jmh.Main.main(quick
                    ? new String[] {"KeyValueBench", "-f", "1", "-wi", "1", "-w", "2s", "-i", "2", "-r", "2s",
                        "-jvmArgs", "--add-opens=java.base/java.nio=ALL-UNNAMED"}
                    : new String[] {"KeyValueBench", "-f", "1", "-wi", "3", "-w", "3s", "-i", "5", "-r", "5s",
                        "-jvmArgs", "--add-opens=java.base/java.nio=ALL-UNNAMED"});
        }
        if (only.equals("all") || only.equals("sql")) {
            System.out.println("== SQL: River vs DuckDB");
            SqlBench.run(quick ? 1_000_000 : 10_000_000, quick ? 3 : 7);
        }
        if (only.equals("all") || only.equals("recovery")) {
            System.out.println("== recovery after a crash");
            RecoveryBench.run(quick ? 100 : 1024);
        }
        if (only.equals("space")) {
            System.out.println("== LSM disk space under sustained overwrites");
            LsmSpaceBench.main(new String[] {"--gb", quick ? "0.5" : "4"});
        }
    }
}
