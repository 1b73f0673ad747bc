package io.river.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@code /query} JSON result ({@code columns}, {@code rows}, {@code stats}) as a plain
 * text table for the terminal: a header, a rule, one line per row (NULL for null), and a footer
 * with the row count and time. Stateless.
 */
final class ResultTable {
    private ResultTable() {}

    static String render(JsonNode result) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : result.path("columns")) {
            names.add(c.path("name").asText());
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : result.path("rows")) {
            List<String> cells = new ArrayList<>();
            for (JsonNode v : r) {
                cells.add(v.isNull() ? "NULL" : v.isValueNode() ? v.asText() : v.toString());
            }
            rows.add(cells);
        }
        int[] width = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            width[i] = names.get(i).length();
            for (List<String> row : rows) {
                if (i < row.size()) {
                    width[i] = Math.max(width[i], row.get(i).length());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, names, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        sb.append(rule).append('\n');
        for (List<String> row : rows) {
            line(sb, row, width);
        }
        sb.append('(').append(rows.size()).append(rows.size() == 1 ? " row" : " rows");
        JsonNode elapsed = result.path("stats").path("elapsedMs");
        if (elapsed.isNumber()) {
            sb.append(", ").append(elapsed.asText()).append(" ms");
        }
        sb.append(")\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        for (int i = 0; i < width.length; i++) {
            String cell = i < cells.size() ? cells.get(i) : "";
            sb.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(width[i] - cell.length()));
        }
        sb.append('\n');
    }
}
