package io.river.engine.manifest;

import io.river.engine.model.Column;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the manifest records it: mode, schema, the LSN up to which its data is in segments
 * ({@code flushedLsn}) and its levels L0..L6 (L0 newest first; deeper levels sorted by key).
 * Immutable; serialized by Jackson.
 */
public record TableEntry(String name, TableMode mode, int schemaVersion, List<Column> columns, long flushedLsn,
                         List<List<FileEntry>> levels) {
    public static final int LEVELS = 7;

    public static TableEntry create(String name, TableMode mode, TableSchema schema) {
        List<List<FileEntry>> levels = new ArrayList<>();
        for (int i = 0; i < LEVELS; i++) {
            levels.add(List.of());
        }
        return new TableEntry(name, mode, schema.version(), schema.columns(), 0, levels);
    }

    public TableSchema schema() {
        return new TableSchema(schemaVersion, columns);
    }

    public TableEntry withSchema(TableSchema schema) {
        return new TableEntry(name, mode, schema.version(), schema.columns(), flushedLsn, levels);
    }

    public TableEntry withLevels(List<List<FileEntry>> newLevels, long newFlushedLsn) {
        return new TableEntry(name, mode, schemaVersion, columns, newFlushedLsn, newLevels);
    }

    public List<FileEntry> allFiles() {
        List<FileEntry> out = new ArrayList<>();
        for (List<FileEntry> level : levels) {
            out.addAll(level);
        }
        return out;
    }
}
