package io.river.engine.testing;

import io.river.engine.cache.BlockCache;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.segment.SegmentReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** Copies, lists and deletes data directories in tests. Stateless. */
public final class DataDirs {
    private DataDirs() {}

    /** Copies every file of {@code from} (except LOCK) into the empty or absent {@code to}. */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else if (!f.getFileName().toString().equals("LOCK")) {
                    Files.copy(f, t);
                }
            }
        }
    }

    /**
     * Fails unless every file under {@code dir/tables} is listed in the manifest and no temp file is
     * left anywhere under {@code dir}: what recovery must guarantee after any crash or fault.
     */
    public static void assertNoOrphans(Path dir) throws IOException {
        Set<String> listed = new HashSet<>();
        for (var te : ManifestStore.open(dir).current().tables().values()) {
            te.allFiles().forEach(f -> listed.add(f.file()));
        }
        for (Path f : files(dir.resolve("tables"))) {
            if (!listed.contains(f.getFileName().toString())) {
                throw new AssertionError(
                        "orphan file left: " + dir.resolve("tables").resolve(f));
            }
        }
        for (Path f : files(dir)) {
            if (f.getFileName().toString().endsWith(".tmp")) {
                throw new AssertionError("temp file left: " + dir.resolve(f));
            }
        }
    }

    /** Dictionary-encoded columns summed over every segment file under {@code dir}. */
    public static int dictionaryColumns(Path dir) throws IOException {
        return segmentColumns(dir, (r, c) -> r.dictionary(c) != null);
    }

    /** Narrowed numeric columns ({@code SegmentReader.encoding}) summed over every segment file under {@code dir}. */
    public static int narrowedColumns(Path dir) throws IOException {
        return segmentColumns(dir, (r, c) -> r.encoding(c) != null);
    }

    private static int segmentColumns(Path dir, BiPredicate<SegmentReader, String> counted) throws IOException {
        int n = 0;
        long id = 1;
        try (BufferAllocator allocator = new RootAllocator();
                BlockCache cache = new BlockCache(0)) {
            for (Path f : files(dir)) {
                if (!f.toString().endsWith(".arrow")) {
                    continue;
                }
                try (SegmentReader r = SegmentReader.open(dir.resolve(f), id++, allocator, cache)) {
                    for (String c : r.columnTypes().keySet()) {
                        n += counted.test(r, c) ? 1 : 0;
                    }
                }
            }
        }
        return n;
    }

    /** Regular files under {@code dir}, relative paths, sorted. */
    public static List<Path> files(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> out.add(dir.relativize(f)));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
