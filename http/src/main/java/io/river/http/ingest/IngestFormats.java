package io.river.http.ingest;

import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;

/** The body formats of {@code POST /ingest} and their readers, by Content-Type. Stateless. */
public final class IngestFormats {
    public static final String NDJSON = "application/x-ndjson";
    public static final String JSONL = "application/jsonl";
    public static final String CSV = "text/csv";
    public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";

    private static final IngestReader NDJSON_READER = new NdjsonReader();
    private static final IngestReader CSV_READER = new CsvReader();

    private IngestFormats() {}

    /** Every media type {@link #forContentType} accepts, for a 415 answer. */
    public static List<String> mediaTypes() {
        return List.of(NDJSON, JSONL, CSV, ARROW_STREAM);
    }

    /**
     * The reader for a Content-Type header value, its parameters (such as {@code charset}) ignored and compared
     * without regard to case; null when the type is not supported or {@code contentType} is null. NDJSON and CSV
     * readers are shared; an Arrow reader is new and allocates from {@code allocator}, which must then not be null.
     */
    public static IngestReader forContentType(String contentType, BufferAllocator allocator) {
        if (contentType == null) {
            return null;
        }
        return switch (mediaType(contentType)) {
            case NDJSON, JSONL -> NDJSON_READER;
            case CSV -> CSV_READER;
            case ARROW_STREAM -> new ArrowIngestReader(allocator);
            default -> null;
        };
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
