package io.river.engine.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The bytes of {@code manifest.json}, format version 2: the manifest as indented JSON whose last
 * member is a CRC32C of everything before it, so the file stays plain JSON for people and tools.
 * <pre>
 * {                                   \
 *   "formatVersion" : 2,               |  body: the manifest's JSON object without its closing
 *   ...                                |  brace (and without trailing white space); the CRC covers
 *   "positions" : [ ... ]             /   exactly these bytes
 *   ,"crc32c" : "1a2b3c4d"               trailer: 8 lower-case hex digits, then "\n}\n"
 * }
 * </pre>
 * A version 1 manifest has no trailer and is read unchecked; a manifest of version 2 or later
 * without a valid trailer, or whose CRC does not match, is refused: recovery must never act
 * (delete "orphan" files, replay from a wrong LSN) on a damaged manifest. Stateless.
 */
final class ManifestCodec {
    static final String CRC_FIELD = "crc32c";
    private static final Pattern TRAILER = Pattern.compile(",\"" + CRC_FIELD + "\" : \"([0-9a-f]{8})\"\n}\n\\z");
    private static final int MAX_TRAILER_BYTES = 40;

    private ManifestCodec() {}

    /** Appends the checksum member to a serialized manifest object. */
    static byte[] seal(byte[] json) {
        int end = json.length;
        while (end > 0 && Character.isWhitespace(json[end - 1])) {
            end--;
        }
        if (end == 0 || json[end - 1] != '}') {
            throw new IllegalArgumentException("not a JSON object");
        }
        end--;
        while (end > 0 && Character.isWhitespace(json[end - 1])) {
            end--;
        }
        byte[] body = Arrays.copyOf(json, end);
        String trailer = "\n  ,\"" + CRC_FIELD + "\" : \"" + String.format("%08x", crc(body, body.length)) + "\"\n}\n";
        byte[] t = trailer.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(body, body.length + t.length);
        System.arraycopy(t, 0, out, body.length, t.length);
        return out;
    }

    /**
     * Checks the trailer of a file's bytes; returns true when it is present and matches, false when
     * there is none (a version 1 file, or a damaged trailer: the caller decides by the version), and
     * throws when the CRC does not match.
     */
    static boolean verify(byte[] bytes, String file) throws IOException {
        int from = Math.max(0, bytes.length - MAX_TRAILER_BYTES);
        String tail = new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1);
        Matcher m = TRAILER.matcher(tail);
        if (!m.find()) {
            return false;
        }
        int bodyEnd = from + m.start();
        while (bodyEnd > 0 && Character.isWhitespace(bytes[bodyEnd - 1])) {
            bodyEnd--;
        }
        long stored = Long.parseLong(m.group(1), 16);
        if (crc(bytes, bodyEnd) != stored) {
            throw new IOException("manifest " + file + " fails its CRC32C (damaged on disk)");
        }
        return true;
    }

    private static long crc(byte[] b, int len) {
        CRC32C c = new CRC32C();
        c.update(b, 0, len);
        return c.getValue();
    }
}
