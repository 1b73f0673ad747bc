package io.river.http;

import io.river.engine.RiverEngine;

/**
 * A parsed {@code /query} request: the SQL text, the answer format the client accepts and the
 * engine to run it on. Immutable.
 *
 * @param sql    the statement, non-empty
 * @param format the negotiated output format
 * @param engine the ready engine
 */
public record QueryRequest(String sql, Format format, RiverEngine engine) {
    /** Output formats of {@code /query}, chosen by the {@code Accept} header. */
    public enum Format {
        JSON("application/json"),
        CSV("text/csv"),
        ARROW("application/vnd.apache.arrow.stream");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }
}
