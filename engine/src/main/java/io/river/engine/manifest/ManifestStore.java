package io.river.engine.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.river.engine.io.AtomicFiles;
import io.river.engine.io.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Reads and atomically replaces {@code manifest.json} (temp file, fsync, rename, fsync directory via
 * {@link AtomicFiles}), sealed with a CRC32C ({@link ManifestCodec}); a damaged manifest is refused
 * with an IOException naming it. A crash during a replace leaves the previous manifest. Thread-safe: updates
 * are serialized; {@link #current()} is a lock-free read of the last committed manifest.
 */
public final class ManifestStore {
    public static final String FILE_NAME = DataDir.MANIFEST;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private volatile Manifest current;

    private ManifestStore(Path file, Manifest current) {
        this.file = file;
        this.current = current;
    }

    /** Loads the manifest of a data directory, or starts an empty one (written at the first update). */
    public static ManifestStore open(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        Manifest m;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            boolean sealed = ManifestCodec.verify(bytes, file.toString());
            try {
                m = JSON.readValue(bytes, Manifest.class);
            } catch (IOException | RuntimeException e) {
                throw new IOException("manifest " + file + " is unreadable: " + e.getMessage(), e);
            }
            if (m.formatVersion() > Manifest.FORMAT_VERSION) {
                throw new IOException("manifest " + file + " has format version " + m.formatVersion()
                        + ", this River reads up to " + Manifest.FORMAT_VERSION);
            }
            if (!sealed && m.formatVersion() != Manifest.FIRST_VERSION) {
                throw new IOException("manifest " + file + " (format version " + m.formatVersion()
                        + ") lacks its CRC32C trailer (damaged on disk)");
            }
        } else {
            m = Manifest.empty();
        }
        return new ManifestStore(file, m);
    }

    public Manifest current() {
        return current;
    }

    /** Applies a change and makes it durable before returning the new manifest. */
    public synchronized Manifest update(UnaryOperator<Manifest> change) throws IOException {
        Manifest next = change.apply(current).nextGeneration();
        AtomicFiles.write(file, ManifestCodec.seal(JSON.writeValueAsBytes(next)));
        current = next;
        return next;
    }

    /** Writes {@code manifest} as the manifest of another data directory (a backup), atomically. */
    public static void writeTo(Path dataDir, Manifest manifest) throws IOException {
        AtomicFiles.write(dataDir.resolve(FILE_NAME), ManifestCodec.seal(JSON.writeValueAsBytes(manifest)));
    }

    public Path file() {
        return file;
    }

    static ObjectMapper json() {
        return JSON;
    }
}
