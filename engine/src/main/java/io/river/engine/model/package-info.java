/**
 * The data model every layer shares: rows, mutations and write batches, table schemas and their
 * evolution, column types and their Arrow types, names, system columns and source positions, and
 * the exceptions of a refused row or a closed engine. Depends on nothing but Arrow's types.
 */
package io.river.engine.model;
