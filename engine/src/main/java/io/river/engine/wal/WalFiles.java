package io.river.engine.wal;

import io.river.engine.io.DataDir;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names and lists the files of a WAL directory. A live file is {@code wal-<first LSN, 20 digits>.log},
 * so name order is LSN order; anything else in the directory (a {@code .corrupt} file set aside by
 * recovery, stray files) is ignored by the WAL. Stateless and thread-safe.
 */
final class WalFiles {
    static final String CORRUPT_SUFFIX = DataDir.CORRUPT_SUFFIX;

    private WalFiles() {}

    static String name(long firstLsn) {
        return DataDir.walFileName(firstLsn);
    }

    /** The first LSN named by a WAL file name, or -1 if the path is not a live WAL file. */
    static long firstLsn(Path file) {
        return DataDir.walFirstLsn(file);
    }

    /** Live WAL files of the directory, oldest first; empty if the directory does not exist. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (firstLsn(f) >= 0 && Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        }
        out.sort(Comparator.comparingLong(WalFiles::firstLsn));
        return out;
    }

    /** A path next to {@code file} named {@code <name><suffix>.corrupt} that does not exist yet. */
    static Path corruptPath(Path file, String suffix) {
        Path p = file.resolveSibling(file.getFileName() + suffix + CORRUPT_SUFFIX);
        for (int i = 1; Files.exists(p); i++) {
            p = file.resolveSibling(file.getFileName() + suffix + CORRUPT_SUFFIX + "." + i);
        }
        return p;
    }

    /** Renames a file to {@code <name>.corrupt} (never overwriting) and returns the new path. */
    static Path setAside(Path file) throws IOException {
        Path target = corruptPath(file, "");
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
