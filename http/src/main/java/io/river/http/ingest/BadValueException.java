package io.river.http.ingest;

/**
 * A value that does not fit its column; the reader that catches it adds the row, line and column. The detail
 * names the value and the column's type, e.g. {@code 'abc' is not a number (column is FLOAT64)}.
 */
final class BadValueException extends RuntimeException {
    BadValueException(String detail) {
        super(detail, null, false, false);
    }
}
