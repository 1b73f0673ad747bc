package io.river.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * River's Connect plugin archive ({@code river-connect-sink-<version>.zip}, built by
 * {@code mvn package} in {@code connect-sink/}): where to find it and how to unpack it into a
 * directory a worker can use as {@code plugin.path} (a worker does not load zips). Stateless.
 */
final class PluginArchive {
    static final String PROPERTY = "river.plugin.archive";

    private PluginArchive() {}

    /**
     * The archive given by {@code -Driver.plugin.archive}, else the newest
     * {@code connect-sink/target/river-connect-sink-*.zip} under {@code -Driver.home} or the current
     * directory.
     */
    static Path find() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("plugin archive " + p + " (-D" + PROPERTY + ") does not exist");
            }
            return p;
        }
        Path home = Path.of(System.getProperty("river.home", "."));
        Path target = home.resolve("connect-sink").resolve("target");
        return newestZip(target)
                .orElseThrow(() -> new IllegalStateException("no River plugin archive in " + target
                        + ": build it with 'mvn -pl connect-sink -am package' (./river demo does this for you)"));
    }

    static Optional<Path> newestZip(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("river-connect-sink-.*\\.zip"))
                    .max(Comparator.comparing(PluginArchive::modified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Replaces {@code pluginPath}'s content with the unpacked archive; returns pluginPath. */
    static Path unpack(Path zip, Path pluginPath) throws IOException {
        deleteRecursively(pluginPath);
        Files.createDirectories(pluginPath);
        Path root = pluginPath.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("plugin archive entry escapes the target directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
        return pluginPath;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
