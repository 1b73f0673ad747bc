/**
 * Checkpoints: a snapshot of every memtable at one LSN, written to a temp file, fsynced and
 * renamed ({@link io.river.engine.checkpoint.CheckpointStore}); byte layout and CRC32C framing in
 * {@link io.river.engine.checkpoint.CheckpointFormat}. Recovery loads the one the manifest names and
 * replays only WAL entries after its LSN.
 */
package io.river.engine.checkpoint;
