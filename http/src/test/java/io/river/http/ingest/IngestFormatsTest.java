package io.river.http.ingest;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** Content-Type to reader: parameters and case ignored, unsupported types have none. */
class IngestFormatsTest {
    @Test
    void readerIsChosenByMediaTypeIgnoringParametersAndCase() {
        try (RootAllocator allocator = new RootAllocator()) {
            assertInstanceOf(NdjsonReader.class, IngestFormats.forContentType("application/x-ndjson", allocator));
            assertInstanceOf(NdjsonReader.class, IngestFormats.forContentType("Application/JSONL", allocator));
            assertInstanceOf(CsvReader.class, IngestFormats.forContentType("text/csv; charset=utf-8", allocator));
            assertInstanceOf(CsvReader.class, IngestFormats.forContentType(" TEXT/CSV ;header=present", allocator));
            assertInstanceOf(
                    ArrowIngestReader.class,
                    IngestFormats.forContentType("application/vnd.apache.arrow.stream", allocator));
        }
    }

    @Test
    void unsupportedOrMissingMediaTypeHasNoReader() {
        for (String type : new String[] {
            "application/json", "application/json-seq", "text/plain", "application/vnd.apache.arrow.file", "", ";"
        }) {
            assertNull(IngestFormats.forContentType(type, null), type);
        }
        assertNull(IngestFormats.forContentType(null, null));
    }
}
