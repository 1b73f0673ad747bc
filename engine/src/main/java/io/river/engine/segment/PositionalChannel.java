package io.river.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * A read-only sequential view of a shared {@link FileChannel} starting at a given offset, reading
 * with positional reads so that many threads can read one file at once without touching the
 * channel's own position. Not thread-safe itself (one per read); closing it leaves the file open.
 */
final class PositionalChannel implements ReadableByteChannel {
    private final FileChannel file;
    private long position;

    PositionalChannel(FileChannel file, long position) {
        this.file = file;
        this.position = position;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = file.read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() {
        // The file channel belongs to the segment reader.
    }
}
