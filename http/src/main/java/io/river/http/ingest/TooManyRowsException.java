package io.river.http.ingest;

/** A body holds more rows than the caller's limit; thrown as soon as the count passes it. */
public final class TooManyRowsException extends RuntimeException {
    private final long limit;

    TooManyRowsException(long limit) {
        super("the body holds more than " + limit + " rows", null, false, false);
        this.limit = limit;
    }

    /** The limit that was passed. */
    public long limit() {
        return limit;
    }
}
