/**
 * File primitives below every format: {@link io.river.engine.io.DataDir} names every file of a data
 * directory, {@link io.river.engine.io.AtomicFiles} replaces a small file crash-safely (temp, fsync,
 * rename, fsync directory), and {@link io.river.engine.io.IoFaults} is the seam tests use to inject
 * I/O failures.
 */
package io.river.engine.io;
