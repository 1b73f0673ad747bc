package io.river.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginArchiveTest {
    @TempDir
    Path dir;

    private Path zip(String name, String... entries) throws IOException {
        Path zip = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (String e : entries) {
                out.putNextEntry(new ZipEntry(e));
                if (!e.endsWith("/")) {
                    out.write(e.getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void unpacksIntoAFreshPluginPath() throws IOException {
        Path zip = zip(
                "river-connect-sink-1.zip",
                "river-connect-sink-1/",
                "river-connect-sink-1/lib/a.jar",
                "river-connect-sink-1/manifest.json");
        Path plugins = dir.resolve("plugins");
        Files.createDirectories(plugins.resolve("old"));
        Files.writeString(plugins.resolve("old/stale.jar"), "x");
        PluginArchive.unpack(zip, plugins);
        assertEquals(
                "river-connect-sink-1/lib/a.jar", Files.readString(plugins.resolve("river-connect-sink-1/lib/a.jar")));
        assertFalse(Files.exists(plugins.resolve("old")), "a previous unpack is replaced");
    }

    @Test
    void refusesEntriesThatEscape() throws IOException {
        Path zip = zip("evil.zip", "../escaped.jar");
        IOException e = assertThrows(IOException.class, () -> PluginArchive.unpack(zip, dir.resolve("p")));
        assertTrue(e.getMessage().contains("escapes"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escaped.jar")));
    }

    @Test
    void findsTheNewestArchive() throws IOException {
        Path older = zip("river-connect-sink-0.1.zip", "a");
        Path newer = zip("river-connect-sink-0.2.zip", "b");
        zip("other.zip", "c");
        Files.setLastModifiedTime(older, java.nio.file.attribute.FileTime.fromMillis(1_000));
        assertEquals(newer, PluginArchive.newestZip(dir).orElseThrow());
        assertTrue(PluginArchive.newestZip(dir.resolve("missing")).isEmpty());
    }
}
