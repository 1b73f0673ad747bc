package io.river.engine.wal;

import io.river.engine.model.ColumnType;
import io.river.engine.model.Mutation;
import io.river.engine.model.Row;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.TableColumns;
import io.river.engine.model.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary encoding of a {@link WriteBatch}, the payload of a WAL entry (and of checkpoint
 * sections). Version 1 holds rows one by one; version 2, written when the batch carries rows in
 * columns ({@link TableColumns}), adds them after the mutations. A version-1 batch is written as
 * before and both versions are read:
 *
 * <pre>
 * batch     = version:u8(=1) positions mutations
 *           | version:u8(=2) positions mutations tables
 * positions = count:uvar { stream:name partition:svar nextOffset:svar64 }
 * mutations = count:uvar { table:name pk:string kind:u8 (0 = row, 1 = tombstone)
 *                          [row only: count:uvar { column:name value }] }
 * value     = tag:u8 payload
 *     tag 0 NULL (no payload)   1 BOOLEAN false   2 BOOLEAN true
 *         3 INT32 svar          4 INT64 svar64    5 FLOAT64 8 bytes IEEE 754, big-endian
 *         6 STRING string       7 BYTES uvar length + bytes
 *         8 TIMESTAMP svar64 epoch milliseconds
 *         9 DATE svar days since 1970-01-01 (added later in version 1: older batches never hold it,
 *           so every batch written before stays readable)
 * name      = uvar i: i below the batch's name table size refers to a name seen before in this
 *             batch; i equal to it is followed by a string, which joins the table
 *             (tables, columns and streams share one table, so repeated names cost one byte)
 * tables    = count:uvar { table:name rows:uvar { pk:string } * rows  deletes:bitmap
 *                          columns:uvar { column:name type:u8 present:bitmap
 *                                         { value } * (rows present) } }
 *     type is a value tag (BOOLEAN as 1, the others as above); a column of only NULLs is left out
 *     value: BOOLEAN u8 0/1, INT32 and DATE svar, INT64 and TIMESTAMP svar64, FLOAT64 8 bytes,
 *            STRING string, BYTES uvar length + bytes; delete rows hold no value
 * bitmap    = ceil(rows / 8) bytes, row r in bit (r % 8) of byte r / 8
 * string    = uvar byte length + UTF-8
 * uvar/svar = LEB128 varint; svar is zig-zag encoded
 * </pre>
 *
 * Decoding gives back an equal batch: values keep their position in the row, explicit nulls stay,
 * and each value comes back as its {@link ColumnType}'s Java type (Short and Byte become Integer,
 * Float becomes Double; an Instant keeps millisecond precision, per the data model). Encoding an
 * unsupported value type throws {@link IllegalArgumentException}. Thread-safe: each thread encodes
 * into its own reusable buffer, so a call allocates only the result array.
 */
public final class WriteBatchCodec {
    public static final int VERSION = 1;
    /** The version of a batch that holds rows in columns. */
    public static final int COLUMNS_VERSION = 2;

    static final int TAG_NULL = 0;
    static final int TAG_FALSE = 1;
    static final int TAG_TRUE = 2;
    static final int TAG_INT32 = 3;
    static final int TAG_INT64 = 4;
    static final int TAG_FLOAT64 = 5;
    static final int TAG_STRING = 6;
    static final int TAG_BYTES = 7;
    static final int TAG_TIMESTAMP = 8;
    static final int TAG_DATE = 9;

    private static final int KIND_ROW = 0;
    private static final int KIND_TOMBSTONE = 1;
    /** A per-thread buffer that grew past this is dropped after use rather than kept. */
    private static final int RETAINED_BUFFER_BYTES = 1 << 20;

    private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

    private WriteBatchCodec() {}

    /** Encodes the batch into a new array of exactly its size. */
    public static byte[] encode(WriteBatch batch) {
        Encoder e = ENCODERS.get();
        try {
            return e.encode(batch);
        } finally {
            e.reset();
        }
    }

    /** Decodes a batch; throws {@link IOException} if the bytes are not a valid version-1 or -2 batch. */
    public static WriteBatch decode(byte[] bytes) throws IOException {
        return new Decoder(bytes).batch();
    }

