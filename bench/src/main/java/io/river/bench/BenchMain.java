package io.river.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code ./river bench [--quick] [kv] [sql] [upsert] [recovery] [connect] [ingest] [http] [space] [clickbench]
 * [--out FILE] [--sql-rows N] [--upsert-append-order arrival|key] [--wal-mb N] [--kv-keys N] [--kv-cache-mb N]
 * [--kv-block-rows N] [--connect-records N] [--ingest-rows N] [--ingest-chunk N] [--rows N]}: River against its
 * peers on the same data, alternating rounds (the peers in this JVM; River in this JVM too, except the server sides
 * of connect and ingest, which run {@code river serve} in a child JVM). With no benchmark named, runs kv, sql,
 * recovery, connect, ingest and http (upsert, the SQL queries on an upsert table beside an append table of the same
 * rows, space, the long disk-space soak, and clickbench, ClickBench's 43 queries on {@code --rows} generated rows,
 * only when named). {@code --quick} is the few-minute CI smoke; without it the runs are sized for people (10M-row
 * SQL and ClickBench tables, 1 GB WAL, 1M Connect records, 1M ingested rows). Prints one {@code RESULT} line per
 * case as it goes and a Markdown table at the end (also written to {@code --out}, default {@code
 * bench-results.md} in the working directory). {@code --http-client auto|wrk|java} picks the HTTP benchmark's
 * load generator ({@link HttpBench}).
 */
public final class BenchMain {
    private static final List<String> DEFAULT = List.of("kv", "sql", "recovery", "connect", "ingest", "http");
    private static final List<String> ALL =
            List.of("kv", "sql", "upsert", "recovery", "connect", "ingest", "http", "space", "clickbench");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        List<String> only = new ArrayList<>();
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: ./river bench [--quick] [" + String.join("|", ALL)
                        + " ...] [--out FILE] [--sql-rows N] [--wal-mb N] [--space-gb G] [--kv-keys N] "
                        + "[--kv-cache-mb N] [--kv-block-rows N] [--connect-records N] [--ingest-rows N] "
                        + "[--ingest-chunk N] [--http-client auto|wrk|java] [--rows N (clickbench)]");
                return;
            } else if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                if (eq > 0) {
                    opts.put(a.substring(2, eq), a.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    opts.put(a.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
            } else if (ALL.contains(a)) {
                only.add(a);
            } else {
                throw new IllegalArgumentException("unknown benchmark '" + a + "'; one of " + ALL);
            }
        }
        if (only.isEmpty()) {
            only.addAll(DEFAULT);
        }
        String header = environment(quick, args);
        System.out.println(header);
        BenchResults results = new BenchResults();
        long t0 = System.nanoTime();
        for (String b : only) {
            long start = System.nanoTime();
            System.out.println("== " + b);
            try {
                switch (b) {
                    case "kv" -> new KvBench(quick, results, opts).run();
                    case "sql" ->
                        new SqlBench(
                                        Integer.parseInt(opts.getOrDefault("sql-rows", quick ? "1000000" : "10000000")),
                                        quick ? 3 : 7,
                                        riverKeys(opts),
                                        results)
                                .run();
                    case "upsert" ->
                        new UpsertSqlBench(
                                        Integer.parseInt(opts.getOrDefault("sql-rows", quick ? "1000000" : "10000000")),
                                        quick ? 3 : 7,
                                        "key".equals(opts.getOrDefault("upsert-append-order", "arrival")),
                                        results)
                                .run();
                    case "recovery" ->
                        new RecoveryBench(
                                        Integer.parseInt(opts.getOrDefault("wal-mb", quick ? "100" : "1024")),
                                        2,
                                        results)
                                .run();
                    case "connect" -> new ConnectBench(quick, results, opts).run();
                    case "ingest" -> new IngestBench(quick, results, opts).run();
                    case "http" -> new HttpBench(quick, results, opts).run();
                    case "clickbench" ->
                        new ClickBench(
                                        Integer.parseInt(opts.getOrDefault("rows", quick ? "1000000" : "10000000")),
                                        3,
                                        results)
                                .run();
                    case "space" ->
                        LsmSpaceBench.main(new String[] {"--gb", opts.getOrDefault("space-gb", quick ? "0.5" : "4")});
                    default -> throw new IllegalStateException(b);
                }
            } catch (Exception | Error e) {
                results.note(b + " FAILED: " + e);
                LoggerFactory.getLogger(BenchMain.class).error("benchmark {} failed", b, e);
            }
            System.out.printf(Locale.ROOT, "== %s took %.0f s%n", b, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(
                Locale.ROOT, "%nAll benchmarks took %.0f s. %s%n%n", (System.nanoTime() - t0) / 1e9, loadAverage());
        String md = results.markdown();
        System.out.println(md);
        Path out = Path.of(opts.getOrDefault("out", "bench-results.md"));
        Files.writeString(out, header + "; at the end: " + loadAverage() + "\n\n" + md);
        System.out.println("written to " + out.toAbsolutePath());
        if (results.markdown().contains("FAILED")) {
            System.exit(1);
        }
    }

    /** The {@code --river.*=value} options: River configuration for the benchmarks that take it. */
    static Map<String, String> riverKeys(Map<String, String> opts) {
        Map<String, String> out = new LinkedHashMap<>();
        opts.forEach((k, v) -> {
            if (k.startsWith("river.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String environment(boolean quick, String[] args) {
        Runtime rt = Runtime.getRuntime();
        return String.format(
                Locale.ROOT,
                "River bench (%s): %d cores, %s, JVM %s %s, max heap %.1f GB; %s; args %s",
                quick ? "quick" : "full",
                rt.availableProcessors(),
                memTotal(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                rt.maxMemory() / 1e9,
                loadAverage(),
                String.join(" ", args));
    }

    static String loadAverage() {
        try {
            return "load average "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[1] + " "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[2];
        } catch (IOException e) {
            return "load average "
                    + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return String.format(
                            Locale.ROOT, "%.1f GB RAM", Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0);
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "RAM unknown";
    }
}
