package io.river.engine.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.river.engine.model.Column;
import io.river.engine.model.Mutation;
import io.river.engine.model.Row;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableSchema;
import io.river.engine.model.WriteBatch;
import io.river.engine.wal.WriteBatchCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Byte layout of a checkpoint file ({@code checkpoint-<lsn>.ckpt}), version 2 (version 1 is read
 * too). Big-endian.
 *
 * <pre>
 * +--------+---------+----------+--------------+   file header
 * | "RCKP" | ver (1) | lsn (8)  | sections (4) |   ver: 2 (1 in older files)
 * +--------+---------+----------+--------------+
 * then per section:
 * +------------+-----------+-----------------------------------------------------------+
 * | length (4) | crc32c(4) | payload (length bytes)                                    |
 * +------------+-----------+-----------------------------------------------------------+
 *   payload = table (UTF) | schema JSON (UTF-8, int length + bytes) | firstLsn (8) |
 *             lastLsn (8) | rows: a {@link WriteBatchCodec} batch of the section's rows
 * and a trailer: "RCKE" (4) | crc32c of the header (4)
 * </pre>
 *
 * Version 2 writes a section's rows as one table's columns (a batch of {@link
 * WriteBatchCodec#COLUMNS_VERSION} without mutations), version 1 wrote them as one mutation per row;
 * both read back as {@link TableColumns}. The file version changed with it so that a River that only
 * knows version 1 refuses the file rather than reading its sections as empty.
 *
 * The CRC of a section covers its payload. A file that lacks the trailer or fails a CRC is
 * refused whole ({@link IOException} naming the file): a checkpoint is written to a temp file and
 * renamed only when complete, so a damaged one means the disk lied, and half a checkpoint would
 * silently drop rows. Stateless.
 */
public final class CheckpointFormat {
    public static final byte VERSION = 2;
    /** The first version, whose sections hold rows as mutations: still read. */
    static final byte ROWS_VERSION = 1;

    private static final byte[] MAGIC = "RCKP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER = "RCKE".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFormat() {}

    public static void write(OutputStream rawOut, long lsn, List<CheckpointSection> sections) throws IOException {
        DataOutputStream out = new DataOutputStream(rawOut);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(header);
        h.write(MAGIC);
        h.writeByte(VERSION);
        h.writeLong(lsn);
        h.writeInt(sections.size());
        byte[] headerBytes = header.toByteArray();
        out.write(headerBytes);
        for (CheckpointSection s : sections) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream b = new DataOutputStream(body);
            b.writeUTF(s.table());
            byte[] schema = JSON.writeValueAsBytes(Map.of(
                    "version", s.schema().version(), "columns", s.schema().columns()));
            b.writeInt(schema.length);
            b.write(schema);
            b.writeLong(s.firstLsn());
            b.writeLong(s.lastLsn());
            b.write(WriteBatchCodec.encode(WriteBatch.of(s.rows())));
            byte[] payload = body.toByteArray();
            out.writeInt(payload.length);
            out.writeInt(crc(payload));
            out.write(payload);
        }
        out.write(TRAILER);
        out.writeInt(crc(headerBytes));
        out.flush();
    }

    /** Reads a whole checkpoint; throws naming {@code name} if any part is damaged. */
    public static Checkpoint read(InputStream rawIn, String name) throws IOException {
        DataInputStream in = new DataInputStream(rawIn);
        try {
            byte[] magic = in.readNBytes(4);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("checkpoint " + name + " has no RCKP header");
            }
            byte version = in.readByte();
            if (version != VERSION && version != ROWS_VERSION) {
                throw new IOException("checkpoint " + name + " has unknown format version " + version);
            }
            long lsn = in.readLong();
            int count = in.readInt();
            if (count < 0) {
                throw new IOException("checkpoint " + name + " has a corrupt header");
            }
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(header);
            h.write(MAGIC);
            h.writeByte(version);
            h.writeLong(lsn);
            h.writeInt(count);
            List<CheckpointSection> sections = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int len = in.readInt();
                int crc = in.readInt();
                if (len < 0 || len > (1 << 30)) {
                    throw new IOException("checkpoint " + name + " section " + i + " has a corrupt length");
                }
                byte[] payload = in.readNBytes(len);
                if (payload.length != len || crc(payload) != crc) {
                    throw new IOException("checkpoint " + name + " section " + i + " fails its CRC");
                }
                sections.add(decodeSection(payload, name));
            }
            byte[] trailer = in.readNBytes(4);
            if (!java.util.Arrays.equals(trailer, TRAILER) || in.readInt() != crc(header.toByteArray())) {
                throw new IOException("checkpoint " + name + " is incomplete (no valid trailer)");
            }
            return new Checkpoint(lsn, sections);
        } catch (EOFException e) {
            throw new IOException("checkpoint " + name + " is truncated", e);
        }
    }

    private static CheckpointSection decodeSection(byte[] payload, String name) throws IOException {
        DataInputStream b = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        String table = b.readUTF();
        byte[] schemaBytes = b.readNBytes(b.readInt());
        Map<String, Object> schemaMap = JSON.readValue(schemaBytes, new TypeReference<Map<String, Object>>() {});
        List<Column> columns = JSON.convertValue(schemaMap.get("columns"), new TypeReference<List<Column>>() {});
        TableSchema schema = new TableSchema(((Number) schemaMap.get("version")).intValue(), columns);
        long first = b.readLong();
        long last = b.readLong();
        return new CheckpointSection(table, schema, first, last, rows(table, b.readAllBytes(), name));
    }

    /** A section's rows from its batch: one table's columns (version 2) or a mutation per row (version 1). */
    private static TableColumns rows(String table, byte[] bytes, String name) throws IOException {
        WriteBatch batch = WriteBatchCodec.decode(bytes);
        if (batch.mutations().isEmpty()
                && batch.columns().size() == 1
                && batch.columns().get(0).table().equals(table)) {
            return batch.columns().get(0);
        }
        if (!batch.columns().isEmpty()) {
            throw new IOException("checkpoint " + name + " has a section of table " + table
                    + " whose rows are not that table's columns");
        }
        List<Row> rows = new ArrayList<>(batch.mutations().size());
        for (Mutation m : batch.mutations()) {
            rows.add(m.row());
        }
        return TableColumns.of(table, rows);
    }

    private static int crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    /** A decoded checkpoint: the LSN it covers and its sections, oldest memtable first per table. */
    public record Checkpoint(long lsn, List<CheckpointSection> sections) {}
}
