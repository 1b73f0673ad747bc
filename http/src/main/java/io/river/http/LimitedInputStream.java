package io.river.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a request body through, failing with {@link LimitExceeded} once more than {@code limit}
 * bytes have been read, so a reader that streams the body never holds more than the limit. Not
 * thread-safe.
 */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** Thrown by a read that takes the body past the limit. */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;
        private final long bytes;

        LimitExceeded(long bytes) {
            super("request body passed " + bytes + " bytes");
            this.bytes = bytes;
        }

        long bytes() {
            return bytes;
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws LimitExceeded {
        read += n;
        if (read > limit) {
            throw new LimitExceeded(read);
        }
    }
}
