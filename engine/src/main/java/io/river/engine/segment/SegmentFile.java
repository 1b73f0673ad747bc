package io.river.engine.segment;

import io.river.engine.scan.StringDictionary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.DictionaryUtility;

/**
 * What opening a segment reads: the Arrow file footer (trailing length and magic, then the
 * flatbuffer footer, read once) and, for dictionary-encoded columns, the dictionary batches, each
 * checked against {@value SegmentFormat#KEY_DICTIONARY_CRC} before Arrow decodes it (Arrow's own
 * file reader decodes dictionaries unchecked and leaks buffers on damaged ones). The schema is in
 * memory form (dictionary-encoded columns typed by their index type), the dictionaries on the heap.
 * Stateless format reader; the Arrow buffers it uses come from the given allocator and are all
 * released before {@link #read} returns.
 */
record SegmentFile(
        Schema schema,
        List<ArrowBlock> blocks,
        List<ArrowBlock> dictionaryBlocks,
        Map<String, String> metadata,
        Map<String, StringDictionary> dictionaries) {
    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    static SegmentFile read(FileChannel file, BufferAllocator allocator) throws IOException {
        ArrowFooter footer = readFooter(file);
        Map<String, String> metadata = footer.getMetaData() == null ? Map.of() : footer.getMetaData();
        // Checked before anything decodes them (the footer CRC, checked later, covers this list).
        SegmentChecksums.verifyDictionaries(file, metadata, footer.getDictionaries());
        Map<Long, Dictionary> vectors = new HashMap<>();
        try {
            List<Field> fields = new ArrayList<>();
            for (Field f : footer.getSchema().getFields()) {
                fields.add(DictionaryUtility.toMemoryFormat(f, allocator, vectors)); // adds empty dictionary vectors
            }
            for (ArrowBlock block : footer.getDictionaries()) {
                load(file, block, vectors, allocator);
            }
            Map<String, StringDictionary> dictionaries = new HashMap<>();
            for (Field f : fields) {
                if (f.getDictionary() != null) {
                    dictionaries.put(
                            f.getName(),
                            strings(f, vectors.get(f.getDictionary().getId())));
                }
            }
            return new SegmentFile(
                    new Schema(fields, footer.getSchema().getCustomMetadata()),
                    List.copyOf(footer.getRecordBatches()),
                    List.copyOf(footer.getDictionaries()),
                    metadata,
                    Collections.unmodifiableMap(dictionaries));
        } finally {
            vectors.values().forEach(d -> d.getVector().close());
        }
    }

    private static ArrowFooter readFooter(FileChannel file) throws IOException {
        long size = file.size();
        int tail = 4 + MAGIC.length;
        if (size <= MAGIC.length * 2L + 4) {
            throw new IOException("not an Arrow file: " + size + " bytes");
        }
        ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, end, size - tail);
        int footerLength = end.getInt(0);
        byte[] magic = Arrays.copyOfRange(end.array(), 4, tail);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an Arrow file: no magic number at its end");
        }
        if (footerLength <= 0 || footerLength > size - tail - MAGIC.length) {
            throw new IOException("invalid Arrow footer length " + footerLength);
        }
        ByteBuffer bytes = ByteBuffer.allocate(footerLength);
        readFully(file, bytes, size - tail - footerLength);
        bytes.flip();
        try {
            return new ArrowFooter(Footer.getRootAsFooter(bytes));
        } catch (RuntimeException e) {
            throw new IOException("Arrow footer does not decode: " + e, e);
        }
    }

    /** Decodes one (already checked) dictionary batch into its column's dictionary vector. */
    private static void load(
            FileChannel file, ArrowBlock block, Map<Long, Dictionary> vectors, BufferAllocator allocator)
            throws IOException {
        ArrowDictionaryBatch batch = MessageSerializer.deserializeDictionaryBatch(
                new ReadChannel(new PositionalChannel(file, block.getOffset())), block, allocator);
        try {
            Dictionary d = vectors.get(batch.getDictionaryId());
            if (d == null || batch.isDelta()) {
                throw new IOException(
                        "dictionary batch " + batch.getDictionaryId() + " matches no column of the schema");
            }
            FieldVector v = d.getVector();
            new VectorLoader(new VectorSchemaRoot(List.of(v.getField()), List.of(v), 0), ZstdCodecFactory.INSTANCE)
                    .load(batch.getDictionary());
        } finally {
            batch.close();
        }
    }

    private static StringDictionary strings(Field column, Dictionary d) throws IOException {
        if (d == null || !(d.getVector() instanceof VarCharVector)) {
            throw new IOException("no Utf8 dictionary for column " + column.getName());
        }
        VarCharVector values = (VarCharVector) d.getVector();
        List<String> list = new ArrayList<>(values.getValueCount());
        for (int i = 0; i < values.getValueCount(); i++) {
            if (values.isNull(i)) {
                throw new IOException("dictionary of column " + column.getName() + " holds a NULL");
            }
            list.add(new String(values.get(i), StandardCharsets.UTF_8));
        }
        return StringDictionary.ofSorted(list);
    }

    private static void readFully(FileChannel file, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = file.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
