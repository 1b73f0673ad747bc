/**
 * River's SQL statements other than queries: {@code CREATE TABLE} (with {@code WITH (retention = ...)}),
 * {@code ALTER TABLE ... SET/RESET} (retention options, {@link io.river.engine.sql.TableOptions}),
 * {@code DROP TABLE}, {@code INSERT INTO ... VALUES}, {@code SHOW TABLES} and {@code DESCRIBE}, parsed with JSqlParser
 * and run against the engine by {@link io.river.engine.sql.StatementExecutor}; answers are
 * {@link io.river.engine.query.QueryResult}s, so every output format of {@code /query} renders them.
 * Uses the engine root ({@code RiverEngine}) and the query package's result and error types.
 */
package io.river.engine.sql;
