package io.river.engine.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's root metadata, one JSON document ({@code manifest.json}) replaced atomically:
 * format version, generation (incremented on each replace), next file id, the newest checkpoint,
 * the first WAL file still needed, every table with its schema and levels, and the source
 * positions durable together with the data. Immutable: every change makes a new instance.
 */
public record Manifest(
        int formatVersion,
        long generation,
        long nextFileId,
        CheckpointRef checkpoint,
        String currentWal,
        Map<String, TableEntry> tables,
        List<PositionEntry> positions) {

    /** Version 1: plain JSON; version 2: sealed with a CRC32C trailer ({@link ManifestCodec}). */
    public static final int FORMAT_VERSION = 2;

    static final int FIRST_VERSION = 1;

    /** The checkpoint file and the LSN up to which it holds the memtables. */
    public record CheckpointRef(String file, long lsn) {}

    /** Next offset of one (stream, partition) of a source. */
    public record PositionEntry(String stream, int partition, long next) {}

    public static Manifest empty() {
        return new Manifest(FORMAT_VERSION, 0, 1, null, null, new TreeMap<>(), List.of());
    }

    public Manifest {
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
        positions = List.copyOf(positions);
    }

    public Manifest withTable(TableEntry table) {
        Map<String, TableEntry> t = new TreeMap<>(tables);
        t.put(table.name(), table);
        return new Manifest(formatVersion, generation, nextFileId, checkpoint, currentWal, t, positions);
    }

    /** The manifest without the table (DROP TABLE); its files become orphans. */
    public Manifest withoutTable(String name) {
        Map<String, TableEntry> t = new TreeMap<>(tables);
        t.remove(name);
        return new Manifest(formatVersion, generation, nextFileId, checkpoint, currentWal, t, positions);
    }

    public Manifest withCheckpoint(CheckpointRef ref) {
        return new Manifest(formatVersion, generation, nextFileId, ref, currentWal, tables, positions);
    }

    public Manifest withCurrentWal(String wal) {
        return new Manifest(formatVersion, generation, nextFileId, checkpoint, wal, tables, positions);
    }

    public Manifest withPositions(List<PositionEntry> newPositions) {
        return new Manifest(formatVersion, generation, nextFileId, checkpoint, currentWal, tables, newPositions);
    }

    public Manifest withNextFileId(long id) {
        return new Manifest(formatVersion, generation, id, checkpoint, currentWal, tables, positions);
    }

    Manifest nextGeneration() {
        return new Manifest(FORMAT_VERSION, generation + 1, nextFileId, checkpoint, currentWal, tables, positions);
    }

    public List<String> tableNames() {
        return new ArrayList<>(tables.keySet());
    }
}
