package io.river.engine.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.river.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Reads and atomically replaces {@code manifest.json} (temp file, fsync, rename, fsync directory via
 * {@link AtomicFiles}). A crash during a replace leaves the previous manifest. Thread-safe: updates
 * are serialized; {@link #current()} is a lock-free read of the last committed manifest.
 */
public final class ManifestStore {
    public static final String FILE_NAME = "manifest.json";

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
            try {
                m = JSON.readValue(file.toFile(), Manifest.class);
            } catch (IOException e) {
                throw new IOException("manifest " + file + " is unreadable: " + e.getMessage(), e);
            }
            if (m.formatVersion() > Manifest.FORMAT_VERSION) {
                throw new IOException("manifest " + file + " has format version " + m.formatVersion()
                        + ", this River reads up to " + Manifest.FORMAT_VERSION);
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
        AtomicFiles.write(file, JSON.writeValueAsBytes(next));
        current = next;
        return next;
    }

    public Path file() {
        return file;
    }

    static ObjectMapper json() {
        return JSON;
    }
}
