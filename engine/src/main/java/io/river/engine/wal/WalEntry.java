package io.river.engine.wal;

/**
 * One entry read back from the WAL: its LSN and its payload. Immutable by convention: the payload
 * array is freshly allocated by the reader and handed over to whoever receives the entry.
 */
public record WalEntry(long lsn, byte[] payload) {}
