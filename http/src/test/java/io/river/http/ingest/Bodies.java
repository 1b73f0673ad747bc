package io.river.http.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;

/** Request bodies for the reader tests, and row maps in a form that compares by content. */
final class Bodies {
    private Bodies() {}

    static InputStream text(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    static InputStream bytes(byte[] body) {
        return new ByteArrayInputStream(body);
    }

    /** A row map equal only to another with the same columns in the same order; byte[] held as ByteBuffer. */
    static final class OrderedRow extends LinkedHashMap<String, Object> {
        @Override
        public Object put(String column, Object value) {
            return super.put(column, value instanceof byte[] b ? ByteBuffer.wrap(b) : value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OrderedRow other
                    && new ArrayList<>(entrySet()).equals(new ArrayList<>(other.entrySet()));
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }

    /** The rows as {@link OrderedRow}s, so that equals compares column order and byte content too. */
    static List<Map<String, Object>> comparable(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            OrderedRow copy = new OrderedRow();
            row.forEach(copy::put);
            out.add(copy);
        }
        return out;
    }

    /** An {@link OrderedRow} of alternating names and values, in that order. */
    static Map<String, Object> row(Object... namesAndValues) {
        OrderedRow row = new OrderedRow();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** An Arrow IPC stream of {@code root}'s schema with one batch per filler; each filler sets the row count. */
    @SafeVarargs
    static byte[] arrow(VectorSchemaRoot root, DictionaryProvider dictionaries, Consumer<VectorSchemaRoot>... batches) {
        return arrow(root, dictionaries, CompressionUtil.CodecType.NO_COMPRESSION, true, List.of(batches));
    }

    /** As {@link #arrow(VectorSchemaRoot, DictionaryProvider, Consumer[])}, compressed, with or without the end. */
    static byte[] arrow(
            VectorSchemaRoot root,
            DictionaryProvider dictionaries,
            CompressionUtil.CodecType codec,
            boolean end,
            List<Consumer<VectorSchemaRoot>> batches) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompressionCodec.Factory codecs = codec == CompressionUtil.CodecType.NO_COMPRESSION
                ? NoCompressionCodec.Factory.INSTANCE
                : CommonsCompressionFactory.INSTANCE;
        try (ArrowStreamWriter writer =
                new ArrowStreamWriter(root, dictionaries, Channels.newChannel(out), IpcOption.DEFAULT, codecs, codec)) {
            writer.start();
            for (Consumer<VectorSchemaRoot> batch : batches) {
                root.clear();
                root.allocateNew();
                batch.accept(root);
                writer.writeBatch();
            }
            if (!end) {
                return out.toByteArray();
            }
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
