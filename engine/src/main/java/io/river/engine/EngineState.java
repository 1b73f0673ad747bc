package io.river.engine;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.cache.BlockCache;
import io.river.engine.checkpoint.CheckpointFormat;
import io.river.engine.checkpoint.CheckpointSection;
import io.river.engine.checkpoint.CheckpointStore;
import io.river.engine.io.AtomicFiles;
import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.lsm.TableVersion;
import io.river.engine.manifest.FileEntry;
import io.river.engine.manifest.Manifest;
import io.river.engine.manifest.ManifestStore;
import io.river.engine.manifest.TableEntry;
import io.river.engine.memtable.Memtable;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Mutation;
import io.river.engine.model.Row;
import io.river.engine.model.RowRejectedException;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.segment.SegmentMeta;
import io.river.engine.segment.DictionaryCollector;
import io.river.engine.segment.SegmentReader;
import io.river.engine.segment.SegmentWriter;
import io.river.engine.wal.WalEntry;
import io.river.engine.wal.WalOptions;
import io.river.engine.wal.WalReader;
import io.river.engine.wal.WalSyncPolicy;
import io.river.engine.wal.WalWriter;
import io.river.engine.wal.WriteBatchCodec;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's mutable core: tables, WAL, manifest, checkpoints and source positions, with the
 * operations that change them (append, flush, checkpoint, install of compaction results) and the
 * recovery that rebuilds them. Locks: {@code writeLock} orders appends (schema evolution, WAL
 * append and memtable apply happen under it, in LSN order); {@code structureLock} orders manifest
 * updates with version installs, so the manifest on disk and the versions readers see change
 * together. Background scheduling lives in {@link EngineBackground}.
 */
