/**
 * The manifest ({@code manifest.json}): levels, files and their statistics, table schemas, the
 * checkpoint and the durable source positions, replaced atomically by
 * {@link io.river.engine.manifest.ManifestStore}; byte layout (JSON plus a CRC32C trailer) in
 * {@link io.river.engine.manifest.ManifestCodec}.
 */
package io.river.engine.manifest;
