package io.river.engine.segment;

import io.river.engine.model.ArrowTypes;
import io.river.engine.model.ColumnType;
import io.river.engine.scan.StringDictionary;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads single values of a paged segment ({@link PageIndex}) without decoding blocks or allocating
 * Arrow buffers: for row {@code r} of a block, the validity bit (only when the block's zone map
 * says the column has NULLs there), then the value's bytes (fixed width: {@code [r * w, (r + 1) *
 * w)} of the data buffer; variable width: offsets {@code r} and {@code r + 1}, then those data
 * bytes), each through the one or two pages that cover them; a narrowed column's value is widened
 * ({@link ColumnEncoding#logicalBits}). A column stored other than as River's plain Arrow type for its
 * column type, a dictionary index or a narrowed integer makes {@link #supports} false, and the file is
 * read by whole blocks. Thread-safe.
 */
final class PageRowReader {
    private static final int VARIABLE = -1;
    private static final int BIT = 0;
    private static final int UNKNOWN = -2;

    private final FileChannel file;
    private final PageIndex pages;
    private final Map<String, Integer> fieldIndex;
    private final Map<String, ColumnType> types;
    private final Map<String, StringDictionary> dictionaries;
    private final Map<String, ColumnEncoding> encodings;
    private final int[] firstBuffer;
    private final int[] width;
    private final boolean supported;

    PageRowReader(
            FileChannel file,
            PageIndex pages,
            Schema schema,
            Map<String, Integer> fieldIndex,
            Map<String, ColumnType> types,
            Map<String, StringDictionary> dictionaries,
            Map<String, ColumnEncoding> encodings) {
        this.file = file;
        this.pages = pages;
        this.fieldIndex = fieldIndex;
        this.types = types;
        this.dictionaries = dictionaries;
        this.encodings = encodings;
        List<Field> fields = schema.getFields();
        this.firstBuffer = new int[fields.size() + 1];
        this.width = new int[fields.size()];
        boolean all = true;
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            ArrowType t = field.getType();
            firstBuffer[i + 1] = firstBuffer[i] + TypeLayout.getTypeBufferCount(t);
            width[i] = width(t);
            // Values are read as stored: only River's plain mapping of its column type, a dictionary index
            // or a narrowed column (widened per value) qualifies; any other column is read by whole blocks.
            ColumnType type = types.get(field.getName());
            ColumnEncoding encoding = encodings.get(field.getName());
            boolean plain = field.getDictionary() != null
                    ? t instanceof ArrowType.Int
                    : encoding != null
                            ? encoding.storedType().equals(t)
                            : type != null && ArrowTypes.toArrow(type).equals(t);
            all &= width[i] != UNKNOWN && plain;
        }
        this.supported = all;
    }

    /** Bytes per value of a layout this reader knows, {@link #VARIABLE}, {@link #BIT} or {@link #UNKNOWN}. */
    private static int width(ArrowType t) {
        if (t instanceof ArrowType.Utf8 || t instanceof ArrowType.Binary) {
            return VARIABLE;
        }
        if (t instanceof ArrowType.Bool) {
            return BIT;
        }
        if (t instanceof ArrowType.Int i) {
            return i.getBitWidth() / 8;
        }
        if (t instanceof ArrowType.FloatingPoint f && f.getPrecision() == FloatingPointPrecision.DOUBLE) {
            return 8;
        }
        if (t instanceof ArrowType.Timestamp) {
            return 8;
        }
        if (t instanceof ArrowType.Date d && d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY) {
            return 4;
        }
        return UNKNOWN;
    }

    /** True when every column's layout is one this reader decodes. */
    boolean supports() {
        return supported;
    }

    /** Estimated bytes of the named columns of a block decoded into Arrow buffers (powers of two, as allocated). */
    long decodedBytes(int block, List<String> names) {
        long n = 0;
        for (String name : names) {
            int f = fieldIndex.get(name);
            for (int b = firstBuffer[f]; b < firstBuffer[f + 1]; b++) {
                int len = pages.length(block, b);
                n += len == 0 ? 0 : Long.highestOneBit(Math.max(1, len - 1)) << 1;
            }
        }
        return n;
    }

    /** Whether row {@code row} of block {@code block} is a tombstone ({@code _deleted}). */
    boolean deleted(int block, int row) throws IOException {
        int f = fieldIndex.get(SegmentFormat.DELETED);
        return bit(block, firstBuffer[f] + 1, row);
    }

    /**
     * The value of column {@code name} (stored type) at row {@code row} of block {@code block}, or
     * null; {@code mayBeNull} false skips the validity bit (the zone map says no row of the block is NULL).
     */
    Object value(int block, String name, int row, boolean mayBeNull) throws IOException {
        int f = fieldIndex.get(name);
        int b = firstBuffer[f];
        if (mayBeNull && pages.length(block, b) > 0 && !bit(block, b, row)) {
            return null;
        }
        ColumnType type = types.get(name);
        int w = width[f];
        if (w == VARIABLE) {
            PageIndex.Slice offsets = pages.read(file, block, b + 1, row * 4, row * 4 + 8);
            int start = offsets.intAt(row * 4);
            int end = offsets.intAt(row * 4 + 4);
            if (start < 0 || end < start) {
                throw new IOException("column " + name + " has offsets " + start + ".." + end + " at row " + row);
            }
            byte[] bytes = new byte[0];
            if (end > start) {
                PageIndex.Slice data = pages.read(file, block, b + 2, start, end);
                bytes = Arrays.copyOfRange(data.bytes(), start - data.base(), end - data.base());
            }
            return type == ColumnType.STRING ? new String(bytes, StandardCharsets.UTF_8) : bytes;
        }
        if (w == BIT) {
            return bit(block, b + 1, row);
        }
        PageIndex.Slice data = pages.read(file, block, b + 1, row * w, row * w + w);
        long raw = switch (w) {
            case 1 -> data.byteAt(row);
            case 2 -> data.shortAt(row * 2);
            case 4 -> data.intAt(row * 4);
            default -> data.longAt(row * 8);
        };
        StringDictionary dictionary = dictionaries.get(name);
        if (dictionary != null) {
            if (raw < 0 || raw >= dictionary.size()) {
                throw new IOException(
                        "column " + name + " has code " + raw + " outside its dictionary of " + dictionary.size());
            }
            return dictionary.string((int) raw);
        }
        ColumnEncoding encoding = encodings.get(name);
        if (encoding != null) {
            raw = encoding.logicalBits(raw);
        }
        return switch (type) {
            case INT32 -> (int) raw;
            case INT64 -> raw;
            case FLOAT64 -> Double.longBitsToDouble(raw);
            case TIMESTAMP -> Instant.ofEpochMilli(raw);
            case DATE -> LocalDate.ofEpochDay((int) raw);
            default -> throw new IOException("column " + name + " of type " + type + " has a fixed-width layout");
        };
    }

    private boolean bit(int block, int buffer, int row) throws IOException {
        PageIndex.Slice bits = pages.read(file, block, buffer, row >>> 3, (row >>> 3) + 1);
        return ((bits.byteAt(row >>> 3) >>> (row & 7)) & 1) != 0;
    }
}
