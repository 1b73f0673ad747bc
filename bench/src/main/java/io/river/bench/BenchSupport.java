package io.river.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small helpers shared by the benchmarks: medians, scratch directories, directory sizes, CPU time. Stateless. */
final class BenchSupport {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

    private BenchSupport() {}

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }

    static double median(long[] v) {
        return median(Arrays.stream(v).asDoubleStream().toArray());
    }

    /** A fresh scratch directory under {@code river.bench.dir} (default: the temp directory). */
    static Path scratch(String prefix) throws IOException {
        String base = System.getProperty("river.bench.dir");
        if (base == null) {
            return Files.createTempDirectory(prefix);
        }
        Files.createDirectories(Path.of(base));
        return Files.createTempDirectory(Path.of(base), prefix);
    }

    /** Deletes a tree, tolerating files that disappear meanwhile (compaction deleting inputs). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (NoSuchFileException gone) {
            // walked over a file deleted meanwhile; what is left is deleted on the next call
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long dirBytes(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * CPU time (user + system, every thread, native ones included) the process {@code pid} has used so
     * far, from {@code /proc/<pid>/stat} in clock ticks of 10 ms; -1 when /proc does not say (not Linux,
     * or the process is gone).
     */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@link #cpuNanos} of this JVM. */
    static long selfCpuNanos() {
        return cpuNanos(ProcessHandle.current().pid());
    }

    /** Fails loudly when a benchmark's two sides disagree (a benchmark of a wrong answer is worthless). */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }
}
