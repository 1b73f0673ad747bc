package io.river.engine.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout of a data directory: the only place River spells a file or directory name.
 *
 * <pre>
 * LOCK                                  held while a process has the directory open
 * manifest.json                         levels, files, schemas, checkpoint, source positions
 * wal/wal-&lt;first lsn, 20 digits&gt;.log   write-ahead log; .corrupt files are set aside by recovery
 * checkpoint/checkpoint-&lt;lsn&gt;.ckpt      snapshot of the memtables at an LSN
 * tables/&lt;table&gt;/&lt;file id, 12 digits&gt;.arrow   segments
 * *.tmp                                 a file being written (AtomicFiles); never read, removed at start-up
 * BACKUP-INCOMPLETE                     present while a hot backup is being written into this directory
 * </pre>
 *
 * Immutable and thread-safe.
 */
public final class DataDir {
    public static final String LOCK = "LOCK";
    public static final String MANIFEST = "manifest.json";
    public static final String WAL_DIR = "wal";
    public static final String CHECKPOINT_DIR = "checkpoint";
    public static final String TABLES_DIR = "tables";
    public static final String SEGMENT_SUFFIX = ".arrow";
    public static final String TMP_SUFFIX = AtomicFiles.TMP_SUFFIX;
    public static final String CORRUPT_SUFFIX = ".corrupt";
    public static final String BACKUP_INCOMPLETE = "BACKUP-INCOMPLETE";
    private static final Pattern WAL_NAME = Pattern.compile("wal-(\\d{20})\\.log");

    private final Path root;

    public DataDir(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path lock() {
        return root.resolve(LOCK);
    }

    public Path manifest() {
        return root.resolve(MANIFEST);
    }

    /** The marker a hot backup writes first and removes last: a directory holding it is no data directory yet. */
    public Path backupIncomplete() {
        return root.resolve(BACKUP_INCOMPLETE);
    }

    public Path walDir() {
        return root.resolve(WAL_DIR);
    }

    public Path checkpointDir() {
        return root.resolve(CHECKPOINT_DIR);
    }

    public Path tablesDir() {
        return root.resolve(TABLES_DIR);
    }

    public Path tableDir(String table) {
        return tablesDir().resolve(table);
    }

    public Path segment(String table, String fileName) {
        return tableDir(table).resolve(fileName);
    }

    public static String segmentFileName(long fileId) {
        return String.format(Locale.ROOT, "%012d%s", fileId, SEGMENT_SUFFIX);
    }

    public static boolean isSegment(Path file) {
        return file.getFileName().toString().endsWith(SEGMENT_SUFFIX);
    }

    public static boolean isTemp(Path file) {
        return file.getFileName().toString().endsWith(TMP_SUFFIX);
    }

    public static String walFileName(long firstLsn) {
        return String.format(Locale.ROOT, "wal-%020d.log", firstLsn);
    }

    /** The first LSN a WAL file name holds, or -1 when the name is not a live WAL file's. */
    public static long walFirstLsn(Path file) {
        Matcher m = WAL_NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    public static String checkpointFileName(long lsn) {
        return String.format(Locale.ROOT, "checkpoint-%020d.ckpt", lsn);
    }

    /** The temp file next to {@code target} that an atomic replace writes first. */
    public static Path temp(Path target) {
        return target.resolveSibling(target.getFileName() + TMP_SUFFIX);
    }
}
