package io.river.engine.manifest;

import io.river.engine.model.Column;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the manifest records it: mode, schema, the LSN up to which its data is in segments
 * ({@code flushedLsn}; a table created while the WAL holds entries starts at the WAL's last LSN, so
 * replay never gives it entries of an earlier, dropped table of the same name), its levels L0..L6
 * (L0 newest first; deeper levels sorted by key) and what {@code CREATE TABLE} declared: the key
 * column and the NOT NULL columns (absent, i.e. null, in manifests written before declarations).
 * Retention: the table's own setting ({@code retentionMs}, null = the engine's; {@code
 * retentionColumn}, null = ingestion time) and {@code retentionCutoff}, the highest cutoff applied so
 * far (null = none): rows whose time is below it stay hidden even if retention is raised later.
 * Immutable; serialized by Jackson.
 */
public record TableEntry(
        String name,
        TableMode mode,
        int schemaVersion,
        List<Column> columns,
        long flushedLsn,
        List<List<FileEntry>> levels,
        String keyColumn,
        List<String> notNull,
        Long retentionMs,
        String retentionColumn,
        Long retentionCutoff) {
    public static final int LEVELS = 7;

    public static TableEntry create(String name, TableMode mode, TableSchema schema) {
        return create(name, mode, schema, TableConstraints.NONE, 0);
    }

    /** A new, empty table whose replay starts after {@code flushedLsn}. */
    public static TableEntry create(
            String name, TableMode mode, TableSchema schema, TableConstraints constraints, long flushedLsn) {
        return create(name, mode, schema, constraints, TableRetention.NONE, flushedLsn);
    }

    /** A new, empty table with its own retention, whose replay starts after {@code flushedLsn}. */
    public static TableEntry create(
            String name,
            TableMode mode,
            TableSchema schema,
            TableConstraints constraints,
            TableRetention retention,
            long flushedLsn) {
        List<List<FileEntry>> levels = new ArrayList<>();
        for (int i = 0; i < LEVELS; i++) {
            levels.add(List.of());
        }
        return new TableEntry(
                name,
                mode,
                schema.version(),
                schema.columns(),
                flushedLsn,
                levels,
                constraints.keyColumn(),
                constraints.notNull().isEmpty() ? null : constraints.notNull(),
                retention.millis(),
                retention.column(),
                null);
    }

    public TableSchema schema() {
        return new TableSchema(schemaVersion, columns);
    }

    public TableConstraints constraints() {
        return TableConstraints.of(keyColumn, notNull);
    }

    /** The table's own retention setting. */
    public TableRetention retention() {
        return new TableRetention(retentionMs, retentionColumn);
    }

    public TableEntry withSchema(TableSchema schema) {
        return new TableEntry(
                name,
                mode,
                schema.version(),
                schema.columns(),
                flushedLsn,
                levels,
                keyColumn,
                notNull,
                retentionMs,
                retentionColumn,
                retentionCutoff);
    }

    public TableEntry withLevels(List<List<FileEntry>> newLevels, long newFlushedLsn) {
        return new TableEntry(
                name,
                mode,
                schemaVersion,
                columns,
                newFlushedLsn,
                newLevels,
                keyColumn,
                notNull,
                retentionMs,
                retentionColumn,
                retentionCutoff);
    }

    /** The entry with another retention setting and a cutoff (never lower than the recorded one). */
    public TableEntry withRetention(TableRetention retention, long cutoff) {
        return new TableEntry(
                name,
                mode,
                schemaVersion,
                columns,
                flushedLsn,
                levels,
                keyColumn,
                notNull,
                retention.millis(),
                retention.column(),
                higherCutoff(cutoff));
    }

    /** The entry with the cutoff raised to {@code cutoff} (never lowered). */
    public TableEntry withRetentionCutoff(long cutoff) {
        return withRetention(retention(), cutoff);
    }

    private Long higherCutoff(long cutoff) {
        if (cutoff == Long.MIN_VALUE) {
            return retentionCutoff;
        }
        return retentionCutoff == null ? cutoff : Math.max(retentionCutoff, cutoff);
    }

    public List<FileEntry> allFiles() {
        List<FileEntry> out = new ArrayList<>();
        for (List<FileEntry> level : levels) {
            out.addAll(level);
        }
        return out;
    }
}
