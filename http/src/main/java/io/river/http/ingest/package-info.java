/**
 * Body readers of the bulk ingest route ({@code POST /ingest?table=T}): each turns one request body (NDJSON, CSV
 * or an Arrow IPC stream) into rows, column name to value, ready for one atomic engine write.
 *
 * <p>The readers agree, so that the same rows sent in any of the three formats give equal row maps:
 * <ul>
 *   <li>Column names must match {@code [A-Za-z_][A-Za-z0-9_]{0,127}}; {@code _pk} is refused, the other system
 *       columns are accepted and {@code _deleted} is always read as a BOOLEAN (see {@link
 *       io.river.http.ingest.IngestColumns}).</li>
 *   <li>A null, an empty string and empty bytes are all absent from the row map.</li>
 *   <li>A column of the target schema receives its own type or an {@link io.river.http.ingest.IngestRowException};
 *       the readers never widen a column (see {@link io.river.http.ingest.Coercion}).</li>
 *   <li>A column the schema lacks keeps the value's own type: JSON's, the type CSV inference gives the whole
 *       column, or the Arrow type's River counterpart.</li>
 * </ul>
 * Bodies are UTF-8 whatever the Content-Type's charset says. Readers do not close the body stream.
 */
package io.river.http.ingest;
