package io.river.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code ./river bench} run: one row per measured case with River's figure,
 * the peer's, and the ratio expressed so that above 1 always means River is better (for
 * throughputs River/peer, for times peer/River). Rows are printed as they arrive and, at the end,
 * as a Markdown table for BENCHMARKS.md. Not thread-safe (the benchmarks run one after another).
 */
public final class BenchResults {
    /** One measured case. {@code peer} may be NaN when the case has no peer. */
    public record Row(
            String benchmark,
            String what,
            String unit,
            boolean higherIsBetter,
            double river,
            String peerName,
            double peer,
            String memory) {
        /** River relative to the peer, above 1 = River better; NaN without a peer. */
        public double advantage() {
            if (Double.isNaN(peer) || peer == 0 || river == 0) {
                return Double.NaN;
            }
            return higherIsBetter ? river / peer : peer / river;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public void add(Row row) {
        rows.add(row);
        System.out.printf(
                Locale.ROOT,
                "RESULT %-10s %-58s River %s  %s %s  River/peer %s  (%s)%n",
                row.benchmark(),
                row.what(),
                fmt(row.river(), row.unit()),
                row.peerName(),
                fmt(row.peer(), row.unit()),
                ratio(row.advantage()),
                row.memory());
    }

    public void add(
            String benchmark,
            String what,
            String unit,
            boolean higherIsBetter,
            double river,
            String peerName,
            double peer,
            String memory) {
        add(new Row(benchmark, what, unit, higherIsBetter, river, peerName, peer, memory));
    }

    /** A line that belongs under the table (a sizing note, a skipped case and why). */
    public void note(String line) {
        notes.add(line);
        System.out.println("NOTE " + line);
    }

    public List<Row> rows() {
        return rows;
    }

    static String fmt(double v, String unit) {
        if (Double.isNaN(v)) {
            return "-";
        }
        String n = Math.abs(v) >= 100
                ? String.format(Locale.ROOT, "%,.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return n + " " + unit;
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }

    /** The Markdown table of every row, then the notes. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | case | River | peer | peer figure | River vs peer (>1 = River better) | memory |\n");
        sb.append("|---|---|---:|---|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append("| ")
                    .append(r.benchmark())
                    .append(" | ")
                    .append(r.what())
                    .append(" | ")
                    .append(fmt(r.river(), r.unit()))
                    .append(" | ")
                    .append(r.peerName())
                    .append(" | ")
                    .append(fmt(r.peer(), r.unit()))
                    .append(" | ")
                    .append(ratio(r.advantage()))
                    .append(" | ")
                    .append(r.memory())
                    .append(" |\n");
        }
        for (String n : notes) {
            sb.append("\n- ").append(n);
        }
        return sb.append('\n').toString();
    }

    public void writeMarkdown(Path file) throws IOException {
        Files.writeString(file, markdown());
    }
}
