package io.river.http.ingest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 text into records: fields separated by commas, records by LF, CRLF or CR; a field in double
 * quotes may hold commas, line breaks and doubled quotes ({@code ""} for {@code "}); a quote inside an unquoted
 * field is kept as text. An empty field, quoted or not, is null. Lines with nothing on them are skipped, as is a
 * UTF-8 byte order mark at the very start. Record 0 is the header; errors name the physical line where the record
 * starts. Not thread-safe; does not close the reader.
 */
final class CsvRecords {
    private static final int EOF = -1;

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private final StringBuilder field = new StringBuilder();
    private int position;
    private int limit;
    private long line = 1;
    private long recordLine;
    private int records;
    private int expectedFields = 8;

    CsvRecords(Reader in) {
        this.in = in;
    }

    /** The next record's fields, or null at the end of the input. */
    String[] next() throws IOException {
        int c = skipEmptyLines(read());
        if (c == EOF) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>(expectedFields);
        while (true) {
            c = c == '"' ? quoted() : unquoted(c);
            fields.add(field.length() == 0 ? null : field.toString());
            if (c != ',') {
                endLine(c);
                break;
            }
            c = read();
        }
        records++;
        expectedFields = fields.size();
        return fields.toArray(new String[0]);
    }

    /** The physical line (1-based) where the record last returned by {@link #next()} starts. */
    long line() {
        return recordLine;
    }

    private int skipEmptyLines(int c) throws IOException {
        if (records == 0 && line == 1 && c == '\uFEFF') {
            c = read();
        }
        while (c == '\n' || c == '\r') {
            endLine(c);
            c = read();
        }
        return c;
    }

    /** Reads an unquoted field starting with {@code c} into {@link #field}; returns the character after it. */
    private int unquoted(int c) throws IOException {
        field.setLength(0);
        while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
            field.append((char) c);
            c = read();
        }
        return c;
    }

    /** Reads a quoted field (the opening quote consumed) into {@link #field}; returns the character after it. */
    private int quoted() throws IOException {
        field.setLength(0);
        while (true) {
            int c = read();
            if (c == EOF) {
                throw syntax("a quoted field is not closed before the end of the body");
            }
            if (c == '"') {
                if (peek() != '"') {
                    break;
                }
                read();
            } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
                line++;
            }
            field.append((char) c);
        }
        int after = read();
        if (after != ',' && after != '\n' && after != '\r' && after != EOF) {
            throw syntax("unexpected " + Texts.quote(String.valueOf((char) after)) + " after a closing quote");
        }
        return after;
    }

    /** Consumes the line break {@code c} (LF, CR or CR LF); nothing at the end of the input. */
    private void endLine(int c) throws IOException {
        if (c == EOF) {
            return;
        }
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private IngestRowException syntax(String detail) {
        return IngestRowException.atLine(records, recordLine, null, detail);
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }
}
