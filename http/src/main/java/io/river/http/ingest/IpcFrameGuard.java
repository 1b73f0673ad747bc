package io.river.http.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.arrow.flatbuf.Message;

/**
 * Passes an Arrow IPC stream through unchanged, checking each message's framing before Arrow reads it. Arrow
 * allocates a message's metadata on the heap at whatever length the stream claims (a JSON body sent as Arrow
 * claims about 500 MB), so a metadata length outside 1..{@link #MAX_METADATA_BYTES} or a body length outside
 * 0..2^31-1 fails here first with a {@link NotArrowException}, as does a body in the Arrow file format. Remembers
 * whether the underlying stream itself failed, so that a broken connection is not reported as a bad body. {@link
 * #close()} leaves the underlying stream open. Not thread-safe.
 */
final class IpcFrameGuard extends InputStream {
    /** Largest message metadata accepted: far above any real schema or batch header. */
    static final int MAX_METADATA_BYTES = 16 << 20;

    private static final int CONTINUATION = 0xFFFFFFFF;
    /** The first four bytes of the Arrow file format's magic "ARROW1", little-endian. */
    private static final int FILE_MAGIC = 'A' | 'R' << 8 | 'R' << 16 | 'O' << 24;

    /** The stream's framing is not Arrow's. */
    static final class NotArrowException extends IOException {
        NotArrowException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private byte[] head = new byte[0];
    private int headPosition;
    private long bodyLeft;
    private boolean ended;
    private IOException sourceFailure;

    IpcFrameGuard(InputStream in) {
        this.in = in;
    }

    /** The exception the underlying stream threw, or null when it has not failed. */
    IOException sourceFailure() {
        return sourceFailure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (headPosition < head.length) {
                int n = Math.min(len, head.length - headPosition);
                System.arraycopy(head, headPosition, b, off, n);
                headPosition += n;
                return n;
            }
            if (bodyLeft > 0) {
                int n = source(b, off, (int) Math.min(len, bodyLeft));
                if (n > 0) {
                    bodyLeft -= n;
                }
                return n;
            }
            if (ended) {
                return -1;
            }
            nextMessage();
        }
    }

    @Override
    public int available() throws IOException {
        if (headPosition < head.length) {
            return head.length - headPosition;
        }
        return bodyLeft > 0 ? (int) Math.min(bodyLeft, in.available()) : 0;
    }

    @Override
    public void close() {
        // The body belongs to the caller.
    }

    /** Reads and checks the next message's length prefix and metadata into {@link #head}. */
    private void nextMessage() throws IOException {
        byte[] prefix = new byte[8];
        int got = fill(prefix, 0, 4);
        if (got == 0) {
            ended = true;
            return;
        }
        if (got < 4) {
            throw new NotArrowException("the stream ends inside a message length");
        }
        int prefixLength = 4;
        int length = littleEndianInt(prefix, 0);
        if (length == FILE_MAGIC && !startedBefore()) {
            throw new NotArrowException("this is the Arrow file format; send the IPC stream format instead");
        }
        if (length == CONTINUATION) {
            if (fill(prefix, 4, 4) < 4) {
                throw new NotArrowException("the stream ends inside a message length");
            }
            prefixLength = 8;
            length = littleEndianInt(prefix, 4);
        }
        if (length == 0) {
            setHead(prefix, prefixLength, 0);
            ended = true;
            return;
        }
        if (length < 0 || length > MAX_METADATA_BYTES) {
            throw new NotArrowException("a message claims " + Integer.toUnsignedString(length) + " bytes of metadata");
        }
        byte[] message = setHead(prefix, prefixLength, length);
        if (fill(message, prefixLength, length) < length) {
            throw new NotArrowException("the stream ends inside message metadata");
        }
        bodyLeft = bodyLength(message, prefixLength, length);
    }

    private boolean startedBefore() {
        return head.length > 0;
    }

    private byte[] setHead(byte[] prefix, int prefixLength, int metadataLength) {
        head = new byte[prefixLength + metadataLength];
        System.arraycopy(prefix, 0, head, 0, prefixLength);
        headPosition = 0;
        return head;
    }

    private static long bodyLength(byte[] message, int offset, int length) throws NotArrowException {
        long body;
        try {
            body = Message.getRootAsMessage(
                            ByteBuffer.wrap(message, offset, length).slice())
                    .bodyLength();
        } catch (RuntimeException e) {
            throw new NotArrowException("message metadata is not an Arrow message");
        }
        if (body < 0 || body > Integer.MAX_VALUE) {
            throw new NotArrowException("a message claims a body of " + body + " bytes");
        }
        return body;
    }

    /** Reads up to {@code len} bytes, fewer only at the end of the input; returns how many. */
    private int fill(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = source(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private int source(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
    }

    private static int littleEndianInt(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
