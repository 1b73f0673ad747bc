/**
 * The block cache: a byte-bounded LRU of decoded segment blocks keyed by (file id, block), with
 * pinning so a reader can use a cached block in place while its batch is open. Depends on
 * {@code model} and {@code metrics} only.
 */
package io.river.engine.cache;
