package io.river.engine.sql;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.insert.Insert;

/** Table and column names as statements write them: quotes removed, case kept. Stateless. */
final class SqlNames {
    private SqlNames() {}

    /** The name without surrounding double quotes or backticks. */
    static String unquote(String name) {
        if (name != null && name.length() >= 2) {
            char first = name.charAt(0);
            char last = name.charAt(name.length() - 1);
            if ((first == '"' && last == '"') || (first == '`' && last == '`')) {
                return name.substring(1, name.length() - 1);
            }
        }
        return name;
    }

    /** The column list of an INSERT, unquoted; empty when it names none. */
    static List<String> insertColumns(Insert in) {
        List<String> out = new ArrayList<>();
        if (in.getColumns() != null) {
            for (Column c : in.getColumns()) {
                out.add(unquote(c.getColumnName()));
            }
        }
        return out;
    }
}
