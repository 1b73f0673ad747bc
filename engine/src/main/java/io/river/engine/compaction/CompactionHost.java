package io.river.engine.compaction;

import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.model.Row;
import io.river.engine.scan.StringDictionary;
import io.river.engine.segment.EncodingCollector;
import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.roaringbitmap.RoaringBitmap;

/**
 * What the {@link Compactor} needs from the engine: the tables and their versions, a way to write
 * a segment, and an atomic install of a compaction's result (one manifest update plus the new
 * version; the inputs become obsolete and are deleted when no reader holds them). Keeps the
 * compactor free of manifest and file-layout details.
 */
public interface CompactionHost {
    Collection<String> tableNames();

    /** The table's current version, acquired (the caller releases it), or null when the table was dropped. */
    TableVersion acquire(String table);

    /**
     * Writes rows (key order) to a new segment of the table, its string columns dictionary-encoded
     * per {@code dictionaries} (every value the rows hold must be in its column's dictionary), its
     * numeric columns narrowed as {@code encodings} chooses for the table's schema (every value must
     * have been offered); returns its handle (one reference).
     */
    SegmentHandle writeSegment(
            String table,
            Iterator<Row> rows,
            Map<String, StringDictionary> dictionaries,
            EncodingCollector encodings,
            int level,
            long maxLsn)
            throws IOException;

    /**
     * A copy of the rows of an input segment known dead now (an upsert table's deletion vector), to
     * leave out of the compaction; null when none is or the table keeps no deletion vectors.
     */
    RoaringBitmap deadRows(String table, SegmentHandle input);

    /**
     * True when key {@code pk}'s newest version lies in a segment (not only in a memtable): a dead
     * row of that key may then leave the disk, since every recovery, even one that cuts a damaged
     * WAL short, keeps what segments hold. A row superseded only by a memtable row stays until then.
     */
    boolean supersededInSegments(String table, String pk);

    /** The most distinct values of a dictionary-encoded column in a segment (0 = encode none). */
    int dictionaryMaxEntries();

    /**
     * The rows a compaction of the table writes: {@code merged} less the rows its retention has
     * expired (tombstones where an older version may lie below, {@code bottom} false), each counted
     * into {@code expired}.
     */
    Iterator<Row> retained(String table, Iterator<Row> merged, boolean bottom, LongAdder expired);

    /** Counts rows an installed compaction left out by retention. */
    void expiredRowsDropped(String table, long rows);

    /** Replaces the task's inputs by the outputs atomically, then releases the outputs' references. */
    void install(CompactionTask task, List<SegmentHandle> outputs) throws IOException;

    /** Moves one file to another level without rewriting it (manifest change only). */
    void move(CompactionTask task) throws IOException;
}
