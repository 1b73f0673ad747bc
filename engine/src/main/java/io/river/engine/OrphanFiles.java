package io.river.engine;

import io.river.engine.io.DataDir;
import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.TableEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What start-up deletes and {@code river check} reports as orphans, decided in one place: every
 * file under {@code tables/} that the manifest does not list (a segment whose flush or compaction
 * never reached the manifest, a temp file), every checkpoint file but the manifest's, and a
 * manifest temp file. Stateless.
 */
final class OrphanFiles {
    private OrphanFiles() {}

    /** The orphan files of {@code dir} with respect to {@code manifest}, sorted. */
    static List<Path> find(DataDir dir, Manifest manifest) throws IOException {
        Set<Path> live = new HashSet<>();
        for (TableEntry te : manifest.tables().values()) {
            for (FileEntry fe : te.allFiles()) {
                live.add(normal(dir.segment(te.name(), fe.file())));
            }
        }
        String checkpoint =
                manifest.checkpoint() == null ? null : manifest.checkpoint().file();
        if (checkpoint != null) {
            live.add(normal(dir.checkpointDir().resolve(checkpoint)));
        }
        List<Path> out = new ArrayList<>();
        for (Path root : List.of(dir.tablesDir(), dir.checkpointDir())) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(Files::isRegularFile)
                            .filter(f -> !live.contains(normal(f)))
                            .forEach(out::add);
                }
            }
        }
        Path manifestTemp = DataDir.temp(dir.manifest());
        if (Files.exists(manifestTemp)) {
            out.add(manifestTemp);
        }
        out.sort(null);
        return out;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
