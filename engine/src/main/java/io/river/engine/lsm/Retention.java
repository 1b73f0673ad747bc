package io.river.engine.lsm;

import io.river.engine.manifest.FileEntry;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.BlockStats;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.ScanBatch;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;

/**
 * The retention of one table at run time: its declared {@link TableRetention}, the engine's
 * {@code river.retention.ms}, the engine's clock, and the cutoff. A row is expired when its time
 * (the retention column: {@code _ingested_at} unless declared; a DATE counts as its midnight UTC) is
 * below the cutoff; a row whose time is NULL, and a tombstone, never is. The cutoff is {@code now -
 * retention} but never moves back: it is the highest value computed so far in this process or
 * recorded in the manifest ({@link #recorded}), so raising the retention, resetting it or the clock
 * stepping back never brings back a row once hidden. Every read path filters with {@link #cutoff()}
 * taken once per read ({@link #expired}, {@link #select}, {@link #selectBlock}); the retention task
 * drops whole files by their zone maps ({@link #fileExpired}); compaction rewrites without expired rows
 * ({@link #compacting}). Upsert tables: the newest version of a key decides; an expired newest version
 * hides the key even when older versions are not expired. Thread-safe.
 */
public final class Retention {
    /** No cutoff: nothing is expired. */
    public static final long NONE = Long.MIN_VALUE;

    private static final long DAY_MILLIS = 86_400_000L;

    private final long engineMillis;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final AtomicLong highWater;
    private volatile TableRetention policy;
    private volatile long recorded;
    private final LongAdder rowsDropped = new LongAdder();
    private final LongAdder segmentsDropped = new LongAdder();
    private final LongAdder bytesDropped = new LongAdder();

    /**
     * @param policy       what the table declared
     * @param engineMillis the engine's {@code river.retention.ms} (0 = keep forever)
     * @param recorded     the cutoff the manifest holds, or null
     */
    public Retention(TableRetention policy, long engineMillis, Clock clock, Long recorded, EngineMetrics metrics) {
        this.policy = policy;
        this.engineMillis = engineMillis;
        this.clock = clock;
        this.metrics = metrics;
        this.recorded = recorded == null ? NONE : recorded;
        this.highWater = new AtomicLong(this.recorded);
    }

    /** A table that keeps everything (tests and tools that open a table on its own). */
    public static Retention keepForever(EngineMetrics metrics) {
        return new Retention(TableRetention.NONE, 0, Clock.systemUTC(), null, metrics);
    }

    public TableRetention policy() {
        return policy;
    }

    /** Changes the declared retention (ALTER TABLE; the manifest holds it already). */
    public void setPolicy(TableRetention next) {
        policy = next;
    }

    /** The retention in force: the table's own, else the engine's; 0 = keep forever. */
    public long effectiveMillis() {
        Long own = policy.millis();
        return own != null ? own : engineMillis;
    }

    public String column() {
        return policy.timeColumn();
    }

    /** The cutoff now ({@link #NONE} when nothing is expired); never lower than a cutoff returned before. */
    public long cutoff() {
        long ms = effectiveMillis();
        long now = ms > 0 ? clock.millis() - ms : NONE;
        long hw = highWater.get();
        return now <= hw ? hw : highWater.accumulateAndGet(now, Math::max); // reads mostly skip the CAS
    }

    /** The cutoff the manifest holds ({@link #NONE} if none). */
    public long recorded() {
        return recorded;
    }

    /** Records that the manifest now holds {@code cutoff}. */
    public void setRecorded(long cutoff) {
        recorded = Math.max(recorded, cutoff);
    }

    // ---------------------------------------------------------------- rows

    /** True when the row (not a tombstone) has a time below the cutoff. */
    public boolean expired(Row row, long cutoff) {
        if (cutoff == NONE || row.isTombstone()) {
            return false;
        }
        Long t = rowMillis(row.get(column()));
        return t != null && t < cutoff;
    }

    /** Epoch millis of a row value of a TIMESTAMP or DATE column, or null. */
    static Long rowMillis(Object value) {
        if (value instanceof Instant) {
            return ((Instant) value).toEpochMilli();
        }
        if (value instanceof LocalDate) {
            return ((LocalDate) value).toEpochDay() * DAY_MILLIS;
        }
        return null;
    }

    /** Epoch millis of a zone-map value (TIMESTAMP: millis; DATE: days), or null. */
    static Long statMillis(Object value, ColumnType type) {
        if (!(value instanceof Number)) {
            return null;
        }
        long v = ((Number) value).longValue();
        return type == ColumnType.DATE ? v * DAY_MILLIS : v;
    }

    // ---------------------------------------------------------------- vectors

    /**
     * The rows of {@code selection} (null = rows [0, rows)) whose time in {@code time} is not below the
     * cutoff; {@code selection} itself when none is expired. {@code time} null (the source lacks the
     * column) keeps every row.
     */
    public static int[] select(FieldVector time, int rows, int[] selection, long cutoff) {
        if (cutoff == NONE || time == null) {
            return selection;
        }
        int count = selection == null ? rows : selection.length;
        int[] out = new int[count];
        int k = 0;
        for (int j = 0; j < count; j++) {
            int r = selection == null ? j : selection[j];
            if (!vectorExpired(time, r, cutoff)) {
                out[k++] = r;
            }
        }
        return k == count ? selection : Arrays.copyOf(out, k);
    }

