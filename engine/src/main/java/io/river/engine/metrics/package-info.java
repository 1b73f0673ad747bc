/**
 * The engine's counters ({@link io.river.engine.metrics.EngineMetrics}), read by {@code /stats} and
 * bound to Micrometer by the HTTP module. Depends on nothing.
 */
package io.river.engine.metrics;
