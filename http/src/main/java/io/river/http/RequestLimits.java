package io.river.http;

import io.javalin.http.Context;
import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.model.Names;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and checks what a client sends: the {@code key} and {@code table} parameters and the
 * request body, against {@code river.http.max.key.bytes} and {@code river.http.max.body.bytes}.
 * Every violation is a 4xx {@link ApiException}. Immutable and thread-safe.
 */
final class RequestLimits {
    static final String DEFAULT_TABLE = "default";
    /** How much of a refused body is still read (and dropped) so the client can read the 413. */
    static final long SWALLOW_BYTES = 2L << 20;

    private final int maxKeyBytes;
    private final long maxBodyBytes;

    RequestLimits(RiverConfig config) {
        this.maxKeyBytes = config.get(RiverConfigKeys.HTTP_MAX_KEY_BYTES);
        this.maxBodyBytes = config.get(RiverConfigKeys.HTTP_MAX_BODY_BYTES);
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The {@code key} query parameter: present, non-empty, at most the configured UTF-8 bytes. */
    String key(Context ctx) {
        return key(ctx.queryParam("key"));
    }

    /** Checks a {@code key} query parameter's value (null when absent), as {@link #key(Context)}. */
    String key(String key) {
        if (key == null) {
            throw ApiException.badRequest("missing_key", "query parameter 'key' is required");
        }
        if (key.isEmpty()) {
            throw ApiException.badRequest("empty_key", "query parameter 'key' must not be empty");
        }
        int bytes = key.length() <= maxKeyBytes / 3 ? key.length() : utf8Length(key);
        if (bytes > maxKeyBytes) {
            throw ApiException.badRequest(
                    "key_too_long",
                    "key is " + bytes + " bytes; the limit is " + maxKeyBytes + " (river.http.max.key.bytes)");
        }
        return key;
    }

    /** The UTF-8 length of {@code s} without encoding it (an unpaired surrogate counts as its '?'). */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The {@code table} query parameter (default {@value #DEFAULT_TABLE}), a valid table name. */
    static String table(Context ctx) {
        return table(ctx.queryParam("table"));
    }

    /** Checks a {@code table} query parameter's value (null when absent), as {@link #table(Context)}. */
    static String table(String table) {
        if (table == null) {
            return DEFAULT_TABLE;
        }
        return tableName(table);
    }

    /** Checks a table name from a client: 400 when it is not a valid name. */
    static String tableName(String table) {
        if (!Names.isValid(table)) {
            throw ApiException.badRequest(
                    "invalid_table_name",
                    "table name '" + clip(table) + "' is not valid: it must match [A-Za-z_][A-Za-z0-9_]{0,127}");
        }
        return table;
    }

    /**
     * The whole body, refused with 413 once it passes the limit. A refused body of up to
     * {@link #SWALLOW_BYTES} more is read and dropped first, so that a client still sending it gets
     * the 413 rather than a reset connection (as Tomcat's maxSwallowSize); a client that sent
     * {@code Expect: 100-continue} is refused before it sends anything.
     */
    byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes && (expectsContinue(ctx) || declared - maxBodyBytes > SWALLOW_BYTES)) {
            // Do not touch the input stream: that would send "100 Continue" and invite the body.
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > maxBodyBytes) {
                swallow(in, declared);
                throw tooLarge(declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
                if (total > maxBodyBytes) {
                    swallow(in, SWALLOW_BYTES);
                    throw tooLarge(total);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiException.badRequest("body_unreadable", "could not read the request body: " + e.getMessage());
        }
    }

    /**
     * Before refusing a body with 413: reads and drops up to {@link #SWALLOW_BYTES} of it, so a client
     * still sending gets the answer rather than a reset connection; not after {@code Expect:
     * 100-continue}, which must not invite the body.
     */
    static void drainRefusedBody(Context ctx) {
        if (expectsContinue(ctx)) {
            return;
        }
        try {
            swallow(ctx.req().getInputStream(), SWALLOW_BYTES);
        } catch (IOException e) {
            // The 413 goes out whether or not the rest of the body could be read.
        }
    }

    private static boolean expectsContinue(Context ctx) {
        String expect = ctx.header("Expect");
        return expect != null && expect.toLowerCase(java.util.Locale.ROOT).contains("100-continue");
    }

    /** Reads and drops up to {@code limit} bytes; stops early at the end of the body. */
    private static void swallow(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[8192];
        long left = limit;
        int n;
        while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1) {
            left -= n;
        }
    }

    private ApiException tooLarge(long bytes) {
        return new ApiException(
                413,
                "body_too_large",
                "request body (at least " + bytes + " bytes) is over the limit of " + maxBodyBytes
                        + " bytes (river.http.max.body.bytes)");
    }

    /** Shortens client text quoted in a message. */
    static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
