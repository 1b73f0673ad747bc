package io.river.engine;

/** The outcome of a write: the LSN of its WAL entry and whether that entry is known durable. */
public record WriteResult(long lsn, boolean durable) {}
