/**
 * The scan interface between the query executor and the storage: a
 * {@link io.river.engine.scan.TableSnapshot} splits into {@link io.river.engine.scan.ScanSplit}s that
 * yield Arrow {@link io.river.engine.scan.ScanBatch}es (with a selection of live rows and, where asked,
 * dictionary codes), plus the block statistics zone-map pruning reads. Depends on {@code model} only.
 */
package io.river.engine.scan;
