/**
 * The memtable: Arrow vectors in fixed-capacity chunks plus a hash index from key to the newest
 * version ({@link io.river.engine.memtable.Memtable}); frozen when full and flushed to an L0 segment.
 * Written only under the engine's write lock; read through {@link io.river.engine.memtable.MemtableView}.
 */
package io.river.engine.memtable;