    /** The value tag naming a column's type in a version-2 batch (BOOLEAN as its "false" tag). */
    static int typeTag(ColumnType type) {
        switch (type) {
            case BOOLEAN:
                return TAG_FALSE;
            case INT32:
                return TAG_INT32;
            case INT64:
                return TAG_INT64;
            case FLOAT64:
                return TAG_FLOAT64;
            case STRING:
                return TAG_STRING;
            case BYTES:
                return TAG_BYTES;
            case TIMESTAMP:
                return TAG_TIMESTAMP;
            case DATE:
                return TAG_DATE;
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    /** Reusable encoding state of one thread. */
    private static final class Encoder {
        private byte[] buf = new byte[4096];
        private int pos;
        private final Map<String, Integer> names = new HashMap<>();

        byte[] encode(WriteBatch batch) {
            boolean columnar = !batch.columns().isEmpty();
            writeByte(columnar ? COLUMNS_VERSION : VERSION);
            Map<SourcePartition, Long> positions = batch.positions();
            writeUvar(positions.size());
            for (Map.Entry<SourcePartition, Long> p : positions.entrySet()) {
                writeName(p.getKey().stream());
                writeSvar(p.getKey().partition());
                writeSvar(p.getValue());
            }
            List<Mutation> mutations = batch.mutations();
            writeUvar(mutations.size());
            for (Mutation m : mutations) {
                writeName(m.table());
                Row row = m.row();
                writeString(row.pk());
                if (row.isTombstone()) {
                    writeByte(KIND_TOMBSTONE);
                    continue;
                }
                writeByte(KIND_ROW);
                Map<String, Object> values = row.values();
                writeUvar(values.size());
                for (Map.Entry<String, Object> v : values.entrySet()) {
                    writeName(v.getKey());
                    writeValue(v.getKey(), v.getValue());
                }
            }
            if (columnar) {
                writeUvar(batch.columns().size());
                for (TableColumns t : batch.columns()) {
                    writeTable(t);
                }
            }
            return Arrays.copyOf(buf, pos);
        }

        private void writeTable(TableColumns t) {
            writeName(t.table());
            int rows = t.rows();
            writeUvar(rows);
            boolean[] deletes = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                writeString(t.pk(r));
                deletes[r] = t.isDelete(r);
            }
            writeBitmap(deletes, rows);
            int columns = 0;
            for (TableColumns.Values v : t.columns()) {
                columns += v.type() == null ? 0 : 1;
            }
            writeUvar(columns);
            boolean[] present = new boolean[rows];
            for (TableColumns.Values v : t.columns()) {
                if (v.type() == null) {
                    continue;
                }
                writeName(v.name());
                writeByte(typeTag(v.type()));
                for (int r = 0; r < rows; r++) {
                    present[r] = v.present()[r] && !deletes[r];
                }
                writeBitmap(present, rows);
                writeValues(v, present, rows);
            }
        }

        /** The present values of one column, one loop per type. */
        private void writeValues(TableColumns.Values v, boolean[] present, int rows) {
            switch (v.type()) {
                case BOOLEAN: {
                    boolean[] data = (boolean[]) v.data();
                    ensure(rows);
                    for (int r = 0; r < rows; r++) {
                        if (present[r]) {
                            buf[pos++] = (byte) (data[r] ? 1 : 0);
                        }
                    }
                    break;
                }
                case INT32:
                case DATE: {
                    int[] data = (int[]) v.data();
                    for (int r = 0; r < rows; r++) {
                        if (present[r]) {
                            writeSvar(data[r]);
                        }
                    }
                    break;
                }
                case INT64:
                case TIMESTAMP: {
                    long[] data = (long[]) v.data();
                    for (int r = 0; r < rows; r++) {
                        if (present[r]) {
                            writeSvar(data[r]);
                        }
                    }
                    break;
                }
                case FLOAT64: {
                    double[] data = (double[]) v.data();
                    ensure(rows * 8);
                    for (int r = 0; r < rows; r++) {
                        if (present[r]) {
                            WalEntryFormat.putLong(buf, pos, Double.doubleToRawLongBits(data[r]));
                            pos += 8;
                        }
                    }
                    break;
                }
                case STRING: {
                    String[] data = (String[]) v.data();
                    for (int r = 0; r < rows; r++) {
                        if (present[r]) {
                            writeString(data[r]);
                        }
                    }
                    break;
                }
                case BYTES: {
                    byte[][] data = (byte[][]) v.data();
                    for (int r = 0; r < rows; r++) {
                        if (present[r]) {
                            byte[] b = data[r];
                            writeUvar(b.length);
                            ensure(b.length);
                            System.arraycopy(b, 0, buf, pos, b.length);
                            pos += b.length;
                        }
                    }
                    break;
                }
                default:
                    throw new IllegalArgumentException(v.type().name());
            }
        }

        private void writeBitmap(boolean[] bits, int n) {
            ensure((n + 7) / 8);
            for (int i = 0; i < n; i += 8) {
                int b = 0;
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b |= bits[i + j] ? 1 << j : 0;
                }
                buf[pos++] = (byte) b;
            }
        }

        void reset() {
            pos = 0;
            names.clear();
            if (buf.length > RETAINED_BUFFER_BYTES) {
                buf = new byte[4096];
            }
        }

        private void writeValue(String column, Object value) {
            if (value == null) {
                writeByte(TAG_NULL);
                return;
            }
            ColumnType type = ColumnType.of(value);
            if (type == null) {
                throw new IllegalArgumentException("column '" + column + "' holds a value of unsupported type "
                        + value.getClass().getName());
            }
            switch (type) {
                case BOOLEAN:
                    writeByte((Boolean) value ? TAG_TRUE : TAG_FALSE);
                    break;
                case INT32:
                    writeByte(TAG_INT32);
                    writeSvar(((Number) value).intValue());
                    break;
                case INT64:
                    writeByte(TAG_INT64);
                    writeSvar((Long) value);
                    break;
                case FLOAT64:
                    writeByte(TAG_FLOAT64);
                    writeLong(Double.doubleToRawLongBits(((Number) value).doubleValue()));
                    break;
                case STRING:
                    writeByte(TAG_STRING);
                    writeString((String) value);
                    break;
                case BYTES:
                    byte[] b = (byte[]) value;
                    writeByte(TAG_BYTES);
                    writeUvar(b.length);
                    ensure(b.length);
                    System.arraycopy(b, 0, buf, pos, b.length);
                    pos += b.length;
                    break;
                case TIMESTAMP:
                    writeByte(TAG_TIMESTAMP);
                    writeSvar(((Instant) value).toEpochMilli());
                    break;
                case DATE:
                    writeByte(TAG_DATE);
                    writeSvar(((LocalDate) value).toEpochDay());
                    break;
                default:
                    throw new IllegalArgumentException(type.name());
            }
        }

        private void writeName(String name) {
            Integer ref = names.get(name);
            if (ref != null) {
                writeUvar(ref);
                return;
            }
            int id = names.size();
            names.put(name, id);
            writeUvar(id);
            writeString(name);
        }

        /** UTF-8 with a length prefix; ASCII strings are copied char by char without a temporary array. */
        private void writeString(String s) {
            int n = s.length();
            int start = pos;
            writeUvar(n);
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    pos = start;
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    writeUvar(utf8.length);
                    ensure(utf8.length);
                    System.arraycopy(utf8, 0, buf, pos, utf8.length);
                    pos += utf8.length;
                    return;
                }
                buf[pos++] = (byte) c;
            }
        }

        private void writeByte(int b) {
            ensure(1);
            buf[pos++] = (byte) b;
        }

        private void writeLong(long v) {
            ensure(8);
            WalEntryFormat.putLong(buf, pos, v);
            pos += 8;
        }

        private void writeSvar(long v) {
            writeUvar((v << 1) ^ (v >> 63));
        }

        private void writeUvar(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }
    }

    /** Bounds-checked reader over one encoded batch. */
    private static final class Decoder {
        private final byte[] buf;
        private int pos;
        private final List<String> names = new ArrayList<>();

        Decoder(byte[] buf) {
            this.buf = buf;
        }

        WriteBatch batch() throws IOException {
            int version = readByte();
            if (version != VERSION && version != COLUMNS_VERSION) {
                throw corrupt("unknown WriteBatch format version " + version);
            }
            int positionCount = readCount();
            Map<SourcePartition, Long> positions = new TreeMap<>();
            for (int i = 0; i < positionCount; i++) {
                String stream = readName();
                int partition = (int) readSvar();
                positions.put(new SourcePartition(stream, partition), readSvar());
            }
            int mutationCount = readCount();
            List<Mutation> mutations = new ArrayList<>(mutationCount);
            for (int i = 0; i < mutationCount; i++) {
                String table = readName();
                String pk = readString();
                int kind = readByte();
                Row row;
                if (kind == KIND_TOMBSTONE) {
                    row = Row.tombstone(pk);
                } else if (kind == KIND_ROW) {
                    int valueCount = readCount();
                    Map<String, Object> values = new LinkedHashMap<>(valueCount * 4 / 3 + 1);
                    for (int v = 0; v < valueCount; v++) {
                        String column = readName();
                        values.put(column, readValue());
                    }
                    row = Row.of(pk, values);
                } else {
                    throw corrupt("unknown mutation kind " + kind);
                }
                mutations.add(new Mutation(table, row));
            }
            List<TableColumns> tables = new ArrayList<>();
            if (version == COLUMNS_VERSION) {
                int tableCount = readCount();
                for (int i = 0; i < tableCount; i++) {
                    tables.add(readTable());
                }
            }
            if (pos != buf.length) {
                throw corrupt((buf.length - pos) + " trailing bytes");
            }
            return new WriteBatch(mutations, tables, positions);
        }

        private TableColumns readTable() throws IOException {
            String table = readName();
            int rows = readCount();
            String[] pks = new String[rows];
            for (int r = 0; r < rows; r++) {
                pks[r] = readString();
            }
            boolean[] deletes = readBitmap(rows);
            int columnCount = readCount();
            List<TableColumns.Values> columns = new ArrayList<>(columnCount);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int c = 0; c < columnCount; c++) {
                String name = readName();
                if (!seen.add(name)) {
                    throw corrupt("column '" + name + "' given twice");
                }
                ColumnType type = tagType(readByte());
                boolean[] present = readBitmap(rows);
                Object data = readValues(type, present, deletes, rows);
                int first = -1;
                for (int r = 0; r < rows && first < 0; r++) {
                    first = present[r] ? r : -1;
                }
                columns.add(new TableColumns.Values(name, first < 0 ? null : type, present, data, first, first));
            }
            return new TableColumns(table, rows, pks, deletes, columns);
        }

        private Object readValues(ColumnType type, boolean[] present, boolean[] deletes, int rows) throws IOException {
            Object data = newArray(type, rows);
            for (int r = 0; r < rows; r++) {
                if (!present[r]) {
                    continue;
                }
                if (deletes[r]) {
                    throw corrupt("delete row " + r + " holds a value");
                }
                switch (type) {
                    case BOOLEAN:
                        int b = readByte();
                        if (b > 1) {
                            throw corrupt("boolean byte " + b);
                        }
                        ((boolean[]) data)[r] = b == 1;
                        break;
                    case INT32:
                        long i = readSvar();
                        if (i != (int) i) {
                            throw corrupt("INT32 value " + i + " out of range");
                        }
                        ((int[]) data)[r] = (int) i;
                        break;
                    case DATE:
                        ((int[]) data)[r] = Math.toIntExact(date(readSvar()).toEpochDay());
                        break;
                    case INT64:
                    case TIMESTAMP:
                        ((long[]) data)[r] = readSvar();
                        break;
                    case FLOAT64:
                        need(8);
                        ((double[]) data)[r] = Double.longBitsToDouble(WalEntryFormat.getLong(buf, pos));
                        pos += 8;
                        break;
                    case STRING:
                        ((String[]) data)[r] = readString();
                        break;
                    case BYTES:
                        int n = readCount();
                        ((byte[][]) data)[r] = Arrays.copyOfRange(buf, pos, pos + n);
                        pos += n;
                        break;
                    default:
                        throw corrupt("column type " + type);
                }
            }
            return data;
        }

        private static Object newArray(ColumnType type, int rows) {
            switch (type) {
                case BOOLEAN:
                    return new boolean[rows];
                case INT32:
                case DATE:
                    return new int[rows];
                case INT64:
                case TIMESTAMP:
                    return new long[rows];
                case FLOAT64:
                    return new double[rows];
                case STRING:
                    return new String[rows];
                default:
                    return new byte[rows][];
            }
        }

        private boolean[] readBitmap(int rows) throws IOException {
            int bytes = (rows + 7) / 8;
            need(bytes);
            boolean[] bits = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                bits[r] = (buf[pos + r / 8] & (1 << (r % 8))) != 0;
            }
            if (rows % 8 != 0 && (buf[pos + bytes - 1] & 0xFF) >>> (rows % 8) != 0) {
                throw corrupt("bits set past the last row");
            }
            pos += bytes;
            return bits;
        }

        private ColumnType tagType(int tag) throws IOException {
            switch (tag) {
                case TAG_FALSE:
                    return ColumnType.BOOLEAN;
                case TAG_INT32:
                    return ColumnType.INT32;
                case TAG_INT64:
                    return ColumnType.INT64;
                case TAG_FLOAT64:
                    return ColumnType.FLOAT64;
                case TAG_STRING:
                    return ColumnType.STRING;
                case TAG_BYTES:
                    return ColumnType.BYTES;
                case TAG_TIMESTAMP:
                    return ColumnType.TIMESTAMP;
                case TAG_DATE:
                    return ColumnType.DATE;
                default:
                    throw corrupt("unknown column type tag " + tag);
            }
        }

        private Object readValue() throws IOException {
            int tag = readByte();
            switch (tag) {
                case TAG_NULL:
                    return null;
                case TAG_FALSE:
                    return Boolean.FALSE;
                case TAG_TRUE:
                    return Boolean.TRUE;
                case TAG_INT32:
                    return (int) readSvar();
                case TAG_INT64:
                    return readSvar();
                case TAG_FLOAT64:
                    need(8);
                    double d = Double.longBitsToDouble(WalEntryFormat.getLong(buf, pos));
                    pos += 8;
                    return d;
                case TAG_STRING:
                    return readString();
                case TAG_BYTES:
                    int n = readCount();
                    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
                    pos += n;
                    return b;
                case TAG_TIMESTAMP:
                    return Instant.ofEpochMilli(readSvar());
                case TAG_DATE:
                    return date(readSvar());
                default:
                    throw corrupt("unknown value tag " + tag);
            }
        }

        private LocalDate date(long epochDay) throws IOException {
            if (epochDay < LocalDate.MIN.toEpochDay() || epochDay > LocalDate.MAX.toEpochDay()) {
                throw corrupt("date " + epochDay + " days from 1970-01-01 is out of range");
            }
            return LocalDate.ofEpochDay(epochDay);
        }

        private String readName() throws IOException {
            long ref = readUvar();
            if (ref >= 0 && ref < names.size()) {
                return names.get((int) ref);
            }
            if (ref != names.size()) {
                throw corrupt("name reference " + ref + " beyond the " + names.size() + " names seen");
            }
            String name = readString();
            names.add(name);
            return name;
        }

        private String readString() throws IOException {
            int n = readCount();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /** A length or count: non-negative and no larger than the bytes left (each item takes at least one). */
        private int readCount() throws IOException {
            long n = readUvar();
            if (n < 0 || n > buf.length - pos) {
                throw corrupt("count " + n + " exceeds the " + (buf.length - pos) + " bytes left");
            }
            return (int) n;
        }

        private int readByte() throws IOException {
            need(1);
            return buf[pos++] & 0xFF;
        }

        private long readSvar() throws IOException {
            long v = readUvar();
            return (v >>> 1) ^ -(v & 1);
        }

        private long readUvar() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw corrupt("varint longer than 10 bytes");
        }

        private void need(int n) throws IOException {
            if (buf.length - pos < n) {
                throw corrupt("truncated at byte " + pos);
            }
        }

        private IOException corrupt(String why) {
            return new IOException("corrupt WriteBatch: " + why);
        }
    }
}
