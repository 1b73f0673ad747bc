package io.river.engine.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.river.engine.metrics.EngineMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Helpers shared by the WAL tests. */
final class WalTestUtils {
    private WalTestUtils() {}

    static WalOptions options(WalSyncPolicy policy, long fileMaxBytes) {
        return new WalOptions(policy, 50, fileMaxBytes, new EngineMetrics());
    }

    /** A payload whose content identifies its LSN, with a length that varies by LSN. */
    static byte[] payload(long lsn) {
        StringBuilder sb = new StringBuilder("entry-").append(lsn).append(':');
        for (int i = 0; i < lsn % 37; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes entries {@code payload(from..to)} into a fresh writer at {@code from} and closes it. */
    static void writeEntries(Path dir, WalOptions opts, long from, long to) throws IOException {
        try (WalWriter w = WalWriter.open(dir, opts, from)) {
            for (long lsn = from; lsn <= to; lsn++) {
                assertEquals(lsn, w.append(payload(lsn)));
            }
            w.sync();
        }
    }

    static List<WalEntry> replayAll(Path dir, long afterLsn) throws IOException {
        List<WalEntry> out = new ArrayList<>();
        WalReader.replay(dir, afterLsn, out::add);
        return out;
    }

    /** Asserts the entries are exactly {@code payload(from..to)} in order. */
    static void assertEntries(List<WalEntry> entries, long from, long to) {
        assertEquals(to - from + 1, entries.size(), "entry count");
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(from + i, entries.get(i).lsn());
            assertArrayEquals(payload(from + i), entries.get(i).payload(), "payload of LSN " + (from + i));
        }
    }

    static TreeSet<String> fileNames(Path dir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                names.add(f.getFileName().toString());
            }
        }
        return names;
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path f : files) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