    private static boolean vectorExpired(FieldVector v, int row, long cutoff) {
        if (v.isNull(row)) {
            return false;
        }
        if (v instanceof TimeStampVector) {
            return ((TimeStampVector) v).get(row) < cutoff;
        }
        if (v instanceof DateDayVector) {
            return ((DateDayVector) v).get(row) * DAY_MILLIS < cutoff;
        }
        return false;
    }

    /**
     * The selection of a segment block with the expired rows taken out: decided by the block's zone
     * map when it can (no row expired: {@code selection}; every row expired: empty), otherwise by
     * reading the time column.
     */
    public int[] selectBlock(
            SegmentHandle h, int block, int[] selection, long cutoff, TableSchema schema, BufferAllocator allocator) {
        String col = column();
        Column c = schema.column(col);
        if (cutoff == NONE || c == null) {
            return selection;
        }
        BlockStats stats = h.reader().blockStats(block);
        if (stats.lacksColumn(col)) {
            return selection;
        }
        ColumnStats cs = stats.column(col);
        if (cs != null) {
            Long min = statMillis(cs.min(), c.type());
            Long max = statMillis(cs.max(), c.type());
            if (min == null && max == null && cs.nullCount() >= stats.rowCount()) {
                return selection; // only NULLs: nothing expires
            }
            if (min != null && min >= cutoff) {
                return selection;
            }
            if (max != null && max < cutoff && cs.nullCount() == 0) {
                return new int[0];
            }
        }
        try (ScanBatch batch = h.reader().scanBlock(block, List.of(col), schema, allocator, null, false)) {
            FieldVector time = batch.root().getVector(0);
            return select(time, batch.root().getRowCount(), selection, cutoff);
        }
    }

    /**
     * True when every row of the file is expired by its whole-file zone map (no tombstone, no NULL
     * time, greatest time below the cutoff).
     */
    public boolean fileExpired(FileEntry e, long cutoff, TableSchema schema) {
        Column c = schema.column(column());
        if (cutoff == NONE || c == null || e.rows() == 0 || e.tombstones() > 0 || e.columns() == null) {
            return false;
        }
        FileEntry.ColumnStatsEntry s = e.columns().get(column());
        if (s == null || s.nullCount() > 0) {
            return false;
        }
        Long max = statMillis(s.max(), c.type());
        return max != null && max < cutoff;
    }

    // ---------------------------------------------------------------- compaction

    /**
     * The rows a compaction writes: {@code merged} without its expired rows. Where nothing older lies
     * beneath the output ({@code bottom}) or keys are unique (append tables) an expired row is
     * dropped; otherwise it becomes a tombstone, so an older version below cannot resurface. Counts
     * into {@code dropped}.
     */
    public Iterator<Row> compacting(Iterator<Row> merged, TableMode mode, boolean bottom, LongAdder dropped) {
        long cutoff = cutoff();
        if (cutoff == NONE) {
            return merged;
        }
        boolean drop = bottom || mode == TableMode.APPEND;
        return new Iterator<>() {
            private Row next = advance();

            private Row advance() {
                while (merged.hasNext()) {
                    Row r = merged.next();
                    if (!expired(r, cutoff)) {
                        return r;
                    }
                    dropped.increment();
                    if (!drop) {
                        return Row.tombstone(r.pk());
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = advance();
                return r;
            }
        };
    }

    // ---------------------------------------------------------------- figures

    /** Counts rows a compaction rewrote without (once its result is installed). */
    public void rowsDropped(long n) {
        rowsDropped.add(n);
        metrics.retentionRowsDropped.add(n);
    }

    /** Counts a file the retention task dropped whole (once the edit is durable). */
    public void segmentDropped(FileEntry e) {
        segmentsDropped.increment();
        bytesDropped.add(e.sizeBytes());
        rowsDropped.add(e.rows());
        metrics.retentionSegmentsDropped.increment();
        metrics.retentionBytesDropped.add(e.sizeBytes());
        metrics.retentionRowsDropped.add(e.rows());
    }

    /** Figures for {@code /stats}: the setting, the cutoff and what left the disk by retention. */
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        long ms = effectiveMillis();
        TableRetention p = policy;
        out.put("ms", ms);
        out.put("retention", ms == 0 ? null : TableRetention.formatInterval(ms));
        out.put("source", p.millis() != null ? "table" : "engine");
        out.put("column", column());
        long hw = highWater.get();
        out.put("cutoffMillis", hw == NONE ? null : hw);
        out.put("recordedCutoffMillis", recorded == NONE ? null : recorded);
        out.put("rowsDropped", rowsDropped.sum());
        out.put("segmentsDropped", segmentsDropped.sum());
        out.put("bytesDropped", bytesDropped.sum());
        return out;
    }
}