final class EngineState implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineState.class);
    static final String WAL_DIR = "wal";
    static final String CHECKPOINT_DIR = "checkpoint";
    static final String TABLES_DIR = "tables";
    static final String SEGMENT_SUFFIX = ".arrow";

    private final RiverConfig config;
    private final Path dataDir;
    private final Path tablesDir;
    private final BufferAllocator allocator;
    private final EngineMetrics metrics;
    private final ManifestStore manifests;
    private final CheckpointStore checkpoints;
    private final BlockCache cache;
    private final WalSyncPolicy syncPolicy;
    private final long memtableMaxBytes;
    private final int chunkRows;
    private final ConcurrentHashMap<String, LsmTable> tables = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock structureLock = new ReentrantLock();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final AtomicLong nextFileId;
    private final AtomicLong nextMemtableId = new AtomicLong(1);
    private WalWriter wal;
    private Runnable flushSignal = () -> { };

    /** Applied next offsets; guarded by writeLock. */
    private final Map<SourcePartition, Long> applied = new TreeMap<>();
    private volatile Map<SourcePartition, Long> appliedView = Map.of();
    /** Positions of appended but not yet durable batches, by LSN; guarded by itself. */
    private final TreeMap<Long, Map<SourcePartition, Long>> pending = new TreeMap<>();
    private volatile Map<SourcePartition, Long> durable = Map.of();
    private volatile long recoveredEntries;
    private volatile long recoveryMillis;

    private EngineState(RiverConfig config, Path dataDir, BufferAllocator allocator, EngineMetrics metrics,
                        ManifestStore manifests) throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        this.tablesDir = dataDir.resolve(TABLES_DIR);
        this.allocator = allocator;
        this.metrics = metrics;
        this.manifests = manifests;
        this.checkpoints = new CheckpointStore(dataDir.resolve(CHECKPOINT_DIR));
        this.cache = new BlockCache(config.get(RiverConfigKeys.CACHE_MAX_BYTES), metrics);
        this.syncPolicy = WalSyncPolicy.parse(config.get(RiverConfigKeys.WAL_SYNC));
        this.memtableMaxBytes = config.get(RiverConfigKeys.MEMTABLE_MAX_BYTES);
        this.chunkRows = (int) Math.max(64, Math.min(4096, memtableMaxBytes / 4096));
        this.nextFileId = new AtomicLong(manifests.current().nextFileId());
    }

    // ---------------------------------------------------------------------------------- recovery

    static EngineState recover(RiverConfig config, Path dataDir, BufferAllocator allocator, EngineMetrics metrics)
            throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(dataDir.resolve(TABLES_DIR));
        Files.createDirectories(dataDir.resolve(WAL_DIR));
        ManifestStore manifests = ManifestStore.open(dataDir);
        EngineState s = new EngineState(config, dataDir, allocator, metrics, manifests);
        boolean ok = false;
        try {
            s.recoverInto();
            ok = true;
        } finally {
            if (!ok) {
                s.closeQuietly();
            }
        }
        s.recoveryMillis = (System.nanoTime() - start) / 1_000_000;
        LOG.info("River engine recovered {} in {} ms: {} tables, {} WAL entries replayed, next LSN {}",
                dataDir, s.recoveryMillis, s.tables.size(), s.recoveredEntries, s.wal.lastLsn() + 1);
        return s;
    }

    private void recoverInto() throws IOException {
        Manifest m = manifests.current();
        removeOrphans(m);
        long maxFileId = 0;
        for (TableEntry te : m.tables().values()) {
            List<List<SegmentHandle>> levels = new ArrayList<>();
            for (List<FileEntry> level : te.levels()) {
                List<SegmentHandle> handles = new ArrayList<>();
                for (FileEntry fe : level) {
                    handles.add(openHandle(te.name(), fe));
                    maxFileId = Math.max(maxFileId, fe.id());
                }
                levels.add(handles);
            }
            while (levels.size() < TableEntry.LEVELS) {
                levels.add(new ArrayList<>());
            }
            tables.put(te.name(), new LsmTable(te.name(), te.mode(), te.schema(), te.flushedLsn(),
                    newMemtable(te.name(), te.mode()), levels, allocator, metrics));
        }
        nextFileId.set(Math.max(nextFileId.get(), maxFileId + 1));
        for (Manifest.PositionEntry p : m.positions()) {
            applied.merge(new SourcePartition(p.stream(), p.partition()), p.next(), Math::max);
        }

        long checkpointLsn = 0;
        if (m.checkpoint() != null) {
            CheckpointFormat.Checkpoint ckpt = checkpoints.read(m.checkpoint().file());
            checkpointLsn = ckpt.lsn();
            for (CheckpointSection sec : ckpt.sections()) {
                LsmTable t = tables.get(sec.table());
                if (t == null || sec.lastLsn() <= t.flushedLsn()) {
                    continue;
                }
                TableSchema schema = sec.schema().version() >= t.schema().version() ? sec.schema() : t.schema();
                for (Row r : sec.rows()) {
                    schema = schema.evolve(r);
                }
                t.apply(sec.rows(), schema, sec.lastLsn());
                rotateIfFull(t);
            }
        }
        long lastLsn = Math.max(checkpointLsn, maxFlushedLsn());
        final long ckptLsn = checkpointLsn;
        long replayFrom = Long.MAX_VALUE;
        for (LsmTable t : tables.values()) {
            replayFrom = Math.min(replayFrom, Math.max(checkpointLsn, t.flushedLsn()));
        }
        if (replayFrom == Long.MAX_VALUE) {
            replayFrom = 0;
        }
        Path walDir = dataDir.resolve(WAL_DIR);
        WalReader.ReplayResult result = WalReader.replay(walDir, replayFrom, entry -> replayEntry(entry, ckptLsn));
        if (result.truncated()) {
            metrics.walTailsTruncated.increment();
        }
        long nextLsn = Math.max(result.nextLsn(), lastLsn + 1);
        durable = Collections.unmodifiableMap(new TreeMap<>(applied));
        appliedView = durable;
        // WalWriter.open fsyncs the files a crashed process left, so everything replayed is durable.
        wal = WalWriter.open(walDir, walOptions(), nextLsn);
        metrics.syncedLsn.set(nextLsn - 1);
    }

    private void replayEntry(WalEntry entry, long checkpointLsn) {
        WriteBatch batch;
        try {
            batch = WriteBatchCodec.decode(entry.payload());
        } catch (RuntimeException | IOException e) {
            throw new IllegalStateException("WAL entry " + entry.lsn() + " passed its CRC but does not decode", e);
        }
        recoveredEntries++;
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        for (Mutation mu : batch.mutations()) {
            byTable.computeIfAbsent(mu.table(), k -> new ArrayList<>()).add(mu.row());
        }
        for (Map.Entry<String, List<Row>> e : byTable.entrySet()) {
            LsmTable t = tables.get(e.getKey());
            if (t == null) {
                LOG.warn("WAL entry {} names table {} that the manifest lacks; skipped", entry.lsn(), e.getKey());
                continue;
            }
            if (entry.lsn() <= Math.max(checkpointLsn, t.flushedLsn())) {
                continue;
            }
            TableSchema schema = t.schema();
            for (Row r : e.getValue()) {
                schema = schema.evolve(r);
            }
            t.apply(e.getValue(), schema, entry.lsn());
            rotateIfFull(t);
        }
        for (Map.Entry<SourcePartition, Long> p : batch.positions().entrySet()) {
            applied.merge(p.getKey(), p.getValue(), Math::max);
        }
    }

    private long maxFlushedLsn() {
        long max = 0;
        for (LsmTable t : tables.values()) {
            max = Math.max(max, t.flushedLsn());
        }
        return max;
    }

    /** Deletes temp files, segments the manifest does not list and stale checkpoints. */
    private void removeOrphans(Manifest m) throws IOException {
        Set<Path> live = new HashSet<>();
        for (TableEntry te : m.tables().values()) {
            for (FileEntry fe : te.allFiles()) {
                live.add(tablesDir.resolve(te.name()).resolve(fe.file()).toAbsolutePath().normalize());
            }
        }
        if (Files.isDirectory(tablesDir)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tablesDir)) {
                for (Path tdir : dirs) {
                    if (!Files.isDirectory(tdir)) {
                        continue;
                    }
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(tdir)) {
                        for (Path f : files) {
                            String name = f.getFileName().toString();
                            boolean segment = name.endsWith(SEGMENT_SUFFIX);
                            boolean tmp = name.endsWith(AtomicFiles.TMP_SUFFIX);
                            if (tmp || (segment && !live.contains(f.toAbsolutePath().normalize()))) {
                                LOG.info("removing orphan file {}", f);
                                Files.deleteIfExists(f);
                            }
                        }
                    }
                }
            }
        }
        String ckpt = m.checkpoint() == null ? null : m.checkpoint().file();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(checkpoints.dir())) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(ckpt)) {
                    LOG.info("removing stale checkpoint file {}", f);
                    Files.deleteIfExists(f);
                }
            }
        }
        Files.deleteIfExists(dataDir.resolve(ManifestStore.FILE_NAME + AtomicFiles.TMP_SUFFIX));
    }

    private WalOptions walOptions() {
        return new WalOptions(syncPolicy, config.get(RiverConfigKeys.WAL_SYNC_INTERVAL_MS),
                config.get(RiverConfigKeys.WAL_FILE_MAX_BYTES), metrics);
    }

    // ---------------------------------------------------------------------------------- tables

    LsmTable table(String name) {
        return tables.get(name);
    }

    Collection<LsmTable> tables() {
        return tables.values();
    }

    Table createTable(String name, TableMode mode) throws IOException {
        LsmTable existing = tables.get(name);
        if (existing != null) {
            return existing;
        }
        structureLock.lock();
        try {
            existing = tables.get(name);
            if (existing != null) {
                return existing;
            }
            TableSchema schema = TableSchema.initial();
            manifests.update(m -> m.withTable(TableEntry.create(name, mode, schema)));
            List<List<SegmentHandle>> levels = new ArrayList<>();
            for (int i = 0; i < TableEntry.LEVELS; i++) {
                levels.add(new ArrayList<>());
            }
            LsmTable t = new LsmTable(name, mode, schema, 0, newMemtable(name, mode), levels, allocator, metrics);
            tables.put(name, t);
            LOG.info("created table {} ({})", name, mode.configName());
            return t;
        } finally {
            structureLock.unlock();
        }
    }

    Memtable newMemtable(String table, TableMode mode) {
        return new Memtable(table, mode, nextMemtableId.getAndIncrement(), allocator, chunkRows);
    }

    // ---------------------------------------------------------------------------------- writes

    void setFlushSignal(Runnable signal) {
        this.flushSignal = signal;
    }

    /** Validates, logs and applies a batch; returns its LSN. Nothing is written if a row is refused. */
    long append(WriteBatch batch) throws IOException {
        byte[] payload = WriteBatchCodec.encode(batch);
        List<Mutation> muts = batch.mutations();
        // Schema evolution (a lookup per field per row) runs before the write lock, against the
        // tables' schemas as they are now, so concurrent writers (a connector's tasks) do it in
        // parallel; under the lock it is reused when no table it read has changed meanwhile, and
        // worked out again otherwise (and whenever it refused a row: that verdict is the lock's).
        Evolution pre;
        try {
            pre = evolve(muts);
        } catch (RuntimeException decidedUnderTheLock) {
            pre = null;
        }
        writeLock.lock();
        try {
            Evolution ev = pre != null && pre.unchanged(tables) ? pre : evolve(muts);
            Map<String, TableSchema> schemas = ev.schemas();
            Map<String, List<Row>> byTable = ev.byTable();
            long lsn = wal.append(payload);
            for (Map.Entry<String, List<Row>> e : byTable.entrySet()) {
                LsmTable t = tables.get(e.getKey());
                t.apply(e.getValue(), schemas.get(e.getKey()), lsn);
                rotateIfFull(t);
            }
            if (!batch.positions().isEmpty()) {
                for (Map.Entry<SourcePartition, Long> p : batch.positions().entrySet()) {
                    applied.merge(p.getKey(), p.getValue(), Math::max);
                }
                appliedView = Collections.unmodifiableMap(new TreeMap<>(applied));
                synchronized (pending) {
                    pending.put(lsn, batch.positions());
                }
            }
            metrics.batchesWritten.increment();
            metrics.rowsWritten.add(muts.size());
            metrics.bytesWritten.add(payload.length);
            return lsn;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The schemas a batch needs and its rows by table, worked out against the tables (and their
     * schemas) in {@code base}; {@link #unchanged} tells whether it still holds.
     */
    private record Evolution(Map<String, LsmTable> base, Map<String, TableSchema> baseSchemas,
                             Map<String, TableSchema> schemas, Map<String, List<Row>> byTable) {
        boolean unchanged(Map<String, LsmTable> tables) {
            for (Map.Entry<String, LsmTable> e : base.entrySet()) {
                LsmTable now = tables.get(e.getKey());
                if (now != e.getValue() || now.schema() != baseSchemas.get(e.getKey())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Checks every mutation and evolves each table's schema to hold its rows; throws on a refused row. */
    private Evolution evolve(List<Mutation> muts) {
        Map<String, LsmTable> base = new HashMap<>();
        Map<String, TableSchema> baseSchemas = new HashMap<>();
        Map<String, TableSchema> schemas = new HashMap<>();
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        for (int i = 0; i < muts.size(); i++) {
            Mutation mu = muts.get(i);
            LsmTable t = tables.get(mu.table());
            if (t == null) {
                throw new IllegalArgumentException("unknown table '" + mu.table() + "'");
            }
            if (mu.row().isTombstone() && t.mode() == TableMode.APPEND) {
                throw new RowRejectedException(i, "table '" + t.name() + "' is append-only: deletes are not allowed");
            }
            TableSchema s = schemas.get(t.name());
            if (s == null) {
                s = t.schema();
                base.put(t.name(), t);
                baseSchemas.put(t.name(), s);
            }
            try {
                schemas.put(t.name(), s.evolve(mu.row()));
            } catch (SchemaException e) {
                throw new RowRejectedException(i, "table '" + t.name() + "', key '" + mu.row().pk() + "': "
                        + e.getMessage(), e.column());
            }
            byTable.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(mu.row());
        }
        return new Evolution(base, baseSchemas, schemas, byTable);
    }

    /** Freezes the table's memtable when it is full; caller holds writeLock or is recovering. */
    private void rotateIfFull(LsmTable t) {
        if (t.peek().active().sizeBytes() >= memtableMaxBytes) {
            t.rotate(() -> newMemtable(t.name(), t.mode()));
            flushSignal.run();
        }
    }

    /** Freezes every non-empty active memtable (for a flush on time or on demand). */
    void rotateAll(long minAgeNanos) {
        writeLock.lock();
        try {
            for (LsmTable t : tables.values()) {
                Memtable active = t.peek().active();
                if (!active.isEmpty() && active.ageNanos() >= minAgeNanos) {
                    t.rotate(() -> newMemtable(t.name(), t.mode()));
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Waits until the entry is as durable as the policy promises; true if it is fsynced. */
    boolean awaitDurable(long lsn) throws IOException {
        if (syncPolicy == WalSyncPolicy.INTERVAL) {
            return false;
        }
        wal.awaitDurable(lsn);
        advanceDurable(wal.syncedLsn());
        return true;
    }

    long sync() throws IOException {
        long s = wal.sync();
        advanceDurable(s);
        return s;
    }

    private void advanceDurable(long syncedLsn) {
        metrics.syncedLsn.accumulateAndGet(syncedLsn, Math::max);
        synchronized (pending) {
            if (pending.isEmpty() || pending.firstKey() > syncedLsn) {
                return;
            }
            Map<SourcePartition, Long> next = new TreeMap<>(durable);
            while (!pending.isEmpty() && pending.firstKey() <= syncedLsn) {
                for (Map.Entry<SourcePartition, Long> p : pending.pollFirstEntry().getValue().entrySet()) {
                    next.merge(p.getKey(), p.getValue(), Math::max);
                }
            }
            durable = Collections.unmodifiableMap(next);
        }
    }

    Map<SourcePartition, Long> durablePositions() {
        if (wal != null) {
            advanceDurable(wal.syncedLsn());
        }
        return durable;
    }

    Map<SourcePartition, Long> appliedPositions() {
        return appliedView;
    }

    private List<Manifest.PositionEntry> durablePositionEntries() {
        List<Manifest.PositionEntry> out = new ArrayList<>();
        for (Map.Entry<SourcePartition, Long> e : durablePositions().entrySet()) {
            out.add(new Manifest.PositionEntry(e.getKey().stream(), e.getKey().partition(), e.getValue()));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------- flush

    /** Flushes the oldest frozen memtable of the table, if any; returns true if it flushed one. */
    boolean flushOldest(LsmTable t) throws IOException {
        List<Memtable> imm = t.peek().immutables();
        if (imm.isEmpty()) {
            return false;
        }
        Memtable m = imm.get(imm.size() - 1);
        m.retain();
        try {
            long start = System.nanoTime();
            TableSchema schema = t.schema();
            long id = nextFileId.getAndIncrement();
            String fileName = segmentFileName(id);
            Path path = tablesDir.resolve(t.name()).resolve(fileName);
            Files.createDirectories(path.getParent());
            SegmentWriter.Options options = segmentOptions();
            DictionaryCollector dictionaries = new DictionaryCollector(options.dictionaryMaxEntries(), m.keyCount());
            for (Column c : schema.columns()) {
                if (c.type() == ColumnType.STRING) {
                    m.forEachString(c.name(), v -> {
                        dictionaries.add(c.name(), v);
                        return dictionaries.wants(c.name());
                    });
                }
            }
            SegmentMeta meta = SegmentWriter.write(path, schema, m.frozenRows(schema), dictionaries.build(), options,
                    allocator);
            FileEntry fe = toFileEntry(meta, fileName, id, 0, m.lastLsn());
            SegmentHandle h = openHandle(t.name(), fe);
            // Replay will skip entries up to m.lastLsn(), so the manifest must carry their positions:
            // sync first so that the durable positions cover every one of them.
            sync();
            structureLock.lock();
            try {
                List<Manifest.PositionEntry> positions = durablePositionEntries();
                manifests.update(mf -> {
                    TableEntry te = mf.tables().get(t.name());
                    List<List<FileEntry>> levels = copyLevels(te.levels());
                    levels.get(0).add(0, fe);
                    return mf.withTable(te.withLevels(levels, Math.max(te.flushedLsn(), m.lastLsn())).withSchema(schema))
                            .withNextFileId(nextFileId.get()).withPositions(positions);
                });
                t.install(e -> {
                    e.immutables().remove(m);
                    e.level(0).add(0, h);
                    return e;
                });
                t.setFlushedLsn(m.lastLsn());
            } finally {
                structureLock.unlock();
                h.releaseOwner();
            }
            metrics.flushes.increment();
            metrics.flushBytes.add(fe.sizeBytes());
            LOG.debug("flushed {} rows of {} to {} in {} ms", fe.rows(), t.name(), fileName,
                    (System.nanoTime() - start) / 1_000_000);
        } finally {
            m.release();
        }
        deleteObsoleteWal();
        return true;
    }

    static List<List<FileEntry>> copyLevels(List<List<FileEntry>> levels) {
        List<List<FileEntry>> out = new ArrayList<>();
        for (List<FileEntry> l : levels) {
            out.add(new ArrayList<>(l));
        }
        while (out.size() < TableEntry.LEVELS) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    static String segmentFileName(long id) {
        return String.format("%012d%s", id, SEGMENT_SUFFIX);
    }

    SegmentWriter.Options segmentOptions() {
        return SegmentWriter.Options.from(config);
    }

    static FileEntry toFileEntry(SegmentMeta meta, String fileName, long id, int level, long maxLsn) {
        Map<String, FileEntry.ColumnStatsEntry> cols = new TreeMap<>();
        meta.columns().forEach((name, st) -> cols.put(name, new FileEntry.ColumnStatsEntry(st.min(), st.max(),
                st.nullCount())));
        return new FileEntry(fileName, id, level, meta.sizeBytes(), meta.rows(), meta.tombstones(), meta.minKey(),
                meta.maxKey(), meta.createdMillis(), maxLsn, cols);
    }

    SegmentHandle openHandle(String table, FileEntry fe) throws IOException {
        Path path = tablesDir.resolve(table).resolve(fe.file());
        SegmentReader reader = SegmentReader.open(path, fe.id(), allocator, cache);
        return new SegmentHandle(fe, path, reader);
    }

    long nextFileIdForManifest() {
        return nextFileId.get();
    }

    long allocateFileId() {
        return nextFileId.getAndIncrement();
    }

    Path tableDir(String table) {
        return tablesDir.resolve(table);
    }

    BufferAllocator allocator() {
        return allocator;
    }

    ManifestStore manifests() {
        return manifests;
    }

    ReentrantLock structureLock() {
        return structureLock;
    }

    EngineMetrics metrics() {
        return metrics;
    }

    BlockCache blockCache() {
        return cache;
    }

    /** Deletes WAL files whose every entry is in segments or in the checkpoint. */
    void deleteObsoleteWal() throws IOException {
        long bound = wal.lastLsn();
        for (LsmTable t : tables.values()) {
            TableVersion v = t.peek();
            List<Memtable> imm = v.immutables();
            if (!imm.isEmpty()) {
                bound = Math.min(bound, imm.get(imm.size() - 1).firstLsn() - 1);
            } else if (!v.active().isEmpty()) {
                bound = Math.min(bound, v.active().firstLsn() - 1);
            }
        }
        Manifest.CheckpointRef ckpt = manifests.current().checkpoint();
        if (ckpt != null) {
            bound = Math.max(bound, Math.min(ckpt.lsn(), wal.lastLsn()));
        }
        wal.deleteFilesUpTo(bound);
    }

    // ---------------------------------------------------------------------------------- checkpoint

    /** Snapshots every memtable to a checkpoint file and points the manifest at it. */
    void checkpoint() throws IOException {
        checkpointLock.lock();
        try {
            long lsn;
            List<CheckpointSection> sections = new ArrayList<>();
            writeLock.lock();
            try {
                lsn = wal.lastLsn();
                Manifest.CheckpointRef prev = manifests.current().checkpoint();
                if (prev != null && prev.lsn() == lsn) {
                    return;
                }
                for (LsmTable t : tables.values()) {
                    TableVersion v = t.acquire();
                    try {
                        TableSchema schema = t.schema();
                        List<Memtable> mems = new ArrayList<>(v.immutables());
                        Collections.reverse(mems);
                        mems.add(v.active());
                        for (Memtable m : mems) {
                            if (!m.isEmpty()) {
                                sections.add(new CheckpointSection(t.name(), schema, m.firstLsn(), m.lastLsn(),
                                        m.sortedRows(schema)));
                            }
                        }
                    } finally {
                        v.release();
                    }
                }
            } finally {
                writeLock.unlock();
            }
            sync();
            String file = checkpoints.write(lsn, sections);
            Manifest.CheckpointRef old;
            structureLock.lock();
            try {
                old = manifests.current().checkpoint();
                manifests.update(mf -> mf.withCheckpoint(new Manifest.CheckpointRef(file, lsn))
                        .withPositions(durablePositionEntries()));
            } finally {
                structureLock.unlock();
            }
            if (old != null && !old.file().equals(file)) {
                Files.deleteIfExists(checkpoints.dir().resolve(old.file()));
            }
            metrics.checkpoints.increment();
            deleteObsoleteWal();
        } finally {
            checkpointLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------- stats

    Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        long memBytes = 0;
        long memKeys = 0;
        int immutables = 0;
        List<Map<String, Object>> levels = new ArrayList<>();
        long[] lf = new long[TableEntry.LEVELS];
        long[] lb = new long[TableEntry.LEVELS];
        long[] lr = new long[TableEntry.LEVELS];
        List<Map<String, Object>> tableStats = new ArrayList<>();
        for (LsmTable t : tables.values()) {
            TableVersion v = t.acquire();
            try {
                memBytes += v.active().sizeBytes();
                memKeys += v.active().keyCount();
                for (Memtable m : v.immutables()) {
                    memBytes += m.sizeBytes();
                    memKeys += m.keyCount();
                }
                immutables += v.immutables().size();
                for (int i = 0; i < v.levels().size(); i++) {
                    for (SegmentHandle h : v.level(i)) {
                        lf[i]++;
                        lb[i] += h.entry().sizeBytes();
                        lr[i] += h.entry().rows();
                    }
                }
            } finally {
                v.release();
            }
            tableStats.add(t.stats());
        }
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("bytes", memBytes);
        mem.put("keys", memKeys);
        mem.put("immutable", immutables);
        mem.put("maxBytes", memtableMaxBytes);
        out.put("memtable", mem);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("syncPolicy", syncPolicy.name().toLowerCase());
        w.put("lastLsn", wal.lastLsn());
        w.put("syncedLsn", wal.syncedLsn());
        w.put("files", wal.fileCount());
        w.put("bytes", wal.totalBytes());
        w.put("syncs", metrics.walSyncs.sum());
        long syncs = metrics.walSyncs.sum();
        w.put("avgSyncMicros", syncs == 0 ? 0 : metrics.walSyncNanos.sum() / syncs / 1000);
        w.put("tailsTruncatedAtStartup", metrics.walTailsTruncated.sum());
        out.put("wal", w);
        Map<String, Object> c = new LinkedHashMap<>();
        Manifest.CheckpointRef ref = manifests.current().checkpoint();
        c.put("lsn", ref == null ? null : ref.lsn());
        c.put("file", ref == null ? null : ref.file());
        c.put("count", metrics.checkpoints.sum());
        out.put("checkpoint", c);
        for (int i = 0; i < TableEntry.LEVELS; i++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("level", i);
            l.put("files", lf[i]);
            l.put("bytes", lb[i]);
            l.put("rows", lr[i]);
            levels.add(l);
        }
        out.put("levels", levels);
        Map<String, Object> cacheStats = new LinkedHashMap<>();
        cacheStats.put("hits", metrics.cacheHits.sum());
        cacheStats.put("misses", metrics.cacheMisses.sum());
        cacheStats.put("bytes", cache.sizeBytes());
        cacheStats.put("maxBytes", cache.capacityBytes());
        out.put("cache", cacheStats);
        Map<String, Object> ingest = new LinkedHashMap<>();
        ingest.put("rows", metrics.rowsWritten.sum());
        ingest.put("bytes", metrics.bytesWritten.sum());
        ingest.put("batches", metrics.batchesWritten.sum());
        ingest.put("flushes", metrics.flushes.sum());
        long ingested = metrics.bytesWritten.sum();
        long flushed = metrics.flushBytes.sum();
        long compacted = metrics.compactionBytesWritten.sum();
        // Segment write amplification: how often a byte that reached a segment was written again by
        // compaction (compression-neutral). Disk: everything written (WAL + segments) per WAL byte.
        ingest.put("segmentWriteAmplification", flushed == 0 ? 0.0 : Math.round(100.0 * (flushed + compacted) / flushed) / 100.0);
        ingest.put("diskWriteAmplification", ingested == 0 ? 0.0
                : Math.round(100.0 * (ingested + flushed + compacted) / ingested) / 100.0);
        Map<String, Object> reads = new LinkedHashMap<>();
        long pr = metrics.pointReads.sum();
        reads.put("pointReads", pr);
        reads.put("segmentsProbedPerRead", pr == 0 ? 0.0
                : Math.round(100.0 * metrics.pointReadSegmentsProbed.sum() / pr) / 100.0);
        out.put("reads", reads);
        out.put("ingest", ingest);
        out.put("recovery", Map.of("millis", recoveryMillis, "walEntriesReplayed", recoveredEntries));
        Map<String, Long> pos = new TreeMap<>();
        durablePositions().forEach((k, v) -> pos.put(k.toString(), v));
        out.put("sourcePositions", pos);
        out.put("tables", tableStats);
        return out;
    }

    // ---------------------------------------------------------------------------------- close

    @Override
    public void close() throws IOException {
        IOException failure = null;
        if (wal != null) {
            try {
                sync();
            } catch (IOException e) {
                failure = e;
            } finally {
                try {
                    wal.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
        for (LsmTable t : tables.values()) {
            t.close();
        }
        tables.clear();
        cache.close();
        if (failure != null) {
            throw failure;
        }
    }

    private void closeQuietly() {
        try {
            if (wal != null) {
                wal.close();
            }
        } catch (IOException e) {
            LOG.warn("closing WAL after failed recovery: {}", e.toString());
        }
        for (LsmTable t : tables.values()) {
            t.close();
        }
        tables.clear();
        cache.close();
    }
}
