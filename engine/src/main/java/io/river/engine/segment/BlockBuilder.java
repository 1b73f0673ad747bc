package io.river.engine.segment;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.GatheredRows;
import io.river.engine.model.Row;
import io.river.engine.model.TableSchema;
import io.river.engine.model.VectorValues;
import io.river.engine.scan.ColumnStats;
import io.river.engine.scan.StringDictionary;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Fills the vectors of one segment block (one Arrow record batch) row by row ({@link #add}) or a
 * run of gathered rows column by column ({@link #addGathered}) and keeps its index
 * entry: first/last key, counts and zone maps. Values are widened to the schema's column type
 * ({@link ColumnType#coerce}); a value that does not fit, or a non-null value of a column the schema
 * lacks, is an {@link IllegalArgumentException} (the caller evolves the schema first), and so is a
 * value of a dictionary-encoded column that its dictionary lacks (stored as its code) or of a
 * narrowed column outside its {@link ColumnEncoding} (stored as the narrow integer). Not
 * thread-safe; the root and its buffers belong to the caller, and are reused block after block.
 */
final class BlockBuilder {
    private final VectorSchemaRoot root;
    private final VarCharVector pk;
    private final BitVector deleted;
    private final Map<String, Integer> index = new HashMap<>();
    private final String[] names;
    private final ColumnType[] types;
    private final FieldVector[] vectors;
    private final ZoneMapBuilder[] zones;
    /** Per column: its dictionary when dictionary-encoded (the vector holds int codes), else null. */
    private final StringDictionary[] dictionaries;
    /** Per column: its narrowing when the vector holds narrow integers, else null. */
    private final ColumnEncoding[] encodings;

    /** The last rows given to {@link #addGathered} and their vectors by column and source. */
    private GatheredRows gathered;

    private FieldVector[][] gatheredVectors;
    private boolean allocated;
    private int rows;
    private int tombstones;
    private String firstKey;
    private String lastKey;

    BlockBuilder(
            VectorSchemaRoot root,
            TableSchema schema,
            Map<String, StringDictionary> dictionaries,
            Map<String, ColumnEncoding> encodings,
            int blockRows) {
        this.root = root;
        this.pk = (VarCharVector) root.getVector(SegmentFormat.PK);
        this.deleted = (BitVector) root.getVector(SegmentFormat.DELETED);
        int n = schema.columns().size();
        names = new String[n];
        types = new ColumnType[n];
        vectors = new FieldVector[n];
        zones = new ZoneMapBuilder[n];
        this.dictionaries = new StringDictionary[n];
        this.encodings = new ColumnEncoding[n];
        for (int i = 0; i < n; i++) {
            Column c = schema.columns().get(i);
            names[i] = c.name();
            types[i] = c.type();
            vectors[i] = root.getVector(SegmentFormat.KEY_COLUMNS + i);
            zones[i] = new ZoneMapBuilder(c.type(), dictionaries.get(c.name()));
            this.dictionaries[i] = dictionaries.get(c.name());
            this.encodings[i] = encodings.get(c.name());
            index.put(c.name(), i);
        }
        for (FieldVector v : root.getFieldVectors()) {
            v.setInitialCapacity(blockRows);
        }
    }

    int rows() {
        return rows;
    }

    /** Appends a row whose key is {@code pk} in UTF-8; keys must ascend strictly (checked by the writer). */
    void add(Row row, byte[] pk) {
        if (rows == 0) {
            startBlock();
        }
        int i = rows;
        this.pk.setSafe(i, pk);
        deleted.setSafe(i, row.isTombstone() ? 1 : 0);
        if (row.isTombstone()) {
            tombstones++;
        } else {
            for (Map.Entry<String, Object> e : row.values().entrySet()) {
                Object value = e.getValue();
                if (value == null) {
                    continue;
                }
                Integer c = index.get(e.getKey());
                if (c == null) {
                    throw new IllegalArgumentException("row '" + row.pk() + "' has a value for column '" + e.getKey()
                            + "' that the segment's schema lacks");
                }
                Object v = coerce(row, c, value);
                if (dictionaries[c] != null) {
                    int code = dictionaries[c].code((String) v);
                    if (code < 0) {
                        throw new IllegalArgumentException("row '" + row.pk() + "': column '" + names[c]
                                + "' value is not in the segment's dictionary");
                    }
                    setCode(vectors[c], i, code);
                } else if (encodings[c] != null) {
                    setCode(vectors[c], i, encodings[c].encode(ZoneMaps.statValue(types[c], v)));
                } else {
                    VectorValues.set(vectors[c], types[c], i, v);
                }
                zones[c].add(v);
            }
        }
        if (firstKey == null) {
            firstKey = row.pk();
        }
        lastKey = row.pk();
        rows++;
    }

    /**
     * Appends positions {@code [from, to)} of {@code rows} (keys ascending after the block's last;
     * {@code pks[i]} the UTF-8 key of position {@code from + i}) column by column: each column's
     * values gathered from the sources' vectors, widened to the schema's type, coded or narrowed as
     * {@link #add} does, with the same zone maps. A source column of a type that does not widen to
     * the schema's, or that the schema lacks, is an IllegalArgumentException.
     */
    void addGathered(GatheredRows rows, int from, int to, byte[][] pks) {
        if (this.rows == 0) {
            startBlock();
        }
        int at = this.rows;
        int n = to - from;
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            pk.setSafe(at + i, pks[i]);
            dead[i] = rows.isDelete(from + i);
            deleted.setSafe(at + i, dead[i] ? 1 : 0);
            tombstones += dead[i] ? 1 : 0;
        }
        FieldVector[][] sources = sourceVectors(rows);
        for (int c = 0; c < names.length; c++) {
            GatherColumn.fill(
                    rows, from, n, dead, sources[c], types[c], vectors[c], at, zones[c], dictionaries[c], encodings[c]);
        }
        if (firstKey == null) {
            firstKey = rows.keys()[from];
        }
        lastKey = rows.keys()[to - 1];
        this.rows = at + n;
    }

    /** Per schema column, per source of {@code rows}: the source's vector of it, or null; checked once per rows. */
    private FieldVector[][] sourceVectors(GatheredRows rows) {
        if (gathered == rows) {
            return gatheredVectors;
        }
        FieldVector[][] out = new FieldVector[names.length][rows.sources().size()];
        for (int s = 0; s < rows.sources().size(); s++) {
            GatheredRows.Source src = rows.sources().get(s);
            for (Column col : src.schema().columns()) {
                Integer c = index.get(col.name());
                if (c == null) {
                    throw new IllegalArgumentException(
                            "a source has column '" + col.name() + "' that the segment's schema lacks");
                }
                if (types[c].widen(col.type()) != types[c]) {
                    throw new IllegalArgumentException(
                            "column '" + names[c] + "' is " + types[c] + " but a source holds it as " + col.type());
                }
                out[c][s] = src.column(col.name());
            }
        }
        gathered = rows;
        gatheredVectors = out;
        return out;
    }

    /**
     * Stores a code in a dictionary column's index vector (Int8, Int16 or Int32, see {@link SegmentFormat#indexType})
     * or a narrowed column's stored integer (checked to fit by {@link ColumnEncoding#encode}).
     */
    static void setCode(FieldVector v, int row, long code) {
        if (v instanceof TinyIntVector) {
            ((TinyIntVector) v).setSafe(row, (byte) code);
        } else if (v instanceof SmallIntVector) {
            ((SmallIntVector) v).setSafe(row, (short) code);
        } else {
            ((IntVector) v).setSafe(row, (int) code);
        }
    }

    private Object coerce(Row row, int c, Object value) {
        ColumnType want = types[c];
        ColumnType got = ColumnType.of(value);
        if (got == want) {
            return value;
        }
        if (got != null && want.widen(got) == want) {
            return want.coerce(value);
        }
        throw new IllegalArgumentException("row '" + row.pk() + "': column '" + names[c] + "' is " + want
                + " but the value is " + (got == null ? value.getClass().getSimpleName() : got));
    }

    private void startBlock() {
        if (!allocated) {
            root.allocateNew();
            allocated = true;
        } else {
            for (FieldVector v : root.getFieldVectors()) {
                v.reset();
            }
        }
    }

    /** Seals the block: sets the vectors' counts and returns its index entry. */
    BlockInfo finish() {
        for (FieldVector v : root.getFieldVectors()) {
            v.setValueCount(rows);
        }
        root.setRowCount(rows);
        Map<String, ColumnStats> stats = new HashMap<>();
        for (int c = 0; c < names.length; c++) {
            stats.put(names[c], zones[c].build(rows));
        }
        return new BlockInfo(firstKey, lastKey, rows, tombstones, stats);
    }

    /** Forgets the sealed block so the next {@link #add} starts a new one in the same buffers. */
    void reset() {
        rows = 0;
        tombstones = 0;
        firstKey = null;
        lastKey = null;
        for (ZoneMapBuilder z : zones) {
            z.reset();
        }
    }
}
