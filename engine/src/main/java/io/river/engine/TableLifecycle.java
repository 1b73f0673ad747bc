package io.river.engine;

import io.river.engine.lsm.LsmTable;
import io.river.engine.lsm.SegmentHandle;
import io.river.engine.manifest.TableEntry;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableExistsException;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.TableSchema;
import io.river.engine.scan.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating and dropping tables: each is one manifest change under the structure lock, made before
 * the table map changes, so a crash leaves either the old set of tables or the new one. Thread-safe.
 */
final class TableLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(TableLifecycle.class);

    private final EngineState state;

    TableLifecycle(EngineState state) {
        this.state = state;
    }

    /** The table, created with this mode and retention if absent (an existing table keeps its own). */
    Table create(String name, TableMode mode, TableRetention retention) throws IOException {
        LsmTable existing = state.table(name);
        if (existing != null) {
            return existing;
        }
        return state.versions().locked(() -> {
            LsmTable again = state.table(name);
            return again != null
                    ? again
                    : addNewTable(name, mode, TableSchema.initial(), TableConstraints.NONE, retention);
        });
    }

    /** Creates a declared table; throws {@link TableExistsException} (nothing changed) if the name is taken. */
    Table create(TableDefinition definition) throws IOException {
        return state.versions().locked(() -> {
            if (state.table(definition.name()) != null) {
                throw new TableExistsException(definition.name());
            }
            return addNewTable(
                    definition.name(),
                    definition.mode(),
                    definition.schema(),
                    definition.constraints(),
                    definition.retention());
        });
    }

    /**
     * A new table, in the manifest and then in the table map; caller holds the structure lock. It
     * starts with {@code flushedLsn} = the WAL's last LSN, so replay gives it no entry written before
     * it existed (those of a dropped table of the same name).
     */
    private LsmTable addNewTable(
            String name, TableMode mode, TableSchema schema, TableConstraints constraints, TableRetention retention)
            throws IOException {
        long since = state.wal() == null ? 0 : state.wal().lastLsn();
        state.versions().update(m -> m.withTable(TableEntry.create(name, mode, schema, constraints, retention, since)));
        List<List<SegmentHandle>> levels = new ArrayList<>();
        for (int i = 0; i < TableEntry.LEVELS; i++) {
            levels.add(new ArrayList<>());
        }
        state.addTable(name, mode, constraints, retention, null, schema, since, levels);
        LOG.info("created table {} ({})", name, mode.configName());
        return state.table(name);
    }

    /**
     * Changes a table's own retention ({@code ALTER TABLE ... SET/RESET}): under the structure lock,
     * (1) the cutoff in force now is taken (rows it hides stay hidden whatever the new setting), (2)
     * the manifest records the new setting with that cutoff in one atomic replace, (3) reads use the
     * new setting. A crash before (2) leaves the old setting; after it, the new one. Throws
     * {@link io.river.engine.model.SchemaException} when the retention column is not a TIMESTAMP or
     * DATE column of the table; returns false when there is no such table.
     */
    boolean setRetention(String name, TableRetention retention) throws IOException {
        return state.versions().locked(() -> {
            LsmTable t = state.table(name);
            if (t == null) {
                return false;
            }
            retention.checkColumn(t.schema().columns());
            long cutoff = t.retention().cutoff();
            state.versions().update(m -> m.withTable(m.tables().get(name).withRetention(retention, cutoff)));
            t.retention().setPolicy(retention);
            t.retention().setRecorded(cutoff);
            LOG.info("table {}: retention {}", name, retention);
            return true;
        });
    }

    /**
     * Drops a table: under the write lock (no append is half-applied to it) and the structure lock,
     * (1) the manifest loses the table in one atomic replace, (2) the table leaves the table map, so
     * later writes naming it are refused, (3) its segment files are marked obsolete (deleted once no
     * reader holds them) and its memtables released. A crash after (1) leaves files that recovery
     * removes as orphans, and WAL entries naming a table the manifest lacks are skipped on replay.
     * Returns false when there is no such table.
     */
    boolean drop(String name) throws IOException {
        return state.underWriteLock(() -> {
            LsmTable t = state.versions().locked(() -> {
                LsmTable found = state.table(name);
                if (found == null) {
                    return null;
                }
                state.versions().update(m -> m.withoutTable(name));
                state.removeTable(name);
                found.markDropped();
                return found;
            });
            if (t == null) {
                return false;
            }
            t.close();
            deleteEmptyDirectory(state.dataDir().tableDir(name));
            LOG.info("dropped table {}", name);
            return true;
        });
    }

    private static void deleteEmptyDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException notEmptyYet) {
            // A reader still holds a segment (deleted at its release) or a flush is finishing: the
            // directory stays; an empty table directory is harmless.
        }
    }
}
