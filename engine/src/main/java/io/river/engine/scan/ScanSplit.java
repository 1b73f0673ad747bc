package io.river.engine.scan;

/**
 * An independent part of a scan that one thread reads front to back; splits of one scan can run
 * on different threads at once. {@link #next()} returns null at the end. Closing releases any
 * resources the split still holds (not the batches already handed out).
 */
public interface ScanSplit extends AutoCloseable {
    ScanBatch next();

    @Override
    void close();
}
