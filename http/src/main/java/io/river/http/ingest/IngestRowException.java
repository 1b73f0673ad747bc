package io.river.http.ingest;

/**
 * A body that cannot become rows: a value that does not fit its column, a malformed line or record, a refused
 * column name, or a body that is not in its declared format. The message names where, for example {@code line 3
 * (row 2), column 'amount': 'abc' is not a number (column is FLOAT64)}; {@link #detail()} is the same text without
 * the location. A client error: no stack trace is recorded.
 */
public final class IngestRowException extends RuntimeException {
    private final int row;
    private final long line;
    private final String column;
    private final String detail;

    private IngestRowException(String location, int row, long line, String column, String detail) {
        super(location.isEmpty() ? detail : location + ": " + detail, null, false, false);
        this.row = row;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /**
     * A problem in a text body (CSV, NDJSON) at the physical line where a row starts; row 0 is the CSV header.
     * {@code column} may be null.
     */
    static IngestRowException atLine(int row, long line, String column, String detail) {
        String where = "line " + line + (row == 0 ? " (header)" : " (row " + row + ")") + columnPart(column, ", ");
        return new IngestRowException(where, row, line, column, detail);
    }

    /** A problem in an Arrow row, or in the stream as a whole when {@code row} is 0. {@code column} may be null. */
    static IngestRowException atRow(int row, String column, String detail) {
        String where = row == 0 ? columnPart(column, "") : "row " + row + columnPart(column, ", ");
        return new IngestRowException(where, row, row, column, detail);
    }

    private static String columnPart(String column, String separator) {
        return column == null ? "" : separator + "column " + Texts.quote(column);
    }

    /** The 1-based data row, or 0 when the problem is not in one row (a CSV header, an Arrow schema or stream). */
    public int row() {
        return row;
    }

    /** The 1-based physical line where the row starts (CSV, NDJSON); for Arrow the same as {@link #row()}. */
    public long line() {
        return line;
    }

    /** The column concerned, or null when the problem is not in one column. */
    public String column() {
        return column;
    }

    /** What is wrong, without the location. */
    public String detail() {
        return detail;
    }
}
