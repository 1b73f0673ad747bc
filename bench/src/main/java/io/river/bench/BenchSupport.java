package io.river.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small helpers shared by the benchmarks: medians, scratch directories, directory sizes. Stateless. */
final class BenchSupport {
    private BenchSupport() {
    }

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
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** Fails loudly when a benchmark's two sides disagree (a benchmark of a wrong answer is worthless). */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }
}
