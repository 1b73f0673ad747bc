/**
 * Segment files: Arrow IPC files sorted by key, split into blocks, with a footer holding the block
 * index, zone maps, a bloom filter on keys and CRC32C checksums ({@link io.river.engine.segment.SegmentFormat}
 * gives the layout and versions). {@link io.river.engine.segment.SegmentWriter} writes one through a temp
 * file; {@link io.river.engine.segment.SegmentReader} verifies and reads blocks through the block cache.
 */
package io.river.engine.segment;
