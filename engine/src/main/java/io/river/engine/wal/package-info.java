/**
 * River's write-ahead log: {@link io.river.engine.wal.WalWriter} (appends, group commit, roll-over,
 * deletion of obsolete files), {@link io.river.engine.wal.WalReader} (replay and repair of a torn or
 * damaged end), {@link io.river.engine.wal.WalEntryFormat} (file and entry layout) and
 * {@link io.river.engine.wal.WriteBatchCodec} (the entry payload). The call sequence is in
 * {@link io.river.engine.wal.WalWriter}'s class comment.
 */
package io.river.engine.wal;
