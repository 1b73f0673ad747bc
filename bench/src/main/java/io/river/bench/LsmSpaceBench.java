package io.river.bench;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Sustained-overwrite measurement of the LSM tree (issue 3): writes {@code --gb} GB of random
 * overwrites over {@code --keys} keys and reports, as it goes, the disk used by the data directory
 * against the size of the live data (the same keys written once and compacted), the write rate,
 * the write amplification and the segments probed per point read. Run:
 * {@code ./river bench space --gb 4 --style leveled}.
 */
public final class LsmSpaceBench {
    private LsmSpaceBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        double gb = Double.parseDouble(a.getOrDefault("gb", "1"));
        int keys = Integer.parseInt(a.getOrDefault("keys", "1000000"));
        int valueBytes = Integer.parseInt(a.getOrDefault("value-bytes", "200"));
        String style = a.getOrDefault("style", "leveled");
        Path root = Files.createTempDirectory("river-space-bench");
        try {
            long live = liveBytes(root.resolve("live"), keys, valueBytes, style);
            System.out.printf(
                    "live data: %d keys x %d B values = %.1f MB on disk when written once and compacted%n",
                    keys, valueBytes, live / 1e6);
            run(root.resolve("soak"), keys, valueBytes, style, (long) (gb * (1L << 30)), live);
        } finally {
            delete(root);
        }
    }

    private static RiverEngine open(Path dir, String style) throws IOException {
        return RiverEngine.open(RiverConfig.from(Map.of(
                "river.data.dir",
                dir.toString(),
                "river.http.port",
                "-1",
                "river.compaction.style",
                style,
                "river.wal.sync",
                "interval",
                "river.checkpoint.interval.ms",
                "0")));
    }

    private static long liveBytes(Path dir, int keys, int valueBytes, String style) throws IOException {
        Random rnd = new Random(1);
        try (RiverEngine e = open(dir, style)) {
            e.createTable("kv", TableMode.UPSERT);
            for (int i = 0; i < keys; i += 500) {
                WriteBatch.Builder b = WriteBatch.builder();
                for (int j = i; j < Math.min(keys, i + 500); j++) {
                    b.add("kv", row(j, valueBytes, rnd));
                }
                e.writeDeferred(b.build());
            }
            e.flush();
            e.compact();
            return segmentBytes(dir);
        }
    }

    private static Row row(int k, int valueBytes, Random rnd) {
        byte[] v = new byte[valueBytes];
        rnd.nextBytes(v);
        String key = String.format("key%09d", k);
        return Row.builder(key).set("_key", key).set("_value", v).build();
    }

    private static void run(Path dir, int keys, int valueBytes, String style, long totalBytes, long live)
            throws IOException {
        Random rnd = new Random(2);
        long written = 0;
        long maxDisk = 0;
        long start = System.nanoTime();
        long nextReport = 256L << 20;
        try (RiverEngine e = open(dir, style)) {
            Table t = e.createTable("kv", TableMode.UPSERT);
            while (written < totalBytes) {
                WriteBatch.Builder b = WriteBatch.builder();
                for (int j = 0; j < 500; j++) {
                    b.add("kv", row(rnd.nextInt(keys), valueBytes, rnd));
                }
                e.writeDeferred(b.build());
                written += 500L * (valueBytes + 13);
                if (written >= nextReport) {
                    nextReport += 256L << 20;
                    long disk = dirBytes(dir);
                    maxDisk = Math.max(maxDisk, disk);
                    report(e, t, keys, written, disk, live, start, rnd);
                }
            }
            e.flush();
            e.compact();
            long disk = dirBytes(dir);
            maxDisk = Math.max(maxDisk, disk);
            report(e, t, keys, written, disk, live, start, rnd);
            System.out.printf(
                    "RESULT style=%s ingested=%.2f GB max disk/live=%.2f final disk/live=%.2f%n",
                    style, written / 1e9, (double) maxDisk / live, (double) disk / live);
        }
    }

    @SuppressWarnings("unchecked")
    private static void report(
            RiverEngine e, Table t, int keys, long written, long disk, long live, long start, Random rnd) {
        long before = e.metrics().pointReadSegmentsProbed.sum();
        int reads = 2000;
        for (int i = 0; i < reads; i++) {
            t.get(String.format("key%09d", rnd.nextInt(keys)));
        }
        double probes = (double) (e.metrics().pointReadSegmentsProbed.sum() - before) / reads;
        Map<String, Object> ingest = (Map<String, Object>) e.stats().get("ingest");
        List<Map<String, Object>> levels = (List<Map<String, Object>>) e.stats().get("levels");
        StringBuilder lv = new StringBuilder();
        for (Map<String, Object> l : levels) {
            lv.append(l.get("files")).append(' ');
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "ingested %6.2f GB  %6.1f MB/s  disk %7.1f MB = %.2fx live  segment WA %s  "
                        + "segments probed/read %.2f  files per level [%s]%n",
                written / 1e9,
                written / 1e6 / secs,
                disk / 1e6,
                (double) disk / live,
                ingest.get("segmentWriteAmplification"),
                probes,
                lv.toString().trim());
    }

    private static long segmentBytes(Path dir) throws IOException {
        return dirBytes(dir.resolve("tables"));
    }

    /** Bytes of the files under {@code dir}; files deleted while it walks (compaction) count as 0. */
    private static long dirBytes(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(
                    Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    static void deleteTree(Path dir) throws IOException {
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String k = args[i].substring(2);
                int eq = k.indexOf('=');
                if (eq > 0) {
                    out.put(k.substring(0, eq), k.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    out.put(k, args[++i]);
                }
            }
        }
        return out;
    }
}
