package io.river.engine.query;

/**
 * Figures of one query run: rows the scan read (after block skipping, before filtering), blocks
 * skipped by zone maps, wall time in milliseconds. Immutable.
 */
public record QueryStats(long rowsScanned, long blocksSkipped, long elapsedMs) {}
