/**
 * The engine over one data directory. {@link io.river.engine.RiverEngine} is the public face (open,
 * write, sync, tables, stats, close); {@link io.river.engine.EngineState} holds the tables, the WAL
 * and the source positions and runs appends; {@link io.river.engine.EngineRecovery} rebuilds them at
 * open; {@link io.river.engine.VersionSet#logAndApply} is the only place a level edit is persisted
 * and installed (flush: {@link io.river.engine.Flusher}, compaction:
 * {@link io.river.engine.EngineCompactionHost}, retention drops: {@link io.river.engine.RetentionTask});
 * {@link io.river.engine.EngineBackground} schedules flushes, checkpoints and compactions. Layering:
 * this package sits on top of every other engine package and nothing below imports it.
 */
package io.river.engine;
