package io.river.engine;

import io.river.config.RiverConfig;
import io.river.engine.cache.BlockCache;
import io.river.engine.io.DataDir;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.manifest.FileEntry;
import io.river.engine.model.GatheredRows;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.StringDictionary;
import io.river.engine.segment.EncodingCollector;
import io.river.engine.segment.SegmentMeta;
import io.river.engine.segment.SegmentReader;
import io.river.engine.segment.SegmentWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Writes and opens the segment files of a data directory: a new file gets the next file id and
 * its name from {@link DataDir}; an open file is a {@link SegmentHandle} reading through the block
 * cache. Used by flush, compaction and recovery. Thread-safe.
 */
final class SegmentFiles {
    private final RiverConfig config;
    private final DataDir dataDir;
    private final VersionSet versions;
    private final BufferAllocator allocator;
    private final BlockCache cache;
    private final AtomicLong cacheIds = new AtomicLong(1);

    SegmentFiles(
            RiverConfig config, DataDir dataDir, VersionSet versions, BufferAllocator allocator, BlockCache cache) {
        this.config = config;
        this.dataDir = dataDir;
        this.versions = versions;
        this.allocator = allocator;
        this.cache = cache;
    }

    /** Writes rows into a new segment file of the table and opens it (not yet in any level). */
    SegmentHandle write(
            String table,
            TableSchema schema,
            Iterator<Row> rows,
            Map<String, StringDictionary> dictionaries,
            EncodingCollector encodings,
            int level,
            long maxLsn)
            throws IOException {
        return write(
                table,
                level,
                maxLsn,
                (path, options) -> SegmentWriter.write(
                        path, schema, rows, dictionaries, encodings.build(schema), options, allocator));
    }

    /** Writes gathered rows (a frozen memtable's) into a new segment file of the table and opens it. */
    SegmentHandle write(
            String table,
            TableSchema schema,
            GatheredRows rows,
            Map<String, StringDictionary> dictionaries,
            EncodingCollector encodings,
            int level,
            long maxLsn)
            throws IOException {
        return write(
                table,
                level,
                maxLsn,
                (path, options) -> SegmentWriter.write(
                        path, schema, rows, dictionaries, encodings.build(schema), options, allocator));
    }

    /** How one file is written, given its path and the options of its level. */
    @FunctionalInterface
    private interface FileWrite {
        SegmentMeta write(Path path, SegmentWriter.Options options) throws IOException;
    }

    private SegmentHandle write(String table, int level, long maxLsn, FileWrite write) throws IOException {
        long id = versions.allocateFileId();
        String fileName = DataDir.segmentFileName(id);
        Path path = dataDir.segment(table, fileName);
        Files.createDirectories(path.getParent());
        SegmentMeta meta = write.write(path, options().forLevel(level));
        return open(table, toFileEntry(meta, fileName, id, level, maxLsn));
    }

    SegmentWriter.Options options() {
        return SegmentWriter.Options.from(config);
    }

    private static FileEntry toFileEntry(SegmentMeta meta, String fileName, long id, int level, long maxLsn) {
        Map<String, FileEntry.ColumnStatsEntry> cols = new TreeMap<>();
        meta.columns()
                .forEach((name, st) ->
                        cols.put(name, new FileEntry.ColumnStatsEntry(st.min(), st.max(), st.nullCount())));
        return new FileEntry(
                fileName,
                id,
                level,
                meta.sizeBytes(),
                meta.rows(),
                meta.tombstones(),
                meta.minKey(),
                meta.maxKey(),
                meta.createdMillis(),
                maxLsn,
                cols);
    }

    SegmentHandle open(String table, FileEntry fe) throws IOException {
        Path path = dataDir.segment(table, fe.file());
        // Every reader names its blocks in the cache with an id of its own, even two readers of one file (a
        // compaction move reopens a file): a block read through one reader is never used through another,
        // whose allocator may outlive it.
        SegmentReader reader = SegmentReader.open(path, cacheIds.getAndIncrement(), allocator, cache);
        return new SegmentHandle(fe, path, reader);
    }
}
